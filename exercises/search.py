"""Library search in the clinic's words: a synonym list per body region and condition, ranked.

The database narrows the rows cheaply (`icontains` on the indexed search text, served by the
pg_trgm index on PostgreSQL, plus the tag tables); the final match and the ranking are this
module's pure functions, so SQLite (the embedded default) and PostgreSQL give the same results
in the same order. Words match at the start of a word: "ice" finds "ice massage", never
"quadriceps"; "glute" finds "glutes" and "gluteal".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# A clinic phrase -> what it means: other phrases that count as the same thing, and tags
# ("region:…", "injury:…", "equipment:…", "category:…", "modality:…") that count too.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "it band": ("iliotibial", "itb", "outer thigh", "lateral thigh", "injury:itbs",
                "region:lateral_thigh"),
    "itb": ("iliotibial", "it band", "outer thigh", "injury:itbs", "region:lateral_thigh"),
    "itbs": ("iliotibial", "it band", "outer thigh", "injury:itbs"),
    "glute med": ("gluteus medius", "hip abduction", "abduction", "clamshell", "clam",
                  "side steps", "lateral band walk", "fire hydrant", "hip hike", "side-lying leg"),
    "gluteus medius": ("glute med", "hip abduction", "abduction", "clamshell", "side steps"),
    "glute max": ("gluteus maximus", "bridge", "hip thrust", "hip extension", "region:glutes"),
    "glutes": ("buttock", "bridge", "region:glutes"),
    "bum": ("buttock", "glute", "region:glutes"),
    "butt": ("buttock", "glute", "region:glutes"),
    "ice": ("cold", "cryotherapy", "ice massage", "cold pack", "modality:cold_pack",
            "modality:ice_massage", "modality:cold_water_immersion"),
    "icing": ("ice", "cold", "modality:cold_pack", "modality:ice_massage"),
    "cryo": ("cold", "ice", "modality:cold_pack", "modality:cold_water_immersion"),
    "ice bath": ("cold water immersion", "modality:cold_water_immersion"),
    "heat": ("hot pack", "superficial heat", "modality:heat"),
    "e-stim": ("tens", "nmes", "electrical", "modality:tens", "modality:nmes"),
    "estim": ("tens", "nmes", "modality:tens", "modality:nmes"),
    "needling": ("dry needling", "modality:dry_needling"),
    "quads": ("quadriceps", "quad", "front of thigh", "region:quadriceps"),
    "quad": ("quadriceps", "front of thigh", "region:quadriceps"),
    "hammies": ("hamstring", "back of thigh", "region:hamstrings"),
    "hams": ("hamstring", "back of thigh", "region:hamstrings"),
    "calves": ("calf", "region:calf"),
    "achilles": ("calf", "heel drop", "injury:achilles"),
    "shin splints": ("mtss", "tibial", "shin", "injury:mtss"),
    "mtss": ("shin splints", "shin", "injury:mtss"),
    "runners knee": ("patellofemoral", "pfp", "injury:pfp"),
    "pfps": ("patellofemoral", "injury:pfp"),
    "pfp": ("patellofemoral", "injury:pfp"),
    "plantar fasciitis": ("plantar", "arch", "heel pain", "injury:plantar_heel"),
    "heel pain": ("plantar", "heel", "injury:plantar_heel"),
    "arch": ("plantar", "short foot", "toe", "region:foot"),
    "hip flexor": ("hip flexors", "front of hip", "psoas", "couch stretch"),
    "psoas": ("hip flexor", "front of hip"),
    "adductors": ("adductor", "groin", "inner thigh", "copenhagen", "region:groin"),
    "adductor": ("groin", "inner thigh", "copenhagen", "region:groin"),
    "groin": ("adductor", "inner thigh", "region:groin"),
    "tib ant": ("tibialis", "toe raise", "shin", "dorsiflexion"),
    "tibialis anterior": ("tibialis", "toe raise", "dorsiflexion"),
    "abs": ("core", "plank", "dead bug", "region:trunk"),
    "core": ("plank", "dead bug", "bird dog", "region:trunk", "category:core"),
    "low back": ("lower back", "lumbar", "region:lower_back"),
    "lumbar": ("lower back", "region:lower_back"),
    "t-spine": ("thoracic", "upper back", "rotation", "region:upper_back"),
    "thoracic": ("upper back", "t-spine", "region:upper_back"),
    "sprained ankle": ("ankle sprain", "inversion", "eversion", "balance", "injury:ankle_sprain"),
    "ankle sprain": ("inversion", "eversion", "balance", "injury:ankle_sprain"),
    "proprioception": ("balance", "single-leg", "category:balance"),
    "plyo": ("hop", "hops", "jump", "bound", "category:plyometrics"),
    "jumping": ("jump", "hop", "bound", "category:plyometrics"),
    "smr": ("foam roll", "roller", "category:foam_rolling"),
    "foam rolling": ("foam roll", "roller", "category:foam_rolling"),
    "stress fracture": ("bone stress", "injury:bone_stress"),
    "bsi": ("bone stress", "injury:bone_stress"),
    "high hamstring": ("hamstring", "injury:hamstring_tendinopathy"),
    "gtps": ("gluteal tendinopathy", "lateral hip", "injury:gluteal_tendinopathy"),
    "trochanteric": ("gluteal tendinopathy", "lateral hip", "injury:gluteal_tendinopathy"),
    "hip drop": ("hip hike", "glute med", "abduction"),
    "trendelenburg": ("hip hike", "abduction", "side-lying leg"),
    "alfredson": ("eccentric heel drop", "heel drop"),
    "eccentrics": ("eccentric",),
    "hsr": ("heavy slow", "heavy slow calf raise"),
    "iso": ("isometric", "hold"),
    "isometrics": ("isometric", "hold", "wall sit", "spanish squat"),
    "skipping": ("skipping rope", "jump rope", "skip"),
    "skip rope": ("skipping rope", "jump rope"),
    "cadence": ("quick-step", "step rate"),
    "dorsiflexion": ("ankle rocks", "knee-to-wall", "ankle pull-up"),
}  # fmt: skip

# Where a phrase is found counts for this much. The name beats an alias, an alias beats a tag.
WEIGHTS = {"name": 10.0, "aliases": 8.0, "tags": 5.0, "category": 3.0, "equipment": 2.0}
SYNONYM_FACTOR = 0.7
TAG_MATCH = 5.0
_SPACE = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, other marks a space: "Runner's knee" → "runners knee"."""
    return _SPACE.sub(" ", text.lower().replace("'", "").replace("\u2019", "")).strip()


@dataclass(frozen=True)
class Concept:
    """One thing the user asked for: the words typed, and what else counts as the same."""

    typed: str
    phrases: tuple[str, ...]
    tags: frozenset[str] = frozenset()


@dataclass
class SearchDocument:
    """What a row offers to search, in plain text fields (built from the database or a seed)."""

    key: Any
    name: str
    aliases: Sequence[str] = ()
    tags: Iterable[str] = ()  # "region:calf", "injury:achilles", "modality:cold_pack", …
    tag_names: Sequence[str] = ()
    category: str = ""
    equipment: Sequence[str] = ()
    _fields: dict[str, str] = field(default_factory=dict, repr=False)

    def fields(self) -> dict[str, str]:
        if not self._fields:
            self._fields = {
                "name": normalise(self.name),
                "aliases": " | ".join(normalise(a) for a in self.aliases),
                "tags": " | ".join(normalise(t) for t in self.tag_names),
                "category": normalise(self.category),
                "equipment": " | ".join(normalise(e) for e in self.equipment),
            }
        return self._fields


def parse_query(text: str, synonyms: dict[str, tuple[str, ...]] | None = None) -> list[Concept]:
    """Split a query into concepts; known clinic phrases (longest first) bring their synonyms."""
    table = {normalise(k): v for k, v in (SYNONYMS if synonyms is None else synonyms).items()}
    words = normalise(text).split()[:12]
    concepts: list[Concept] = []
    i = 0
    while i < len(words):
        for size in range(min(4, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in table or size == 1:
                extra = table.get(phrase, ())
                phrases = (phrase, *(normalise(e) for e in extra if ":" not in e))
                tags = frozenset(e for e in extra if ":" in e)
                concepts.append(Concept(phrase, tuple(dict.fromkeys(phrases)), tags))
                i += size
                break
    return concepts


def _found(phrase: str, text: str) -> bool:
    """The phrase starts at a word boundary ("glute" in "glutes", "ice" not in "quadriceps")."""
    return re.search(r"(?<![a-z0-9])" + re.escape(phrase), text) is not None


def concept_score(concept: Concept, document: SearchDocument) -> float:
    best = 0.0
    for label, text in document.fields().items():
        if not text:
            continue
        for phrase in concept.phrases:
            if _found(phrase, text):
                weight = WEIGHTS[label] * (1.0 if phrase == concept.typed else SYNONYM_FACTOR)
                # A whole word beats the start of one ("ice" as a word, not "icing").
                if re.search(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])", text):
                    weight += 1.0
                best = max(best, weight)
    if concept.tags & set(document.tags):
        best = max(best, TAG_MATCH) + 1.0
    return best


def score(concepts: Sequence[Concept], document: SearchDocument) -> float:
    """Zero unless every concept matches somewhere; otherwise higher is a better match."""
    total = 0.0
    for concept in concepts:
        part = concept_score(concept, document)
        if part == 0:
            return 0.0
        total += part
    typed = " ".join(c.typed for c in concepts)
    name = document.fields()["name"]
    if name == typed:
        total += 8.0  # the exercise's own name, typed in full
    elif len(concepts) > 1 and _found(typed, name):
        total += 5.0
    return total


def rank(documents: Iterable[SearchDocument], text: str) -> list[SearchDocument]:
    """Matching documents, best first; ties by name, then key, so the order never wobbles."""
    concepts = parse_query(text)
    if not concepts:
        return sorted(documents, key=lambda d: (d.name.lower(), str(d.key)))
    scored = [(score(concepts, d), d) for d in documents]
    return [
        d
        for s, d in sorted(scored, key=lambda p: (-p[0], p[1].name.lower(), str(p[1].key)))
        if s > 0
    ]


def candidate_terms(text: str) -> tuple[list[str], set[str]]:
    """Every phrase and tag any concept accepts: what the database may narrow by."""
    phrases: list[str] = []
    tags: set[str] = set()
    for concept in parse_query(text):
        phrases.extend(concept.phrases)
        tags |= concept.tags
    return list(dict.fromkeys(phrases)), tags
