"""The run log's new answers: swelling, optional distance on a time plan, cadence and surface;
the stage defaults to the plan's and another stage needs a reason."""

from typing import Any

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.urls import reverse

from programs.running import services
from programs.running.forms import MorningCheckInForm, SessionLogForm
from programs.running.log_models import SessionLog, StageChange
from rehab_clinic.accounts.form_markup import PythonWidgets, form_markup
from tests.accounts.test_form_markup import _squeezed
from tests.builders import make_plan

pytestmark = pytest.mark.django_db

LOG = {
    "completed": "on",
    "duration_minutes": "40",
    "run_minutes": "5",
    "pain_during": "1",
    "pain_after": "1",
}


@pytest.fixture
def plan(episode: Any, therapist: Any) -> Any:
    return make_plan(episode, therapist)


def _post(client: Any, plan: Any, **data: str) -> Any:
    today = plan.episode.patient.clinic.today().isoformat()
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    return client.post(url, {"date": today, "stage_number": str(plan.current_stage), **LOG, **data})


def test_the_stage_picker_defaults_to_the_current_stage(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    page = client.get(reverse("programs:rtr_portal_log", args=[plan.pk])).content.decode()
    assert f'<option value="{plan.current_stage}" selected>' in page


def test_another_stage_needs_a_reason_beside_the_field(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    page = _post(client, plan, stage_number="3").content.decode()
    assert "Say why you ran stage 3" in page
    assert not SessionLog.objects.exists()
    assert _post(client, plan, stage_number="3", stage_reason="Felt great").status_code == 302
    assert SessionLog.objects.get().stage_reason == "Felt great"


def test_swelling_distance_cadence_and_surface_are_saved(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    response = _post(
        client, plan, swelling="marked", distance="1.5", cadence="168", surface="track"
    )
    assert response.status_code == 302
    log = SessionLog.objects.get()
    saved = (log.swelling, log.distance_m, log.cadence, log.surface)
    assert saved == ("marked", 2414, 168, "track")
    change = StageChange.objects.get()  # marked swelling steps back at once
    assert change.stop_sign
    assert "swelling" in change.clinical_reason


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cadence", "30", "between 60 and 250"),
        ("swelling", "huge", "Select a valid choice"),
        ("surface", "lava", "Select a valid choice"),
    ],
)
def test_bad_answers_get_a_message_beside_the_field_and_nothing_is_saved(
    client: Any, patient_user: Any, plan: Any, field: str, value: str, message: str
) -> None:
    client.force_login(patient_user)
    page = _post(client, plan, **{field: value}).content.decode()
    assert message in page
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize("change", ["pause", "close"])
def test_a_run_saved_after_the_plan_was_paused_or_closed_says_why(
    client: Any, patient_user: Any, therapist: Any, plan: Any, change: str
) -> None:
    """The runner opened the log form, the therapist paused or closed the plan meanwhile, the
    runner saves: they land on My running told the plan is no longer active and the run was
    not saved, not on a bare "Page not found" that leaves them guessing."""
    client.force_login(patient_user)
    assert client.get(reverse("programs:rtr_portal_log", args=[plan.pk])).status_code == 200
    if change == "pause":
        services.pause_plan(plan=plan, by=therapist, note="Sore knee")
    else:
        services.close_plan(plan=plan, by=therapist, status="completed", note="Done")
    response = _post(client, plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:rtr_portal_today")
    page = client.get(response["Location"]).content.decode()
    assert "was not saved" in page
    assert not SessionLog.objects.exists()
    # Another runner's plan still answers 404, whatever its state.
    assert client.get(reverse("programs:rtr_portal_log", args=[plan.pk + 1000])).status_code == 404


@pytest.mark.parametrize(
    "posted",
    [
        None,
        {"date": "2099-01-01", "stage_number": "3", "run_minutes": "50", "duration_minutes": "40"},
        {"pain_during": "11", "cadence": "10", "swelling": "odd", "notes": "<b>sore</b> & stiff"},
    ],
)
def test_the_run_log_and_check_in_are_drawn_as_crispy_drew_them(plan: Any, posted: Any) -> None:
    """Both forms are drawn with `|bs5_form` and their widgets in Python: the markup crispy and
    Django's widget templates drew, with and without errors (the swelling radios still go to
    crispy)."""
    today = plan.episode.patient.clinic.today()
    data = None if posted is None else {**LOG, **posted}
    for form_class, extra in [
        (SessionLogForm, {"unit": "km"}),
        (MorningCheckInForm, {}),
    ]:
        fast = form_class(data, plan=plan, today=today, **extra)
        slow = form_class(data, plan=plan, today=today, renderer=DjangoTemplates(), **extra)
        assert isinstance(fast.renderer, PythonWidgets)
        drawn = form_markup(fast)
        assert _squeezed(drawn) == _squeezed(as_crispy_form(slow))
        assert "&lt;b&gt;sore" in drawn or "sore" not in str(data)


def test_an_error_of_the_whole_run_log_is_shown_once(plan: Any) -> None:
    """The log's fields template printed the form's non-field errors, and the form renderer
    printed them again above the fields."""
    today = plan.episode.patient.clinic.today()
    form = SessionLogForm({}, plan=plan, unit="km", today=today)
    form.is_valid()
    form.add_error(None, "This run overlaps another one you logged.")
    drawn = render_to_string("programs/running/_log_fields.html", {"form": form, "plan": plan})
    assert drawn.count("This run overlaps another one you logged.") == 1
