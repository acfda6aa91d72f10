"""The code conventions of docs/architecture.md ("Conventions"), each held by a check here.

Views: every route's view names its request type after its access decorator and restricts its
HTTP methods. Services: take the acting user and plain values, never a form or the request, and
they (not views) write the audit trail of a change.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.test_architecture import MODULES, ROOT
from tests.test_url_policy import all_routes

# The access policy a decorator records -> the request type its view's first parameter names.
REQUEST_TYPE = {
    "public": "HttpRequest",
    "authenticated": "AuthedRequest",
    "staff": "StaffRequest",
    "therapist": "StaffRequest",
    "clinic_admin": "StaffRequest",
    "patient": "PatientRequest",
}


def _chain(view: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """The view and every function it wraps (functools.wraps sets __wrapped__)."""
    current: Callable[..., Any] | None = view
    while current is not None:
        yield current
        current = getattr(current, "__wrapped__", None)


def _restricts_methods(view: Callable[..., Any]) -> bool:
    """Whether require_http_methods (or require_GET/POST/safe, built on it) wraps the view.

    functools.wraps copies the name and qualname, so the wrapper is known by its code object.
    """
    return any(
        getattr(getattr(f, "__code__", None), "co_qualname", "").startswith("require_http_methods.")
        for f in _chain(view)
    )


def _our_views() -> dict[str, tuple[str, Callable[..., Any]]]:
    """route -> (policy, innermost function) for every route whose view is a function of ours."""
    found = {}
    for route, view in all_routes():
        inner = list(_chain(view))[-1]
        if getattr(view, "view_class", None) is None and inner.__module__.split(".")[0] in {
            "rehab_clinic",
            "patients",
            "assessments",
            "exercises",
            "programs",
        }:
            found[route] = (view.access_policy, inner)
    return found


def _first_parameter_type(function: Callable[..., Any]) -> str:
    parameters = list(inspect.signature(function).parameters.values())
    if not parameters:
        return "(none)"
    annotation = parameters[0].annotation
    if annotation is inspect.Parameter.empty:
        return "(none)"
    return annotation if isinstance(annotation, str) else annotation.__name__


def test_every_view_names_the_request_type_of_its_access_decorator() -> None:
    wrong = [
        f"{route}: {function.__module__}.{function.__qualname__}(request: {found}), "
        f"expected {REQUEST_TYPE[policy]} for @{policy}"
        for route, (policy, function) in sorted(_our_views().items())
        if (found := _first_parameter_type(function)) != REQUEST_TYPE[policy]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_request_type_check_sees_the_views_of_every_app() -> None:
    modules = {function.__module__ for _, function in _our_views().values()}
    assert {
        "patients.views",
        "assessments.views",
        "exercises.views",
        "programs.home.views",
        "programs.running.portal_views",
        "rehab_clinic.accounts.views",
    } <= modules


def test_every_route_restricts_its_http_methods() -> None:
    missing = [
        f"{route} ({list(_chain(view))[-1].__qualname__})"
        for route, view in all_routes()
        if not _restricts_methods(view)
    ]
    assert not missing, (
        "Give these views @require_GET, @require_POST, @require_safe or "
        "@require_http_methods([...]):\n" + "\n".join(missing)
    )


def test_the_method_check_tells_a_restricted_view_from_a_bare_one() -> None:
    from django.http import HttpResponse
    from django.views.decorators.http import require_GET, require_http_methods

    def bare(request: Any) -> HttpResponse:
        return HttpResponse()

    assert not _restricts_methods(bare)
    assert _restricts_methods(require_GET(bare))
    assert _restricts_methods(require_http_methods(["GET", "POST"])(bare))


# --- Services ------------------------------------------------------------------------------------


def _is_services_module(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last == "services" or last.endswith("_services")


SERVICES = {name: path for name, path in MODULES.items() if _is_services_module(name)}


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    arguments = function.args
    return [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]]


def _functions_taking_a_form_or_request(source: str) -> list[str]:
    return [
        f"{node.lineno} {node.name}({', '.join(bad)})"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (bad := [p for p in _parameters(node) if p in {"form", "request"}])
    ]


def test_services_take_the_acting_user_and_values_never_a_form_or_the_request() -> None:
    assert len(SERVICES) >= 8, sorted(SERVICES)
    broken = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in SERVICES.values()
        for line in _functions_taking_a_form_or_request(path.read_text())
    ]
    assert not broken, (
        "Pass the acting user (by=) and cleaned data or form.save(commit=False); the audit "
        "address comes from rehab_clinic.audit.context:\n" + "\n".join(broken)
    )


def test_the_service_check_finds_a_form_or_request_parameter() -> None:
    source = "def save(*, form, by): ...\ndef keep(*, patient, by): ...\ndef log(request): ...\n"
    assert _functions_taking_a_form_or_request(source) == ["1 save(form)", "3 log(request)"]


# record_event writes the trail; outside services modules only these may call it, each for
# its reason. Views record reads with audit.services.record_read, which refuses a write action.
AUDIT_WRITERS_ELSEWHERE = {
    # Django's sign-in, failed sign-in and sign-out arrive only as signals.
    "rehab_clinic.accounts.signals": "sign-in events",
    # The second sign-in step changes the session itself (otp_login, cycle_key), so it holds the
    # request; it records the sign-in, enrolments and resets like signals.py does.
    "rehab_clinic.accounts.two_factor": "second-factor sign-in and enrolment",
    # Refused access is known only once the response is a 403/404, after the view has run.
    "rehab_clinic.audit.middleware": "refused access",
    # The library import is a workflow of its own (used by a view and a command), named for what
    # it does: import and export.
    "exercises.transfer": "library import",
}


def _calls(path: Path, name: str) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    ]


def test_only_services_write_the_audit_trail() -> None:
    callers = {
        name: lines
        for name, path in MODULES.items()
        if name != "rehab_clinic.audit.services" and (lines := _calls(path, "record_event"))
    }
    assert set(AUDIT_WRITERS_ELSEWHERE) <= set(callers), "an exception is no longer needed"
    broken = [
        f"{name}:{lines}"
        for name, lines in sorted(callers.items())
        if not _is_services_module(name) and name not in AUDIT_WRITERS_ELSEWHERE
    ]
    assert not broken, (
        "Record a change in the service that makes it (a read: record_read):\n" + "\n".join(broken)
    )


def test_views_record_reads_only() -> None:
    """record_read is for views; a services module records what it changes with record_event."""
    broken = [
        f"{name}:{lines}"
        for name, path in SERVICES.items()
        if name != "rehab_clinic.audit.services" and (lines := _calls(path, "record_read"))
    ]
    assert not broken, broken


# --- Enum values, not their strings ---------------------------------------------------------------

ENUM_FIELDS = ("status", "kind", "role")
# Where the string is the only way: pure modules may not import models (their layer rule), and
# the shipped library is typed data checked against its own schema (exercises/library).
STRINGS_ALLOWED_IN = ("exercises.library.",)


def _choice_values() -> dict[str, set[str]]:
    """The values of our models' choices for fields named status, kind or role."""
    from django.apps import apps

    values: dict[str, set[str]] = {name: set() for name in ENUM_FIELDS}
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {
            "patients",
            "assessments",
            "exercises",
            "programs",
            "rehab_clinic",
        }:
            continue
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            if name in values and getattr(field, "choices", None):
                values[name] |= {str(value) for value, _ in field.flatchoices}
    return values


def _field_of(name: str) -> str:
    """`status`, `episode__status`, `status__in` -> status (or "" for another field)."""
    parts = [p for p in name.split("__") if p not in {"in", "exact"}]
    return parts[-1] if parts and parts[-1] in ENUM_FIELDS else ""


def _strings(node: ast.expr) -> list[str]:
    elements = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]


class _EnumStrings(ast.NodeVisitor):
    def __init__(self, values: dict[str, set[str]]) -> None:
        self.values = values
        self.found: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        # A model's Meta (constraints) runs before the class and its enums exist.
        if node.name != "Meta":
            self.generic_visit(node)

    def _check(self, field: str, value: ast.expr, line: int) -> None:
        used = [s for s in _strings(value) if field and s in self.values[field]]
        if used:
            self.found.append(f"{line} {field}: {', '.join(repr(s) for s in used)}")

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg:
            self._check(_field_of(node.arg), node.value, node.value.lineno)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        left = node.left
        name = left.attr if isinstance(left, ast.Attribute) else getattr(left, "id", "")
        for comparator in node.comparators:
            self._check(name if name in ENUM_FIELDS else "", comparator, node.lineno)
        self.generic_visit(node)


def _enum_strings(source: str, values: dict[str, set[str]]) -> list[str]:
    visitor = _EnumStrings(values)
    visitor.visit(ast.parse(source))
    return visitor.found


def test_choices_are_named_by_their_enum_not_their_string() -> None:
    from tests.test_architecture import PURE_LAYER

    values = _choice_values()
    assert {"active", "therapist", "intake"} <= values["status"] | values["role"] | values["kind"]
    pure = {f"programs.{name}" for name in PURE_LAYER}
    broken = [
        f"{path.relative_to(ROOT)}:{line}"
        for name, path in MODULES.items()
        if name not in pure and not name.startswith(STRINGS_ALLOWED_IN)
        for line in _enum_strings(path.read_text(), values)
    ]
    assert not broken, "Use the TextChoices member (Episode.Status.ACTIVE):\n" + "\n".join(broken)


def test_the_enum_check_sees_keywords_lookups_and_comparisons_but_not_meta() -> None:
    values = {"status": {"active", "stopped"}, "kind": {"time"}, "role": {"patient"}}
    source = (
        "Plan.objects.filter(status='active', episode__status__in=['stopped', 'other'])\n"
        "if plan.kind == 'time' or user.role in ('patient',): ...\n"
        "close(status=Status.STOPPED, label='active')\n"
        "class Plan:\n"
        "    class Meta:\n"
        "        constraints = [Q(status='active')]\n"
    )
    assert _enum_strings(source, values) == [
        "1 status: 'active'",
        "1 status: 'stopped'",
        "2 kind: 'time'",
        "2 role: 'patient'",
    ]


# --- The clinic's day ----------------------------------------------------------------------------

# "Today" is the clinic's: `clinic.today()` (and `clinic.zone` for times). The server's date
# (`date.today()`) and the active zone's (`timezone.localdate()`) are used only here, each for
# its reason.
TODAY_ELSEWHERE = {
    # The definition itself: Clinic.today() reads timezone.localdate in the clinic's zone.
    "rehab_clinic.accounts.models": "the definition of the clinic's today",
    # A date form given neither a clinic nor a patient has only the request's active zone,
    # which ClinicTimezoneMiddleware sets to the user's clinic.
    "patients.dates": "the fallback of a form that knows no clinic",
    # The new-patient, episode and discharge forms judge "not in the future" during a request,
    # in the zone ClinicTimezoneMiddleware activated for the user's clinic (the new patient has
    # no clinic of its own until it is saved).
    "patients.forms": "request-time checks in the clinic zone the middleware activated",
}
_SERVER_TODAY = {
    "date.today",
    "dt.date.today",
    "datetime.date.today",
    "timezone.localdate",
    "localdate",
}


def _server_today_calls(source: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) in _SERVER_TODAY
    ]


def test_today_is_the_clinics_day() -> None:
    broken = [
        f"{path.relative_to(ROOT)}:{line}"
        for name, path in MODULES.items()
        if name not in TODAY_ELSEWHERE
        for line in _server_today_calls(path.read_text())
    ]
    assert not broken, "Use clinic.today() (or name the reason in TODAY_ELSEWHERE):\n" + "\n".join(
        broken
    )


def test_the_today_check_finds_the_servers_date() -> None:
    source = (
        "a = date.today()\n"
        "b = timezone.localdate()\n"
        "c = clinic.today()\n"
        "d = dt.date.today() - delta\n"
    )
    assert _server_today_calls(source) == [1, 2, 4]


# Each of these hands a task to the broker; outside the outbox, a Redis outage loses the task
# (issue 13, item 1). `.apply()` runs in-process and is not among them.
ENQUEUE_CALLS = ("delay", "apply_async", "delay_on_commit", "apply_async_on_commit", "send_task")
# module -> why it may publish to the broker itself.
ENQUEUERS = {
    "rehab_clinic.outbox.services": "the outbox: publishes a committed row, keeps it on failure",
}
# Periodic tasks are published by Celery beat from CELERY_BEAT_SCHEDULE (settings.py), not by a
# call in our code, so beat needs no entry: a missed beat run is simply run at the next tick.


def _app_files() -> Iterator[tuple[str, Path]]:
    """Every Python file of the project outside the tests, migrations included."""
    for top in ("rehab_clinic", "patients", "assessments", "exercises", "programs"):
        for path in sorted((ROOT / top).rglob("*.py")):
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts), path


def _enqueue_calls(path: Path) -> list[str]:
    return [f"{name}:{line}" for name in ENQUEUE_CALLS for line in _calls(path, name)]


def test_no_code_but_the_outbox_hands_a_task_to_the_broker() -> None:
    """Enqueue with rehab_clinic.outbox.services.enqueue (push: push_later, email: queue_email)."""
    found = {module: calls for module, path in _app_files() if (calls := _enqueue_calls(path))}
    assert set(ENQUEUERS) <= set(found), "an allowlisted module no longer enqueues: drop it"
    broken = [
        f"{module} {calls}" for module, calls in sorted(found.items()) if module not in ENQUEUERS
    ]
    assert not broken, "Enqueue through the outbox instead:\n" + "\n".join(broken)


def test_the_enqueue_check_sees_every_way_of_publishing(tmp_path: Path) -> None:
    source = tmp_path / "tasks.py"
    source.write_text(
        "send.delay(1)\nsend.apply_async(args=(1,))\nsend.delay_on_commit(1)\n"
        "app.send_task('x')\nsend.apply()\n"
    )
    assert sorted(_enqueue_calls(source)) == [
        "apply_async:2", "delay:1", "delay_on_commit:3", "send_task:4",
    ]  # fmt: skip
