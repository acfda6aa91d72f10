"""Every URL pattern, GET with hostile query values, as every role: never a server error.

The routes come from the URLconf; their ids are real ones from the demo data (`seed_demo`), so
the views get past their lookups and read the parameters. Each request sends every query
parameter any view reads with one hostile value: a NUL byte, a 1 MB string (64 KB in parameters
that are not free text), the years 0001 and 9999, 10^12, and Arabic-Indic digits.
"""

import re
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from rehab_clinic.accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": None,
    "patient": "patient@demo.clinic",
    "therapist": "therapist@demo.clinic",
    "admin": "admin@demo.clinic",
}
HOSTILE = {
    "nul": "1\x00' OR 1=1",
    "1 MB": "9" * 1_000_000,
    "year 0001": "0001-01-01",
    "year 9999": "9999-12-31",
    "10^12": str(10**12),
    "unicode digits": "٣٣",
}
# Every parameter a view reads from the query string (found with `grep GET` and the GET forms).
PARAMETERS = [
    "q",
    "page",
    "mine",
    "next",
    "kind",
    "episode",
    "category",
    "difficulty",
    "region",
    "equipment",
    "injury",
    "start",
    "end",
    "user",
    "patient",
    "action",
    "outcome",
    "sort",
    "date",
    "week",
]
# Which model an id in a route names: (pattern of the route, keyword) -> model label.
ID_SOURCES = [
    (r"^notifications/", "pk", "notifications.Notification"),
    (r"^(portal/)?messages/photos/", "pk", "messaging.Message"),
    (r"^(portal/)?messages/episodes/", "pk", "patients.Episode"),
    (r"^portal/measures/", "pk", "assessments.OutcomeAssignment"),
    (r"^portal/summaries/", "pk", "assessments.Note"),
    (r"^portal/versions/", "pk", "programs.ProgramVersion"),
    (r"^portal/documents/", "pk", "programs.ProgramDocument"),
    (r"^portal/run/gait/", "pk", "programs.GaitSession"),
    (r"^portal/run/", "pk", "programs.ReturnToRunPlan"),
    (r"^clinic/staff/", "pk", "accounts.User"),
    (r"^accounts/sessions/", "pk", "accounts.UserSession"),
    (r"^clinic/<int:pk>/logo", "pk", "accounts.Clinic"),
    (r"^fhir/Patient/", "pk", "patients.Patient"),
    (r"^(portal|patients)/records?/", "pk", "records.RecordExport"),
    (r"^patients/episodes/", "pk", "patients.Episode"),
    (r"^patients/goals/", "pk", "patients.CareGoal"),
    (r"^patients/", "pk", "patients.Patient"),
    (r"^assessments/", "episode_id", "patients.Episode"),
    (r"^assessments/", "pk", "assessments.Note"),
    (r"^library/modalities/", "pk", "exercises.Modality"),
    (r"^library/", "photo_pk", "exercises.ExercisePhoto"),
    (r"^library/", "pk", "exercises.Exercise"),
    (r"^programs/episodes/", "episode_pk", "patients.Episode"),
    (r"^programs/templates/", "pk", "programs.ProgramTemplate"),
    # The request and the clinic copy (versions/<version_pk>/clinic-copy/).
    (r"^programs/documents/versions/", "version_pk", "programs.ProgramVersion"),
    (r"^programs/documents/notes/", "note_pk", "assessments.Note"),
    (r"^programs/documents/note-pdfs/", "pk", "assessments.NoteDocument"),
    (r"^programs/documents/", "pk", "programs.ProgramDocument"),
    (r"^programs/rtr/protocols/", "pk", "programs.Protocol"),
    (r"^programs/rtr/gait/", "pk", "programs.GaitSession"),
    (r"^programs/rtr/", "change_pk", "programs.StageChange"),
    (r"^programs/rtr/", "pk", "programs.ReturnToRunPlan"),
    (r"^programs/", "item_pk", "programs.ProgramItem"),
    (r"^programs/", "entry_pk", "programs.ProgramModality"),
    (r"^programs/", "pk", "programs.HomeProgram"),
]
FREE_TEXT = {"q", "next"}
TEXT_VALUES = {"kind": "daily", "instrument": "lefs", "size": "thumb", "token": "x", "uidb64": "x"}


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry))
    return found


def _first_id(label: str) -> int:
    model = apps.get_model(label)
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 1


def _fill(route: str) -> str:
    """The route with every converter replaced by a real value."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if converter != "int":
            return TEXT_VALUES.get(name, "x")
        if name == "number":
            return "1"
        for pattern, keyword, label in ID_SOURCES:
            if keyword == name and re.match(pattern, route):
                return str(_first_id(label))
        raise AssertionError(f"no id source for <{name}> in {route}: add one to ID_SOURCES")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def test_no_get_with_a_hostile_query_value_is_a_server_error() -> None:
    call_command("seed_demo")
    urls = sorted({_fill(route) for route, _ in _routes(get_resolver().url_patterns)})
    assert len(urls) > 90
    failures = []
    for role, email in ROLES.items():
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(User.objects.get(email=email))
        for url in urls:
            if url.endswith("/logout/"):
                continue  # a GET there is refused (405); skipping keeps the session signed in
            for name, hostile in HOSTILE.items():
                query = dict.fromkeys(PARAMETERS, hostile)
                if name == "1 MB":
                    # 1 MB in each free-text parameter, 64 KB in the others: 20 MB per request
                    # would make this test take minutes and prove nothing more.
                    query = {key: hostile if key in FREE_TEXT else hostile[:65536] for key in query}
                response = client.get(url, query)
                if response.status_code >= 500:
                    failures.append(f"{role} GET {url} with {name}: {response.status_code}")
    assert not failures, "\n".join(failures)
