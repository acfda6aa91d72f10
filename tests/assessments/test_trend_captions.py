"""The sentence under each score chart on the episode page reads as a sentence: the template's
line breaks printed "latest 3.0 , change -2.0 (MCID 2.0) : Improved", spaces before the comma
and the colon."""

import datetime as dt
import re

from django.urls import reverse

from assessments.models import Note
from assessments.services import record_outcome, save_note, sign_note, start_note
from tests.builders import intake


def test_the_caption_under_a_score_chart_has_no_space_before_its_punctuation(
    client, episode, therapist
):
    intake(episode, therapist, signed=True, day=dt.date(2026, 1, 5))  # LEFS 50, NPRS 6
    note = start_note(episode=episode, kind=Note.Kind.PROGRESS, by=therapist)
    note = save_note(
        note=note,
        content={"main": {"pain_now": 3, "assessment": "Better"}},
        visit_date=dt.date(2026, 2, 5),
        by=therapist,
        pain_now=3,
    )
    better = {f"q{n}": (4 if n <= 10 else 2) for n in range(1, 21)}  # 60
    record_outcome(episode=episode, instrument_code="lefs", answers=better, by=therapist, note=note)
    sign_note(note=note, by=therapist)
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
