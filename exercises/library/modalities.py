"""Modalities: each kind's parameter set (units, ranges) and its safety checklists.

Figures come from DOMAIN.md §5 and the sources it names; values marked "unverified" there are
defaults a clinician should set. The parameter set of a kind lives here, in code, so every
modality of that kind (shared, clinic-made or imported) is checked against the same ranges.
"""

from exercises.library.schema import REGIONS, ModalitySeed, Parameter

REGION_CHOICES = tuple(slug for slug, _label in REGIONS)
SIDE_CHOICES = ("left", "right", "both")


def _minutes(low: float, high: float, default: float) -> Parameter:
    return Parameter("minutes", "Treatment time", "min", low, high, default)


def _region() -> Parameter:
    return Parameter("region", "Body region", choices=REGION_CHOICES, default="", required=False)


def _side() -> Parameter:
    return Parameter("side", "Side", choices=SIDE_CHOICES, default="", required=False)


COLD = (
    "Cold urticaria (hives from cold)",
    "Raynaud's phenomenon",
    "Cryoglobulinemia",
    "Peripheral vascular disease",
    "Over regenerating peripheral nerves",
)
COLD_PRECAUTIONS = ("Impaired sensation in the area", "High blood pressure", "Open wound")
ELECTRICAL = (
    "Demand pacemaker or other implanted electronic device",
    "Pregnancy (over the trunk)",
    "Over the carotid sinus (front of the neck)",
    "Over the eyes",
    "Over broken skin",
)
SOFT_TISSUE = ("Local infection", "Deep vein thrombosis", "Open wound", "Acute fracture")

PARAMETERS: dict[str, tuple[Parameter, ...]] = {
    "cold_pack": (
        _minutes(5, 30, 15),
        Parameter("barrier", "Barrier", choices=("damp towel", "dry towel"), default="damp towel"),
        _region(),
        _side(),
    ),
    "ice_massage": (_minutes(3, 15, 7), _region(), _side()),
    "cold_water_immersion": (
        _minutes(5, 20, 15),
        Parameter("water_temperature", "Water temperature", "°C", 10, 20, 15, step=0.5),
        _region(),
    ),
    "heat": (
        _minutes(5, 20, 15),
        Parameter("towel_layers", "Towel layers", "layers", 1, 10, 6),
        _region(),
        _side(),
    ),
    "ultrasound": (
        Parameter("frequency", "Frequency", "MHz", choices=("1", "3"), default="1"),
        Parameter("intensity", "Intensity", "W/cm²", 0.1, 2.0, 1.0, step=0.1),
        Parameter("duty_cycle", "Duty cycle", "%", 10, 100, 100, step=5),
        Parameter("area_era", "Treatment area", "x ERA", 1, 2, 2, step=0.5),
        _minutes(1, 15, 5),
        _region(),
        _side(),
    ),
    "tens": (
        Parameter("mode", "Mode", choices=("conventional", "acupuncture-like"),
                  default="conventional"),
        Parameter("frequency", "Frequency", "Hz", 1, 150, 100),
        Parameter("pulse_width", "Pulse width", "µs", 50, 250, 150, step=10),
        _minutes(10, 60, 30),
        _region(),
        _side(),
    ),
    "nmes": (
        Parameter("frequency", "Frequency", "Hz", 20, 80, 50),
        Parameter("pulse_width", "Pulse width", "µs", 200, 600, 400, step=10),
        Parameter("on_seconds", "On time", "s", 5, 20, 10),
        Parameter("off_seconds", "Off time", "s", 10, 60, 50),
        Parameter("contractions", "Contractions", "reps", 5, 30, 10),
        _region(),
        _side(),
    ),
    "soft_tissue_massage": (
        _minutes(1, 30, 10),
        Parameter("technique", "Technique", text=True, default="", required=False),
        _region(),
        _side(),
    ),
    "iastm": (
        _minutes(1, 10, 3),
        Parameter("technique", "Technique", text=True, default="", required=False),
        _region(),
        _side(),
    ),
    "dry_needling": (
        Parameter("muscle", "Muscle", text=True, default="", required=False),
        Parameter("needle_count", "Needles", "needles", 1, 20, 2),
        Parameter("needle_diameter", "Needle diameter", "mm", 0.12, 0.35, 0.25, step=0.01),
        _side(),
    ),
    "compression": (
        Parameter("method", "Method", choices=("garment", "bandage", "pneumatic device"),
                  default="garment"),
        Parameter("pressure", "Pressure", "mmHg", 10, 60, 20),
        _minutes(10, 480, 30),
        _region(),
        _side(),
    ),
}  # fmt: skip

MODALITIES = [
    ModalitySeed(
        slug="cold-pack",
        name="Cold pack",
        kind="cold_pack",
        parameters=PARAMETERS["cold_pack"],
        contraindications=COLD,
        precautions=COLD_PRECAUTIONS,
        home_use=True,
        home_instructions=(
            "Wrap a cold pack or a bag of frozen peas in a damp towel. Never put it straight on "
            "the skin. Rest it on the sore area for about 15 minutes. Check your skin every few "
            "minutes: stop if it turns white, blotchy or numb, or if it burns. Wait at least an "
            "hour before the next go."
        ),
        source="10-20 min, up to 30 (epalmer modalities guide; cyriaxphysio.com), DOMAIN §5.",
    ),
    ModalitySeed(
        slug="ice-massage",
        name="Ice massage",
        kind="ice_massage",
        parameters=PARAMETERS["ice_massage"],
        contraindications=COLD,
        precautions=COLD_PRECAUTIONS,
        home_use=True,
        home_instructions=(
            "Freeze water in a paper cup and peel back the top to expose the ice. Hold the cup and "
            "rub the ice in small circles over the sore spot for 5 to 10 minutes, keeping it "
            "moving. The skin will feel cold, then burn, then ache, then go numb; stop at numb. "
            "Do not use it over broken skin."
        ),
        source="5-10 min (epalmer modalities guide; cyriaxphysio.com), DOMAIN §5.",
    ),
    ModalitySeed(
        slug="cold-water-immersion",
        name="Cold water immersion",
        kind="cold_water_immersion",
        parameters=PARAMETERS["cold_water_immersion"],
        contraindications=COLD,
        precautions=(*COLD_PRECAUTIONS, "Heart disease (ask your doctor first)"),
        home_use=True,
        home_instructions=(
            "Fill a bucket or bath with cool water of about 13 to 18 °C (55 to 65 °F). Put the "
            "legs in for 10 to 15 minutes. Get out straight away if you shiver hard, feel dizzy "
            "or your skin goes numb. Warm up slowly afterwards."
        ),
        source="Cold whirlpool 55-65 °F (12.8-18.3 °C) for 10-20 min, DOMAIN §5.",
    ),
    ModalitySeed(
        slug="hot-pack",
        name="Hot pack",
        kind="heat",
        parameters=PARAMETERS["heat"],
        contraindications=(
            "Impaired sensation in the area",
            "Acute injury or inflammation (hot, swollen area)",
            "Poor circulation",
            "Open wound",
        ),
        precautions=("Over a recent bruise", "Pregnancy (over the abdomen or low back)"),
        home_use=True,
        home_instructions=(
            "Use a heat pack or hot water bottle wrapped in several layers of towel, warm but "
            "never hot. Rest it on the stiff area for up to 20 minutes. Check the skin every five "
            "minutes and stop if it is very red, blotchy or painful. Never fall asleep on a heat "
            "pack, and do not use heat on a fresh, swollen injury."
        ),
        source="About 15-20 min, max ~20, towel layers (general guidance, unverified), DOMAIN §5.",
        notes="Towel layer count is a clinical default (unverified).",
    ),
    ModalitySeed(
        slug="therapeutic-ultrasound",
        name="Therapeutic ultrasound",
        kind="ultrasound",
        parameters=PARAMETERS["ultrasound"],
        contraindications=(
            "Pregnant or possibly pregnant uterus",
            "Over the chest of a pacemaker user",
            "Over the eyes",
            "Over the heart",
            "Over a tumour or cancer",
            "Over the testes",
            "Thrombophlebitis or deep vein thrombosis",
            "Previously irradiated tissue",
            "Stellate ganglion, spinal cord after laminectomy, or the skull",
            "Ischaemic tissue",
            "Over the growth plates of a child or teenager",
        ),
        precautions=("Infection in the area", "Impaired sensation", "Metal implants"),
        home_use=False,
        home_instructions="",
        source=(
            "1 MHz deep / 3 MHz superficial, up to ~2 W/cm², continuous for heating or pulsed 20%,"
            " area <= 2x ERA, ~5 min per head-sized area (akufisio; Physiopedia); Mettler "
            "Sonicator manual 5.3; electrotherapy.website, DOMAIN §5."
        ),
    ),
    ModalitySeed(
        slug="tens",
        name="TENS",
        kind="tens",
        parameters=PARAMETERS["tens"],
        contraindications=ELECTRICAL,
        precautions=("Epilepsy", "Impaired sensation in the area"),
        home_use=True,
        home_instructions=(
            "Place the pads around the painful area as your therapist showed you, never on the "
            "front of the neck, over the eyes or on broken skin. Switch the unit on and turn the "
            "strength up until you feel a strong but comfortable tingling, with no muscle "
            "twitching. Use it for the time you were given. Do not use it while driving or in the "
            "bath, and do not sleep with it on."
        ),
        source=(
            "Conventional 80-150 Hz, 50-250 µs; acupuncture-like 1-5 Hz, 200-250 µs (Systematic "
            "Reviews 2017 protocol, Table 1); session length unverified; Mettler manual 5.4."
        ),
        notes="Session length (20-30 min) is unverified; set per patient.",
    ),
    ModalitySeed(
        slug="nmes",
        name="NMES (muscle stimulation)",
        kind="nmes",
        parameters=PARAMETERS["nmes"],
        contraindications=ELECTRICAL,
        precautions=("Epilepsy", "Impaired sensation in the area", "Recent surgery nearby"),
        home_use=False,
        home_instructions="",
        source=(
            "30-50 Hz, 400-600 µs, 10 s on / 50 s off, intensity to maximum tolerance (Sports "
            "Health 2016); 50 Hz, 250-400 µs, 10/20 to 15/45 s (Sports Health 2021, Table 5)."
        ),
    ),
    ModalitySeed(
        slug="soft-tissue-massage",
        name="Soft-tissue massage",
        kind="soft_tissue_massage",
        parameters=PARAMETERS["soft_tissue_massage"],
        contraindications=SOFT_TISSUE,
        precautions=("Taking blood thinners (bruising)", "Varicose veins in the area"),
        home_use=False,
        home_instructions="",
        source="Minutes, region and technique as free text (standard practice), DOMAIN §5.",
    ),
    ModalitySeed(
        slug="iastm",
        name="Instrument-assisted soft-tissue work",
        kind="iastm",
        parameters=PARAMETERS["iastm"],
        contraindications=SOFT_TISSUE,
        precautions=("Taking blood thinners (bruising)", "Fragile skin", "Varicose veins"),
        home_use=False,
        home_instructions="",
        source="Minutes, region and technique (standard practice), DOMAIN §5.",
        notes="Default minutes are a clinical default (unverified).",
    ),
    ModalitySeed(
        slug="dry-needling",
        name="Dry needling",
        kind="dry_needling",
        parameters=PARAMETERS["dry_needling"],
        contraindications=("Needle phobia", "Patient does not consent"),
        precautions=(
            "Bleeding disorder or blood thinners",
            "Pregnancy",
            "Local infection",
            "Over an implant",
            "Lymphoedema",
            "Over the chest wall (pneumothorax risk)",
            "Check state scope of practice and record consent",
        ),
        home_use=False,
        home_instructions="",
        source=(
            "Muscle, side, needle count and size, response, adverse events; absolute and relative"
            " contraindications (Halle & Halle IJSPT; Kearns et al. 2019 JMMT; Pain Res Manag "
            "2022), DOMAIN §5."
        ),
    ),
    ModalitySeed(
        slug="compression",
        name="Compression",
        kind="compression",
        parameters=PARAMETERS["compression"],
        contraindications=(
            "Peripheral arterial disease or poor leg circulation",
            "Suspected deep vein thrombosis (pneumatic devices)",
            "Skin infection or open wound under the garment",
            "Heart failure with swelling of both legs",
        ),
        precautions=("Impaired sensation", "Fragile skin"),
        home_use=True,
        home_instructions=(
            "Put the compression sleeve or sock on smoothly with no folds or rolled edges. It "
            "should feel snug, not painful. Take it off straight away if your toes go pale, blue, "
            "cold, numb or tingly. Do not sleep in it unless your therapist told you to."
        ),
        source="Not covered by the domain brief: ranges are clinical defaults (unverified).",
        notes="Pressure and time ranges are unverified; set per patient.",
    ),
]


def parameters_for(kind: str) -> tuple[Parameter, ...]:
    return PARAMETERS.get(kind, ())


def clean_parameters(kind: str, values: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """Check values against the kind's parameter set; return (cleaned values, error messages).

    Unknown names are errors, numbers must sit inside their range, choices must be listed.
    """
    spec = {p.name: p for p in parameters_for(kind)}
    if not spec:
        return {}, [f"Unknown modality kind {kind!r}."]
    errors = [f"Unknown parameter {name!r}." for name in values if name not in spec]
    cleaned: dict[str, object] = {}
    for name, param in spec.items():
        raw = values.get(name, param.default)
        if raw in (None, ""):
            if param.required:
                errors.append(f"{param.label} is required.")
            cleaned[name] = ""
            continue
        if param.choices:
            if str(raw) not in param.choices:
                errors.append(f"{param.label} must be one of: {', '.join(param.choices)}.")
            cleaned[name] = str(raw)
        elif param.text:
            text = str(raw).strip()
            if len(text) > 200:
                errors.append(f"{param.label} must be 200 characters or fewer.")
            cleaned[name] = text
        else:
            try:
                number = float(str(raw))
            except ValueError:
                errors.append(f"{param.label} must be a number.")
                continue
            if number != number or number in (float("inf"), float("-inf")):
                errors.append(f"{param.label} must be a number.")
                continue
            low, high = param.minimum, param.maximum
            if (low is not None and number < low) or (high is not None and number > high):
                errors.append(f"{param.label} must be between {low:g} and {high:g} {param.unit}.")
            cleaned[name] = int(number) if number.is_integer() and param.step >= 1 else number
    return cleaned, errors
