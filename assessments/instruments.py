"""Outcome-measure instruments as data, scored by ``assessments.scoring``.

Item labels are short paraphrases written for this project, not the published wording: a
clinic that holds a licence for an instrument's exact wording can show its own copy beside them.
Sources for structure, scoring and change thresholds are in docs/assessments.md.
MCID values here are defaults only; the clinic's editable copy lives on ``InstrumentSetting``.
"""

from __future__ import annotations

from assessments.scoring import (
    Instrument,
    Item,
    ResponseOption,
    ResponseSet,
    ScoringRule,
    Subscale,
)

DIFFICULTY_0_4 = ResponseSet(
    code="difficulty_0_4_lefs",
    options=(
        ResponseOption(0, "Extreme difficulty or unable"),
        ResponseOption(1, "Quite a bit of difficulty"),
        ResponseOption(2, "Moderate difficulty"),
        ResponseOption(3, "A little difficulty"),
        ResponseOption(4, "No difficulty"),
    ),
)

ABILITY_0_4_NA = ResponseSet(
    code="ability_0_4_na",
    options=(
        ResponseOption(0, "Unable to do"),
        ResponseOption(1, "Extreme difficulty"),
        ResponseOption(2, "Moderate difficulty"),
        ResponseOption(3, "Slight difficulty"),
        ResponseOption(4, "No difficulty"),
    ),
    allows_na=True,
)

PROBLEM_0_4 = ResponseSet(
    code="problem_0_4",
    options=(
        ResponseOption(0, "None"),
        ResponseOption(1, "Mild"),
        ResponseOption(2, "Moderate"),
        ResponseOption(3, "Severe"),
        ResponseOption(4, "Extreme"),
    ),
)

PAIN_0_10 = ResponseSet(
    code="pain_0_10",
    options=tuple(
        ResponseOption(n, {0: "No pain", 10: "Worst pain imaginable"}.get(n, str(n)))
        for n in range(11)
    ),
)


def _items(prefix: str, labels: list[str], response_set: ResponseSet) -> tuple[Item, ...]:
    return tuple(
        Item(code=f"{prefix}{n}", label=label, response_set=response_set)
        for n, label in enumerate(labels, start=1)
    )


LEFS_ITEMS = _items(
    "q",
    [
        "Usual work, housework or school",
        "Usual hobbies, recreation or sport",
        "Getting into or out of the bath",
        "Walking between rooms",
        "Putting on shoes or socks",
        "Squatting",
        "Lifting a shopping bag from the floor",
        "Light jobs around the home",
        "Heavy jobs around the home",
        "Getting into or out of a car",
        "Walking two blocks",
        "Walking a mile",
        "Going up or down one flight of stairs",
        "Standing for an hour",
        "Sitting for an hour",
        "Running on even ground",
        "Running on uneven ground",
        "Sharp turns while running fast",
        "Hopping",
        "Rolling over in bed",
    ],
    DIFFICULTY_0_4,
)

LEFS = Instrument(
    code="lefs",
    name="Lower Extremity Functional Scale",
    version="1999",
    items=LEFS_ITEMS,
    subscales=(
        Subscale(
            code="total",
            label="LEFS total",
            item_codes=tuple(item.code for item in LEFS_ITEMS),
            rule=ScoringRule.SUM,
            score_min=0,
            score_max=80,
        ),
    ),
    default_mcid={"total": 9},
    default_mdc={"total": 9},
    source="Binkley et al. 1999, Phys Ther",
)

NPRS = Instrument(
    code="nprs",
    name="Numeric Pain Rating Scale",
    version="1",
    items=(Item(code="pain", label="Pain right now", response_set=PAIN_0_10),),
    subscales=(
        Subscale(
            code="pain",
            label="NPRS",
            item_codes=("pain",),
            rule=ScoringRule.SUM,
            score_min=0,
            score_max=10,
            higher_is_better=False,
        ),
    ),
    default_mcid={"pain": 2},
    source="Hrvatin & Puh 2021 (MCID about 2 points in limb musculoskeletal conditions)",
)

FAAM_ADL_ITEMS = _items(
    "adl",
    [
        "Standing",
        "Walking on even ground",
        "Walking on even ground barefoot",
        "Walking uphill",
        "Walking downhill",
        "Going up stairs",
        "Going down stairs",
        "Walking on uneven ground",
        "Stepping up and down kerbs",
        "Squatting",
        "Rising onto the toes",
        "First steps of a walk",
        "Walking up to 5 minutes",
        "Walking about 10 minutes",
        "Walking 15 minutes or more",
        "Jobs at home",
        "Daily activities",
        "Personal care",
        "Light to moderate work",
        "Heavy work",
        "Recreation",
    ],
    ABILITY_0_4_NA,
)

FAAM_SPORTS_ITEMS = _items(
    "sp",
    [
        "Running",
        "Jumping",
        "Landing",
        "Quick starts and stops",
        "Cutting and side-to-side moves",
        "Low-impact activity",
        "Usual technique in your sport",
        "Your sport for as long as you like",
    ],
    ABILITY_0_4_NA,
)

FAAM = Instrument(
    code="faam",
    name="Foot and Ankle Ability Measure",
    version="2005",
    items=FAAM_ADL_ITEMS + FAAM_SPORTS_ITEMS,
    subscales=(
        Subscale(
            code="adl",
            label="FAAM ADL %",
            item_codes=tuple(item.code for item in FAAM_ADL_ITEMS),
            rule=ScoringRule.PERCENT_OF_ANSWERED_MAX,
            score_min=0,
            score_max=100,
            min_answered=19,
            na_counts_as_answered=True,
        ),
        Subscale(
            code="sports",
            label="FAAM Sports %",
            item_codes=tuple(item.code for item in FAAM_SPORTS_ITEMS),
            rule=ScoringRule.PERCENT_OF_ANSWERED_MAX,
            score_min=0,
            score_max=100,
            min_answered=7,
            na_counts_as_answered=True,
        ),
    ),
    default_mcid={"adl": 8, "sports": 9},
    default_mdc={"adl": 5.7, "sports": 12.3},
    mcid_verified=False,
    source="Martin et al. 2005, Foot Ankle Int (MCID figures unverified)",
)

KOOS_PF_ITEMS = tuple(
    Item(code=f"pf{n}", label=f"KOOS-PF item {n}", response_set=PROBLEM_0_4) for n in range(1, 12)
)

KOOS_PF = Instrument(
    code="koos_pf",
    name="KOOS Patellofemoral subscale (KOOS-PF)",
    version="2018",
    items=KOOS_PF_ITEMS,
    subscales=(
        Subscale(
            code="pf",
            label="KOOS-PF",
            item_codes=tuple(item.code for item in KOOS_PF_ITEMS),
            rule=ScoringRule.KOOS,
            score_min=0,
            score_max=100,
            # Half the items, as for the other KOOS subscales; editable in review.
            min_answered=6,
        ),
    ),
    default_mcid={"pf": 16.4},
    default_mdc={"pf": 16},
    source="Crossley et al. 2018, BJSM",
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (LEFS, NPRS, FAAM, KOOS_PF)}


def get_instrument(code: str) -> Instrument:
    return INSTRUMENTS[code]
