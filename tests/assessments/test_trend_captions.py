"""The sentence under each score chart on the episode page reads as a sentence: the template's
line breaks printed "latest 3.0 , change -2.0 (MCID 2.0) : Improved", spaces before the comma
and the colon."""

import datetime as dt
import re

from django.urls import reverse

from assessments.services import record_outcome
from tests.builders import LEFS_72, daily, intake


def test_the_caption_under_a_score_chart_has_no_space_before_its_punctuation(
    client, episode, therapist
):
    intake(episode, therapist, signed=True, day=dt.date(2026, 1, 5))  # LEFS 50, NPRS 6
    daily(episode, therapist, pain=3, day=dt.date(2026, 2, 5))
    record_outcome(
        episode=episode, instrument_code="lefs", answers=LEFS_72, by=therapist,
        taken_on=dt.date(2026, 2, 5),
    )  # fmt: skip
    client.force_login(therapist)
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    captions = [
        " ".join(re.sub(r"<[^>]+>", "", caption).split())
        for caption in re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.S)
    ]
    lefs = next(caption for caption in captions if caption.startswith("LEFS"))
    assert "(MCID 9" in lefs
    assert "Improved by at least the MCID" in lefs
    for caption in captions:
        assert not re.search(r"\s[,:.]", caption), caption
