"""Every URL pattern, GET with hostile query values, as every role: never a server error.

The routes come from the URLconf; their ids are real ones from the demo data (`seed_demo`), so
the views get past their lookups and read the parameters. Each request sends every query
parameter any view reads with one hostile value: a NUL byte, a 1 MB string (64 KB in parameters
that are not free text), the years 0001 and 9999, 10^12, and Arabic-Indic digits.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.reports.forms import ReportFilterForm
from exercises.forms import LibraryFilterForm
from patients.forms import CaseloadSearchForm
from patients.hooks import registry
from programs.home.forms import LibrarySearchForm
from programs.running.runfile_forms import KeptRunFileForm
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.forms import AuditFilterForm

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
# Every parameter a view reads from the query string; test_parameters_cover_every_key_a_view_reads
# finds them (request.GET reads, the fields of the forms bound to request.GET, caseload filters).
PARAMETERS = [
    "q",
    "run_file_key",
    "show",
    "flagged",
    "no_recent_visit",
    "therapist",
    "user_q",
    "patient_q",
    "page",
    "mine",
    "next",
    "back",
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
    (r"^portal/run/logs/", "pk", "programs.SessionLog"),
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
    (r"^programs/rtr/logs/", "pk", "programs.SessionLog"),
    (r"^programs/rtr/", "change_pk", "programs.StageChange"),
    (r"^programs/rtr/", "pk", "programs.ReturnToRunPlan"),
    (r"^programs/", "item_pk", "programs.ProgramItem"),
    (r"^programs/", "entry_pk", "programs.ProgramModality"),
    (r"^programs/", "pk", "programs.HomeProgram"),
]
FREE_TEXT = {"q", "next", "back", "user_q", "patient_q"}
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


ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ("rehab_clinic", "patients", "assessments", "exercises", "programs")
# A key named in the code: request.GET.get("x"), request.GET.getlist("x"), request.GET["x"],
# "x" in request.GET.
_LITERAL_READ = re.compile(
    r"""request\.GET(?:\.get(?:list)?\(\s*|\[\s*)["']([^"']+)["']"""
    r"""|["']([^"']+)["']\s+in\s+request\.GET\b"""
)
# request.GET handed on whole (to a form, or a helper that binds one).
_HANDED_ON = re.compile(
    r"(?<!in )request\.GET\b(?!\s*\.\s*(?:get|getlist|copy|lists|urlencode)\b|\s*\[)"
)
# module -> the forms it binds to the query string (the module hands request.GET on).
GET_FORMS: dict[str, list[type[Any]]] = {
    "patients.caseload": [CaseloadSearchForm],
    "exercises.views": [LibraryFilterForm],
    "rehab_clinic.audit.views": [AuditFilterForm],
    "assessments.reports.views": [ReportFilterForm],
    "programs.home.views": [LibrarySearchForm],  # through _library_results
    "programs.running.portal_views": [KeptRunFileForm],  # the next run file of several
}
# Modules that read request.GET by a computed key, and where those keys come from.
COMPUTED_KEYS = {
    "patients.caseload": "registry.caseload_filters (every registered filter)",
    "rehab_clinic.audit.views": "_typed(request, name): user_q and patient_q, AuditFilterForm's",
}
# Modules that look at the whole query string without reading a parameter of it.
WHOLE_QUERY = {
    "rehab_clinic.accounts.middleware": "refuses a NUL byte in any value",
    "rehab_clinic.accounts.paging": "copies the query into the page links",
    "assessments.reports.views": "puts the query into the export link",
}


def _app_sources() -> dict[str, str]:
    sources = {}
    for top in APP_DIRS:
        for path in sorted((ROOT / top).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            sources[module] = path.read_text()
    return sources


def test_parameters_cover_every_key_a_view_reads() -> None:
    sources = _app_sources()
    read: dict[str, set[str]] = {}
    for module, text in sources.items():
        for match in _LITERAL_READ.finditer(text):
            read.setdefault(match.group(1) or match.group(2), set()).add(module)
    handed_on = {module for module, text in sources.items() if _HANDED_ON.search(text)}
    assert handed_on == set(GET_FORMS), "list the forms this module binds to request.GET"
    for forms in GET_FORMS.values():
        for form in forms:
            for field in form.base_fields:
                read.setdefault(field, set()).add(form.__name__)
    computed = {
        module
        for module, text in sources.items()
        if re.search(r"request\.GET\.get\(\s*[a-z_]", text)
    }
    assert computed == set(COMPUTED_KEYS)
    for key in registry.caseload_filters:
        read.setdefault(key, set()).add("caseload filter")
    missing = {key: sorted(where) for key, where in read.items() if key not in PARAMETERS}
    assert not missing, f"add to PARAMETERS (and FREE_TEXT if free text): {missing}"
    whole = {
        module
        for module, text in sources.items()
        if re.search(r"request\.GET\.(copy|lists|urlencode)\(", text)
    }
    assert whole == set(WHOLE_QUERY)


def test_the_key_finder_sees_each_way_of_reading_the_query_string() -> None:
    text = (
        'request.GET.get("a")\nrequest.GET.getlist(\'b\')\nrequest.GET["c"]\n'
        'if "d" in request.GET:\nrequest.GET.get(key)\n'
    )
    assert [m.group(1) or m.group(2) for m in _LITERAL_READ.finditer(text)] == ["a", "b", "c", "d"]
    assert not _HANDED_ON.search(text)
    assert _HANDED_ON.search("Form(request.GET, x=1)")
    assert _HANDED_ON.search("request.GET or None")
