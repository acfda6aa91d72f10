"""Outcome-measure scoring engine: pure functions of plain values, no database.

An instrument is data (see ``assessments.instruments``): items with response sets and weights,
optional branching (an item is shown only when another answer holds), subscales with a scoring
rule and a minimum number of answered items. Answers arrive as a mapping of item code to a
number, ``NA`` ("not applicable") or ``None`` (left blank).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

NA = "na"
"""The answer a patient gives when an item does not apply to them."""

Answer = float | int | str | None


class ScoringRule(StrEnum):
    SUM = "sum"
    """Weighted sum of the answered items (LEFS, NPRS)."""
    PERCENT_OF_ANSWERED_MAX = "percent_of_answered_max"
    """Weighted sum divided by the highest possible sum of the answered items, x100 (FAAM)."""
    MEAN = "mean"
    """Mean of the weighted answered items."""
    KOOS = "koos"
    """100 - mean x 100 / item maximum: 100 means no problems (KOOS family)."""


class ScoringError(ValueError):
    """An answer that is not one of the item's allowed responses."""


@dataclass(frozen=True)
class ResponseOption:
    value: int
    label: str


@dataclass(frozen=True)
class ResponseSet:
    code: str
    options: tuple[ResponseOption, ...]
    allows_na: bool = False

    @property
    def min_value(self) -> int:
        return min(option.value for option in self.options)

    @property
    def max_value(self) -> int:
        return max(option.value for option in self.options)

    def allows(self, value: float | int) -> bool:
        return any(option.value == value for option in self.options)


@dataclass(frozen=True)
class ShowWhen:
    """Branching: the item applies only when ``item`` was answered with one of ``values``."""

    item: str
    values: tuple[Answer, ...]


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    response_set: ResponseSet
    weight: float = 1.0
    show_when: ShowWhen | None = None


@dataclass(frozen=True)
class Subscale:
    code: str
    label: str
    item_codes: tuple[str, ...]
    rule: ScoringRule
    score_min: float
    score_max: float
    higher_is_better: bool = True
    min_answered: int | None = None
    """Fewest applicable items that must be answered for a valid score; None means all."""
    na_counts_as_answered: bool = False
    """Whether an N/A reply counts toward ``min_answered``: the respondent did reply, the item
    just does not apply to them. It never counts in the score itself."""


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    default_mcid: Mapping[str, float] = field(default_factory=dict)
    """Minimal clinically important difference per subscale code, as published."""
    default_mdc: Mapping[str, float] = field(default_factory=dict)
    """Minimal detectable change per subscale: a smaller change is within measurement error."""
    mcid_verified: bool = True
    """False when the published MCID could not be confirmed: the clinic must review it."""
    source: str = ""

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def subscale(self, code: str) -> Subscale:
        for subscale in self.subscales:
            if subscale.code == code:
                return subscale
        raise KeyError(code)


@dataclass(frozen=True)
class SubscaleScore:
    code: str
    score: float | None
    answered: int
    applicable: int
    valid: bool
    reason: str = ""


@dataclass(frozen=True)
class InstrumentResult:
    instrument: str
    version: str
    subscales: Mapping[str, SubscaleScore]

    @property
    def is_complete(self) -> bool:
        return all(score.valid for score in self.subscales.values())

    def score(self, subscale: str) -> float | None:
        return self.subscales[subscale].score

    def as_dict(self) -> dict[str, dict[str, object]]:
        return {
            code: {
                "score": s.score,
                "answered": s.answered,
                "applicable": s.applicable,
                "valid": s.valid,
                "reason": s.reason,
            }
            for code, s in self.subscales.items()
        }


def is_shown(item: Item, answers: Mapping[str, Answer]) -> bool:
    """Whether the branching rule of ``item`` lets it apply, given the other answers."""
    if item.show_when is None:
        return True
    return answers.get(item.show_when.item) in item.show_when.values


def clean_answers(instrument: Instrument, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Validate answers against each item's response set; drop answers to hidden items.

    Raises ScoringError on an unknown item or a value outside the response set.
    """
    known = {item.code for item in instrument.items}
    unknown = set(answers) - known
    if unknown:
        raise ScoringError(f"Unknown items: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Answer] = {}
    for item in instrument.items:
        value = answers.get(item.code)
        if value in (None, ""):
            cleaned[item.code] = None
        elif value == NA:
            if not item.response_set.allows_na:
                raise ScoringError(f"{item.code}: N/A is not allowed")
            cleaned[item.code] = NA
        else:
            if isinstance(value, str):
                try:
                    value = int(value)
                except ValueError as exc:
                    raise ScoringError(f"{item.code}: {value!r} is not a number") from exc
            if isinstance(value, bool) or not item.response_set.allows(value):
                raise ScoringError(f"{item.code}: {value!r} is not an allowed response")
            cleaned[item.code] = value
    # Branching is judged on validated answers; hidden items are not applicable.
    return {
        code: (value if is_shown(instrument.item(code), cleaned) else None)
        for code, value in cleaned.items()
    }


def score_subscale(
    instrument: Instrument, subscale: Subscale, answers: Mapping[str, Answer]
) -> SubscaleScore:
    applicable_items = [
        instrument.item(code)
        for code in subscale.item_codes
        if is_shown(instrument.item(code), answers) and answers.get(code) != NA
    ]
    answered = [
        (item, float(answers[item.code]))  # type: ignore[arg-type]
        for item in applicable_items
        if isinstance(answers.get(item.code), int | float)
    ]
    needed = len(applicable_items) if subscale.min_answered is None else subscale.min_answered
    base = {"code": subscale.code, "answered": len(answered), "applicable": len(applicable_items)}
    replied = len(answered)
    if subscale.na_counts_as_answered:
        replied += sum(
            1
            for code in subscale.item_codes
            if answers.get(code) == NA and is_shown(instrument.item(code), answers)
        )
    if not answered or replied < needed:
        reason = f"{replied} answered, at least {needed} needed"
        return SubscaleScore(score=None, valid=False, reason=reason, **base)  # type: ignore[arg-type]

    weighted = [item.weight * value for item, value in answered]
    if subscale.rule is ScoringRule.SUM:
        score = sum(weighted)
    elif subscale.rule is ScoringRule.MEAN:
        score = sum(weighted) / len(weighted)
    elif subscale.rule is ScoringRule.PERCENT_OF_ANSWERED_MAX:
        highest = sum(item.weight * item.response_set.max_value for item, _ in answered)
        score = sum(weighted) / highest * 100
    elif subscale.rule is ScoringRule.KOOS:
        item_max = max(item.response_set.max_value for item, _ in answered)
        score = 100 - (sum(weighted) / len(weighted)) * 100 / item_max
    else:  # pragma: no cover - every rule is handled above
        raise ScoringError(f"Unknown rule {subscale.rule}")
    return SubscaleScore(score=round(score, 2), valid=True, **base)  # type: ignore[arg-type]


def score_instrument(instrument: Instrument, answers: Mapping[str, Answer]) -> InstrumentResult:
    """Score every subscale of ``instrument``; invalid subscales carry a reason, not a score."""
    cleaned = clean_answers(instrument, answers)
    return InstrumentResult(
        instrument=instrument.code,
        version=instrument.version,
        subscales={s.code: score_subscale(instrument, s, cleaned) for s in instrument.subscales},
    )


class Change(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    WITHIN_MCID = "within_mcid"


def change_since_baseline(
    *, baseline: float, current: float, mcid: float | None, higher_is_better: bool = True
) -> tuple[float, Change | None]:
    """Signed change (current - baseline) and whether it reaches the MCID in either direction.

    Without an MCID the change is returned with no judgement.
    """
    delta = round(current - baseline, 2)
    if mcid is None:
        return delta, None
    benefit = delta if higher_is_better else -delta
    if benefit >= mcid:
        return delta, Change.IMPROVED
    if benefit <= -mcid:
        return delta, Change.WORSENED
    return delta, Change.WITHIN_MCID


def mcid_band(
    *, baseline: float, mcid: float, score_min: float, score_max: float
) -> tuple[float, float]:
    """The score range around the baseline where a change is smaller than the MCID."""
    return max(score_min, baseline - mcid), min(score_max, baseline + mcid)
