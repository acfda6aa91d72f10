"""Charting pages: the access matrix, signed-note immutability per route, drafts, audit rows
and query counts."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Addendum, Note, NoteDraft, OutcomeResponse
from rehab_clinic.audit.models import AuditEvent
from tests.builders import LEFS_50, daily, intake

pytestmark = pytest.mark.django_db


def _staff_gets(note: Note) -> list[str]:
    return [
        reverse("patients:episode", args=[note.episode_id]),
        reverse("assessments:note_detail", args=[note.pk]),
    ]


def _therapist_gets(note: Note) -> list[str]:
    return [
        reverse("assessments:note_edit", args=[note.pk]),
        reverse("assessments:note_outcome", args=[note.pk, "lefs"]),
        reverse("assessments:note_sign", args=[note.pk]),  # the confirmation page
    ]


def _posts(note: Note) -> list[str]:
    return [
        reverse("assessments:note_edit", args=[note.pk]),
        reverse("assessments:note_draft", args=[note.pk]),
        reverse("assessments:note_sign", args=[note.pk]),
        reverse("assessments:note_outcome", args=[note.pk, "lefs"]),
        reverse("assessments:addendum_create", args=[note.pk]),
        reverse("assessments:note_release", args=[note.pk]),
        reverse("assessments:note_start", args=[note.episode_id, "daily"]),
        reverse("assessments:outcome_assign", args=[note.episode_id]),
        reverse("assessments:note_patient_summary", args=[note.pk]),
        reverse("assessments:outcome_strike", args=[note.outcome_responses.first().pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, episode, therapist):
    note = intake(episode, therapist)
    for url in [*_staff_gets(note), *_therapist_gets(note), reverse("assessments:episode_list")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url


def test_therapist_of_the_clinic_opens_every_charting_page(client, episode, therapist):
    note = intake(episode, therapist)
    client.force_login(therapist)
    for url in [*_staff_gets(note), *_therapist_gets(note), reverse("assessments:episode_list")]:
        assert client.get(url).status_code == 200, url


def test_clinic_admin_reads_but_cannot_chart(client, episode, therapist, clinic_admin):
    note = intake(episode, therapist)
    client.force_login(clinic_admin)
    for url in _staff_gets(note):
        assert client.get(url).status_code == 200, url
    for url in _therapist_gets(note):
        assert client.get(url).status_code == 403, url


def test_another_clinics_therapist_gets_404_on_every_route(
    client, episode, therapist, other_therapist
):
    note = intake(episode, therapist)
    client.force_login(other_therapist)
    for url in [*_staff_gets(note), *_therapist_gets(note)]:
        assert client.get(url).status_code == 404, url
    for url in _posts(note):
        assert (
            client.post(url, {"reason": "x", "text": "y", "instrument": "lefs"}).status_code == 404
        ), url
    note.refresh_from_db()
    assert not note.is_signed
    assert not Note.objects.filter(kind="daily").exists()
    assert not Addendum.objects.exists()


def test_another_clinics_admin_gets_404_on_pages_it_may_open(
    client, episode, therapist, other_admin
):
    note = intake(episode, therapist)
    client.force_login(other_admin)
    for url in _staff_gets(note):
        assert client.get(url).status_code == 404, url


def test_patients_get_403_on_staff_pages(client, episode, therapist, patient_user):
    note = intake(episode, therapist)
    client.force_login(patient_user)
    for url in [*_staff_gets(note), *_therapist_gets(note)]:
        assert client.get(url).status_code == 403, url
    for url in _posts(note):
        assert client.post(url).status_code == 403, url


INTAKE_POST = {
    "visit_date": "2026-01-05",
    "nprs_now": "5",
    "nprs_best": "2",
    "nprs_worst": "7",
    "pain_regions": ["back-achilles-r"],
    "cadence": "158",
    "diagnosis": "Midportion Achilles tendinopathy",
    "rom-TOTAL_FORMS": "1",
    "rom-INITIAL_FORMS": "0",
    "rom-0-motion": "ankle_dorsiflexion",
    "rom-0-how": "Knee bent",
    "rom-0-right": "30",
    "strength-TOTAL_FORMS": "1",
    "strength-INITIAL_FORMS": "0",
    "strength-0-muscle_group": "Plantarflexors",
    "strength-0-dynamometer_right": "300",
    "strength-0-dynamometer_left": "400",
    "special_tests-TOTAL_FORMS": "0",
    "special_tests-INITIAL_FORMS": "0",
    "hops-TOTAL_FORMS": "0",
    "hops-INITIAL_FORMS": "0",
}


def test_saving_the_intake_form_stores_sections_and_nprs(client, episode, therapist):
    client.force_login(therapist)
    url = reverse("assessments:note_start", args=[episode.pk, "intake"])
    response = client.post(url)
    note = Note.objects.get(episode=episode)
    assert response.url == reverse("assessments:note_edit", args=[note.pk])
    response = client.post(reverse("assessments:note_edit", args=[note.pk]), INTAKE_POST)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.content["main"]["cadence"] == 158
    assert note.content["main"]["pain_regions"] == ["back-achilles-r"]
    assert note.content["rom"][0]["right"] == 30
    assert OutcomeResponse.objects.get(note=note, instrument="nprs").score("pain") == 5
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "25.0%" in page  # strength side-to-side difference, 300 vs 400 N
    assert "Achilles, right (back)" in page


def test_invalid_intake_shows_errors_and_keeps_what_was_typed(client, episode, therapist):
    note = intake(episode, therapist)
    client.force_login(therapist)
    data = {**INTAKE_POST, "nprs_best": "9", "nprs_worst": "3", "gait_notes": "Keep me"}
    response = client.post(reverse("assessments:note_edit", args=[note.pk]), data)
    assert response.status_code == 200
    assert "Best pain cannot be higher than worst pain." in response.content.decode()
    assert "Keep me" in response.content.decode()


def test_mass_assignment_of_signature_fields_is_ignored(client, episode, therapist):
    note = intake(episode, therapist)
    client.force_login(therapist)
    data = {
        **INTAKE_POST,
        "signed_at": "2020-01-01T00:00",
        "signed_by": therapist.pk,
        "content_hash": "0" * 64,
        "episode": 999,
        "author": 999,
    }
    client.post(reverse("assessments:note_edit", args=[note.pk]), data)
    note.refresh_from_db()
    assert not note.is_signed
    assert note.episode_id == episode.pk
    assert note.author_id == therapist.pk


def test_a_signed_note_cannot_be_changed_through_any_route(client, episode, therapist):
    note = intake(episode, therapist, signed=True)
    before = (note.content, note.content_hash, note.signed_at)
    outcomes = OutcomeResponse.objects.filter(note=note).count()
    client.force_login(therapist)
    routes = {
        ("get", "assessments:note_edit"): {},
        ("post", "assessments:note_edit"): INTAKE_POST,
        ("post", "assessments:note_draft"): {"nprs_now": "1"},
        ("post", "assessments:note_sign"): {},
        ("get", "assessments:note_sign"): {},
        ("get", "assessments:note_outcome"): {},
        ("post", "assessments:note_outcome"): {f"q{n}": "0" for n in range(1, 21)},
    }
    for (method, name), data in routes.items():
        args = [note.pk, "lefs"] if name == "assessments:note_outcome" else [note.pk]
        response = getattr(client, method)(reverse(name, args=args), data)
        assert response.status_code == 409, (method, name)
    note.refresh_from_db()
    assert (note.content, note.content_hash, note.signed_at) == before
    assert note.hash_matches()
    assert OutcomeResponse.objects.filter(note=note).count() == outcomes
    assert not NoteDraft.objects.filter(note=note).exists()


def test_addendum_is_shown_beside_the_unchanged_original(client, episode, therapist):
    note = intake(episode, therapist, signed=True)
    client.force_login(therapist)
    response = client.post(
        reverse("assessments:addendum_create", args=[note.pk]),
        {"kind": "correction", "reason": "Wrong side typed", "text": "Arc sign was on the right."},
    )
    assert response.status_code == 302
    addendum = Addendum.objects.get(note=note)
    assert addendum.author == therapist
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "Wrong side typed" in page
    assert "Original note" in page
    assert "matches the stored content" in page
    note.refresh_from_db()
    assert note.hash_matches()


def test_withholding_a_signed_note_needs_a_reason_and_keeps_the_hash(client, episode, therapist):
    note = intake(episode, therapist, signed=True)
    client.force_login(therapist)
    url = reverse("assessments:note_release", args=[note.pk])
    client.post(url, {"reason": ""})
    note.refresh_from_db()
    assert not note.is_withheld
    client.post(url, {"reason": "Sensitive family history"})
    note.refresh_from_db()
    assert note.withheld_reason == "Sensitive family history"
    assert note.hash_matches()


def test_draft_is_restored_for_the_same_user_after_a_new_login(client, episode, therapist):
    note = intake(episode, therapist)
    client.force_login(therapist)
    draft = client.post(
        reverse("assessments:note_draft", args=[note.pk]),
        {"visit_date": "2026-01-05", "gait_notes": "Typed before the tab closed"},
    )
    assert draft.status_code == 204
    client.logout()
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    assert "Typed before the tab closed" in page
    assert "Your unsaved draft was restored." in page
    # signing waits until the draft has been saved as the note
    client.post(reverse("assessments:note_sign", args=[note.pk]))
    note.refresh_from_db()
    assert not note.is_signed


def test_every_view_and_change_is_audited(client, episode, therapist):
    note = intake(episode, therapist)
    client.force_login(therapist)
    start = AuditEvent.objects.count()
    client.get(reverse("patients:episode", args=[episode.pk]))
    client.get(reverse("assessments:note_detail", args=[note.pk]))
    client.get(reverse("assessments:note_edit", args=[note.pk]))
    client.post(reverse("assessments:note_draft", args=[note.pk]), {"gait_notes": "x"})
    client.post(reverse("assessments:note_edit", args=[note.pk]), INTAKE_POST)
    client.post(
        reverse("assessments:note_outcome", args=[note.pk, "lefs"]),
        {k: str(v) for k, v in LEFS_50.items()},
    )
    client.post(reverse("assessments:note_sign", args=[note.pk]))
    client.post(
        reverse("assessments:addendum_create", args=[note.pk]),
        {"kind": "addendum", "reason": "Result arrived", "text": "MRI normal"},
    )
    events = list(
        AuditEvent.objects.order_by("id")[start:].values_list("action", "object_type", "patient_id")
    )
    actions = [a for a, _o, _p in events]
    assert actions.count(AuditEvent.Action.VIEW) >= 3
    assert AuditEvent.Action.SIGN in actions
    assert actions.count(AuditEvent.Action.CHANGE) >= 2  # draft + save
    assert actions.count(AuditEvent.Action.CREATE) >= 2  # outcome + addendum
    assert all(p == episode.patient_id for _a, _o, p in events)
    assert "assessments.Addendum" in {o for _a, o, _p in events}


def _episode_queries(client: Any, episode: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("patients:episode", args=[episode.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_episode_page_queries_do_not_grow_with_notes(client, episode, therapist):
    intake(episode, therapist, signed=True)
    client.force_login(therapist)
    client.get(reverse("patients:episode", args=[episode.pk]))  # warm session
    one = _episode_queries(client, episode)
    for n in range(29):
        note = daily(episode, therapist, pain=n % 10, day=dt.date(2026, 1, 6) + dt.timedelta(n))
        Addendum.objects.create(note=note, author=therapist, reason="r", text="t", content_hash="x")
    thirty = _episode_queries(client, episode)
    assert Note.objects.filter(episode=episode).count() == 30
    assert one == thirty


def test_episode_page_charts_scores_with_mcid_band(client, episode, therapist):
    intake(episode, therapist, signed=True, day=dt.date(2026, 1, 5))
    later = daily(episode, therapist, pain=2, day=dt.date(2026, 2, 5), signed=False)
    from assessments.services import record_outcome, sign_note

    better = {f"q{n}": (4 if n <= 10 else 2) for n in range(1, 21)}  # 60
    record_outcome(
        episode=episode, instrument_code="lefs", answers=better, by=therapist, note=later
    )
    sign_note(note=later, by=therapist)
    client.force_login(therapist)
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert "Within MCID of baseline: 41 to 59" in page  # LEFS 50 +/- 9
    assert "Within MCID of baseline: 4 to 8" in page  # NPRS 6 +/- 2
    assert page.count('class="score-chart"') == 2
    assert "<script" not in page.split("<svg", 1)[1].split("</main>")[0]


def _modality(clinic=None):
    from exercises.models import Modality

    return Modality.objects.create(
        clinic=clinic,
        name="TENS test unit",
        slug=f"tens-test-{clinic.pk if clinic else 'shared'}",
        kind=Modality.Kind.TENS,
        contraindications=["Pacemaker"],
    )


DAILY_POST = {
    "visit_date": "2026-01-12",
    "pain_now": "3",
    "subjective": "Easier on stairs",
    "plan": "Progress load",
    "modalities-TOTAL_FORMS": "1",
    "modalities-INITIAL_FORMS": "0",
    "minutes-TOTAL_FORMS": "0",  # the treatment minutes table, left empty
    "minutes-INITIAL_FORMS": "0",
    "modalities-0-parameters": "100 Hz, 20 min",
    "modalities-0-minutes": "20",
}


def test_daily_note_modality_needs_the_contraindication_check(client, episode, therapist):
    modality = _modality()
    note = daily(episode, therapist, day=dt.date(2026, 1, 12), signed=False)
    client.force_login(therapist)
    url = reverse("assessments:note_edit", args=[note.pk])
    assert "Do not apply with: Pacemaker" in client.get(url).content.decode()
    data = {**DAILY_POST, "modalities-0-modality": str(modality.pk)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Confirm you checked the contraindications" in response.content.decode()
    response = client.post(url, {**data, "modalities-0-contraindications_checked": "on"})
    assert response.status_code == 302
    note.refresh_from_db()
    row = note.content["modalities"][0]
    assert row["modality"] == modality.pk
    assert row["modality_name"] == "TENS test unit"
    assert row["contraindications_checked"] is True
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "TENS test unit" in page


def test_another_clinics_modality_cannot_be_chosen(client, episode, therapist, other_clinic):
    foreign = _modality(clinic=other_clinic)
    note = daily(episode, therapist, day=dt.date(2026, 1, 12), signed=False)
    client.force_login(therapist)
    data = {
        **DAILY_POST,
        "modalities-0-modality": str(foreign.pk),
        "modalities-0-contraindications_checked": "on",
    }
    response = client.post(reverse("assessments:note_edit", args=[note.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_progress_note_shows_change_since_intake_against_the_mcid(client, episode, therapist):
    from assessments.services import record_outcome, save_note, start_note

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
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "Change since intake" in page
    assert "Improved by at least the MCID" in page  # LEFS +10 >= 9, NPRS -3 >= 2
    assert page.count("Improved by at least the MCID") == 2


def test_clinic_admin_edits_an_unverified_mcid_and_charts_use_it(
    client, clinic_admin, therapist, episode
):
    client.force_login(clinic_admin)
    url = reverse("assessments:instrument_settings")
    page = client.get(url).content.decode()
    assert "unverified: please review" in page
    assert client.post(url, {"faam__adl": "10", "lefs__total": "9"}).status_code == 302
    from assessments.models import InstrumentSetting, mcid_table

    assert InstrumentSetting.objects.get(instrument="faam", subscale="adl").mcid == 10
    assert not InstrumentSetting.objects.filter(instrument="lefs").exists()  # default kept
    assert mcid_table(clinic_admin.clinic_id)[("faam", "adl")] == 10
    assert mcid_table(clinic_admin.clinic_id)[("faam", "sports")] == 9
    client.force_login(therapist)
    assert client.get(url).status_code == 403


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_free_text_is_escaped_on_staff_and_portal_pages(client, episode, therapist, patient_user):
    note = intake(episode, therapist)
    client.force_login(therapist)
    data = {**INTAKE_POST, "gait_notes": XSS, "diagnosis": XSS[:150], "rom-0-how": XSS[:60]}
    assert client.post(reverse("assessments:note_edit", args=[note.pk]), data).status_code == 302
    client.post(reverse("assessments:note_sign", args=[note.pk]))
    client.post(
        reverse("assessments:addendum_create", args=[note.pk]),
        {"kind": "addendum", "reason": XSS[:100], "text": XSS},
    )
    pages = [
        client.get(reverse("assessments:note_detail", args=[note.pk])),
        client.get(reverse("patients:episode", args=[episode.pk])),
    ]
    client.force_login(patient_user)
    pages.append(client.get(reverse("assessments:portal_summary", args=[note.pk])))
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0].content.decode()


def test_csrf_token_endpoint_needs_a_session_and_returns_only_a_token(client, therapist):
    url = reverse("assessments:csrf_token")
    assert client.get(url).status_code == 302
    client.force_login(therapist)
    response = client.get(url)
    assert response.status_code == 200
    assert set(response.json()) == {"token"}


_text = st.text(max_size=40)
_fuzz = st.fixed_dictionaries(
    {
        "visit_date": st.one_of(st.just("2026-01-05"), _text),
        "nprs_now": st.one_of(st.sampled_from([str(n) for n in range(12)]), _text),
        "cadence": st.one_of(st.integers(-10, 400).map(str), _text),
        "weekly_distance": st.one_of(st.decimals(-5, 500, places=2).map(str), _text),
        "gait_notes": _text,
        "video_link": _text,
        "pain_regions": st.lists(st.sampled_from(["back-achilles-r", "nowhere", ""]), max_size=3),
        "rom-0-right": st.one_of(st.integers(-500, 500).map(str), _text),
        "rom-0-motion": st.sampled_from(["", "ankle_dorsiflexion", "elbow"]),
        "lefs-q1": st.sampled_from(["", "3", "9"]),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fuzz=_fuzz)
def test_fuzzed_intake_posts_never_crash_or_half_save(client, episode, therapist, fuzz):
    note = Note.objects.filter(episode=episode, signed_at__isnull=True).first() or intake(
        episode, therapist
    )
    before = Note.objects.get(pk=note.pk).content
    client.force_login(therapist)
    data = {**INTAKE_POST, **fuzz}
    response = client.post(reverse("assessments:note_edit", args=[note.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Note.objects.get(pk=note.pk).content == before


def test_new_daily_note_copies_forward_through_the_episode_page(client, episode, therapist):
    daily(episode, therapist, pain=5, day=dt.date(2026, 1, 7))
    client.force_login(therapist)
    url = reverse("assessments:note_start", args=[episode.pk, "daily"])
    response = client.post(url, {"copy": "1"})
    note = Note.objects.filter(episode=episode).latest("id")
    assert response.url == reverse("assessments:note_edit", args=[note.pk])
    page = client.get(response.url).content.decode()
    assert "Continue" in page  # the previous plan, ready to edit
    assert (
        client.post(reverse("assessments:note_start", args=[episode.pk, "bogus"])).status_code
        == 404
    )
    assert client.get(url).status_code == 405


def test_a_draft_older_than_a_colleagues_save_is_not_restored(client, episode, therapist, clinic):
    from assessments.services import save_draft
    from tests.factories import UserFactory

    note = intake(episode, therapist)
    save_draft(note=note, by=therapist, data={"gait_notes": ["old draft text"]})
    colleague = UserFactory(clinic=clinic, role="therapist")
    client.force_login(colleague)
    client.post(
        reverse("assessments:note_edit", args=[note.pk]), {**INTAKE_POST, "gait_notes": "new"}
    )
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    assert "old draft text" not in page
    assert "Your unsaved draft was restored." not in page
    assert not NoteDraft.objects.filter(note=note).exists()


def test_episode_page_says_when_a_progress_report_is_due(client, episode, therapist):
    intake(episode, therapist, signed=True, day=dt.date(2026, 1, 5))
    for n in range(10):
        daily(episode, therapist, day=dt.date(2026, 1, 6) + dt.timedelta(n))
    client.force_login(therapist)
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert "10 treatment visits since the last evaluation or progress note" in page
    assert "a progress report is due" in page


def test_visits_since_progress_report_counts_daily_notes_after_the_latest_report():
    from assessments.summaries import visits_since_progress_report

    def n(kind, day, pk):
        return Note(kind=kind, visit_date=dt.date(2026, 1, day), id=pk)

    notes = [
        n("intake", 1, 1),
        n("daily", 2, 2),
        n("progress", 3, 3),
        n("daily", 4, 4),
        n("daily", 5, 5),
    ]
    assert visits_since_progress_report(notes) == 2
    assert visits_since_progress_report(notes[:2]) == 1
    assert visits_since_progress_report([]) == 0


def test_withholding_assigning_and_the_portal_fill_are_audited(
    client, episode, therapist, patient_user
):
    note = intake(episode, therapist, signed=True)
    client.force_login(therapist)
    start = AuditEvent.objects.count()
    client.post(reverse("assessments:note_release", args=[note.pk]), {"reason": "Harm"})
    client.post(reverse("assessments:outcome_assign", args=[episode.pk]), {"instrument": "nprs"})
    client.force_login(patient_user)
    assignment = episode.outcome_assignments.get()
    client.get(reverse("assessments:portal_measure", args=[assignment.pk]))
    client.post(reverse("assessments:portal_measure", args=[assignment.pk]), {"pain": "2"})
    events = list(
        AuditEvent.objects.order_by("id")[start:].values_list("action", "object_type", "user_id")
    )
    assert (AuditEvent.Action.CHANGE, "assessments.Note", therapist.pk) in events
    assert (AuditEvent.Action.CREATE, "assessments.OutcomeAssignment", therapist.pk) in events
    assert (AuditEvent.Action.VIEW, "assessments.OutcomeAssignment", patient_user.pk) in events
    assert (AuditEvent.Action.CREATE, "assessments.OutcomeResponse", patient_user.pk) in events
