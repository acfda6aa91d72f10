"""A distance shown in the clinic's unit and saved unchanged keeps its exact metres.

The forms show two decimals of the clinic's unit: 400 m is "0.25 mi" and 5,000 m "3.11 mi".
Converting those back gave 402 m and 5,005 m, so saving a plan's stages without touching a
distance, or logging a watch file's run as read, changed the distance (and, in a distance
plan, the volume the flags compare)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programs.running.log_models import SessionLog
from tests.builders import make_plan
from tests.programs.running.runfile_data import fit_run
from tests.programs.running.test_views import LIMITS, _formset_post

pytestmark = pytest.mark.django_db


def _shown(formset: Any) -> list[dict[str, str]]:
    """Each stage as the customise page shows it, every field posted back as it stands."""
    fields = ("run_minutes", "walk_minutes", "repeats", "warm_up_minutes", "cool_down_minutes",
              "rpe", "sessions_per_week", "rest_days_between", "sessions_to_progress", "note",
              "run_distance", "walk_distance")  # fmt: skip
    return [
        {f: "" if row.get(f) is None else str(row[f]) for f in fields} for row in formset.initial
    ]


def _post(stages: list[dict[str, str]]) -> dict[str, str]:
    """As the page posts them: the stages shown are the formset's initial forms."""
    return {**LIMITS, **_formset_post(stages), "stages-INITIAL_FORMS": str(len(stages))}


def test_saving_stages_unchanged_in_miles_keeps_their_metres(
    client: Any, therapist: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, key="distance-mgh")  # the test clinic uses miles
    plan.stages.filter(number=1).update(run_m=5000, walk_m=400)  # set in metres elsewhere
    before = list(plan.stages.values_list("run_m", "walk_m"))
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_customise", args=[plan.pk])
    stages = _shown(client.get(url).context["formset"])
    assert (stages[0]["run_distance"], stages[0]["walk_distance"]) == ("3.11", "0.25")
    assert client.post(url, _post(stages)).status_code == 302
    assert list(plan.stages.values_list("run_m", "walk_m")) == before


def test_a_changed_distance_is_still_converted(client: Any, therapist: Any, episode: Any) -> None:
    plan = make_plan(episode, therapist, key="distance-mgh")
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_customise", args=[plan.pk])
    stages = _shown(client.get(url).context["formset"])
    stages[0]["run_distance"] = "0.26"
    assert client.post(url, _post(stages)).status_code == 302
    assert plan.stages.get(number=1).run_m == 418


@pytest.mark.parametrize("unit", ["mi", "km"])
def test_a_run_file_logged_as_read_keeps_its_metres(
    client: Any, patient_user: Any, episode: Any, therapist: Any, unit: str
) -> None:
    clinic = episode.patient.clinic
    clinic.distance_unit = unit
    clinic.save()
    plan = make_plan(episode, therapist, started_on=clinic.today() - dt.timedelta(days=10))
    client.force_login(patient_user)
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    start = (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0, second=0)
    upload = SimpleUploadedFile("run.fit", fit_run(start=start, distance_m=5432))
    read = client.post(url, {"action": "read_file", "run_file": upload})
    form = read.context["form"]
    data = {k: str(v) for k, v in form.initial.items() if k in form.fields}
    data.update(stage_number=str(plan.current_stage), completed="on", pain_during="2",
                pain_after="1", run_file_key=str(read.context["kept_run_file"].key))  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert SessionLog.objects.get().distance_m == 5432
