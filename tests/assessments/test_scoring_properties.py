"""Property tests: any valid set of answers scores inside the instrument's range or not at all."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.instruments import FAAM, INSTRUMENTS, KOOS_PF, LEFS, NPRS
from assessments.scoring import NA, Instrument, score_instrument


def answers_for(instrument: Instrument) -> st.SearchStrategy[dict]:
    per_item = {}
    for item in instrument.items:
        values = [o.value for o in item.response_set.options] + [None]
        if item.response_set.allows_na:
            values.append(NA)
        per_item[item.code] = st.sampled_from(values)
    return st.fixed_dictionaries(per_item)


def _check(instrument: Instrument, answers: dict) -> None:
    result = score_instrument(instrument, answers)
    for subscale in instrument.subscales:
        score = result.subscales[subscale.code]
        assert score.answered <= score.applicable <= len(subscale.item_codes)
        if score.valid:
            assert subscale.score_min <= score.score <= subscale.score_max
        else:
            assert score.score is None
            assert score.reason


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_instrument_scores_within_its_range(data):
    for instrument in (LEFS, NPRS, FAAM, KOOS_PF):
        _check(instrument, data.draw(answers_for(instrument)))
    assert set(INSTRUMENTS) == {"lefs", "nprs", "faam", "koos_pf"}
