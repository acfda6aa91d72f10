"""The dependency rules of docs/architecture.md, checked on every import statement.

Between apps: which app may import which. Inside `programs/`: the layer of every module, lowest
first, and a module imports only from its own layer or below. Across all our code: no import cycle
between modules (function-level imports count too), no module over 400 lines, no module named
utils, helpers or common.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = (
    "patients",
    "exercises",
    "assessments",
    "programs",
    "rehab_clinic.accounts",
    "rehab_clinic.audit",
    "rehab_clinic.demo",
    "rehab_clinic.outbox",
    "rehab_clinic.notifications",
    "rehab_clinic.messaging",
    "rehab_clinic.push",
    "rehab_clinic.fhir",
    "rehab_clinic.reminders",
    "rehab_clinic.records",
)

# app -> the apps of ours it may import (besides itself).
ALLOWED = {
    # The report pages use the access decorators and patient scoping; the core imports none.
    "rehab_clinic.audit": {"rehab_clinic.accounts", "patients"},
    "rehab_clinic.accounts": {"rehab_clinic.audit", "patients", "rehab_clinic.outbox"},
    "patients": {"rehab_clinic.accounts", "rehab_clinic.audit"},
    "exercises": {"rehab_clinic.accounts", "rehab_clinic.audit"},
    "assessments": {"patients", "exercises", "rehab_clinic.accounts", "rehab_clinic.audit"},
    "programs": {
        "patients",
        "exercises",
        "assessments",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
        "rehab_clinic.outbox",
        "rehab_clinic.notifications",
    },
    # Generic plumbing every app may use; it knows none of them (tasks are named, not imported).
    "rehab_clinic.outbox": set(),
    # Alerts for therapists: feature apps call its services and register daily checks; it
    # knows none of them (a notification keeps a link, not a plan).
    "rehab_clinic.notifications": {
        "patients",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
        "rehab_clinic.outbox",
    },
    # Secure messages: threads of an episode (the patient gate), the photo pipeline and access
    # decorators (accounts), the audit trail, the outbox for the bare "you have a message"
    # email, and notifications for who the patient's therapist is. No feature app imports it.
    "rehab_clinic.messaging": {
        "patients",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
        "rehab_clinic.outbox",
        "rehab_clinic.notifications",
        "rehab_clinic.push",
    },
    # Web push to a person's browsers: reminders and messages call push_later, which sends
    # through the outbox; it knows none of them (callers pass the neutral text and the page).
    "rehab_clinic.push": {"patients", "rehab_clinic.accounts", "rehab_clinic.outbox"},
    # The FHIR export reads every clinical app for one patient's bundle; only the record export
    # (records) imports it, for the bundle in its ZIP.
    "rehab_clinic.fhir": {
        "patients",
        "assessments",
        "programs",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
    },
    # The patients' reminders read the programs (is there something to remind of today?) and
    # send through the outbox and push; no app imports them.
    "rehab_clinic.reminders": {
        "patients",
        "programs",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
        "rehab_clinic.outbox",
        "rehab_clinic.push",
    },
    # The patient's record, out: a ZIP of the readable PDF (the notes, outcomes, programs and
    # runs, through programs' PDF path) and the FHIR bundle, made by a task sent through the
    # outbox. No app imports it (the chart and the portal menu get it through hooks).
    "rehab_clinic.records": {
        "patients",
        "assessments",
        "programs",
        "rehab_clinic.fhir",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
        "rehab_clinic.outbox",
    },
    # seed_demo: the one module that may import every app, and that no app imports.
    "rehab_clinic.demo": set(OURS),
}

# Modules of other apps that are pure functions, so a pure module of programs may use them.
PURE_ELSEWHERE = {"rehab_clinic.accounts.units"}

# The layers inside programs/, lowest first. A module may import modules of its own layer and of
# the layers below it, never above.
PROGRAM_LAYERS: list[tuple[str, set[str]]] = [
    (
        "pure: plain values in and out, no database, no Django",
        {
            "home.dosage",
            "home.adherence",
            "running.progression",
            "running.signs",
            "running.gait",
            "running.protocols",
            "running.wording",
            "running.flag_rule",
            "running.runfiles",
            "running.ical",
            "documents.sheet",
        },
    ),
    (
        "models",
        {
            "models",
            "home.models",
            "running.models",
            "running.log_models",
            "running.runfile_models",
            "running.calendar_models",
            "running.gait_models",
            "running.flag_models",
            "documents.models",
        },
    ),
    (
        "printing: the sheet from a version, and WeasyPrint",
        {"documents.compose", "documents.pdf", "documents.fetcher", "documents.note_print"},
    ),
    ("rendering, what the task calls", {"documents.rendering", "documents.note_rendering"}),
    ("the Celery face", {"tasks"}),
    (
        "documents/services, the only code that enqueues",
        {"documents.services", "documents.note_services"},
    ),
    ("the alerts a saved entry raises", {"running.alerts"}),
    (
        "the parts' workflows",
        {
            "home.services",
            "home.tick_services",
            "home.template_services",
            "running.readiness",
            "running.flag_services",
            "running.protocol_services",
            "home.revision",
            "running.services",
            "running.gait_services",
            "running.calendar_services",
            "running.runfile_services",
        },
    ),
    (
        "reads and presenters",
        {
            "home.queries",
            "home.recent",
            "home.charts",
            "home.outcomes",
            "running.outcomes",
            "running.charts",
            "running.flags",
            "running.status",
            "running.calendar_feed",
        },
    ),
    (
        "views, forms, hooks, urls, seed and wiring",
        {
            "apps",
            "urls",
            "home.forms",
            "home.views",
            "home.template_views",
            "home.portal_views",
            "home.urls",
            "home.hooks",
            "home.today",
            "home.seed",
            "running.fields",
            "running.forms",
            "running.gait_forms",
            "running.plan_forms",
            "running.runfile_forms",
            "running.runfile_views",
            "running.calendar_views",
            "running.views",
            "running.portal_views",
            "running.urls",
            "running.hooks",
            "running.today",
            "running.seed",
            "documents.views",
            "documents.note_views",
            "documents.portal_views",
            "documents.downloads",
            "documents.urls",
            "documents.hooks",
            "documents.seed",
            "templatetags.running_tags",
            "management.commands.rebuild_rtr_flags",
        },
    ),
]
PURE_LAYER = PROGRAM_LAYERS[0][1]

MAX_LINES = 400
# Modules allowed over the limit for a stated reason (none today).
TOO_LONG_FOR_NOW: set[str] = set()
# Kept only until assessments/ imports the new paths (patients.hooks, Patient/Episode.objects.
# visible_to); nothing else may import them.
# Folded into patients.hooks and Patient/Episode.objects.visible_to: nothing may import them.
OLD_PATHS = {"patients.timeline", "patients.scoping"}
BANNED_NAMES = {"utils", "helpers", "common"}


def _app_of(module: str) -> str | None:
    return next(
        (
            app
            for app in sorted(OURS, key=len, reverse=True)
            if module == app or module.startswith(app + ".")
        ),
        None,
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# The project's wiring: rehab_clinic/*.py and the settings package, every module under
# rehab_clinic/ that belongs to no app. Checked for size, cycles, names and `Any` like the apps.
WIRING = "rehab_clinic"


def _wiring_files() -> list[Path]:
    return sorted(
        path
        for path in (ROOT / WIRING).rglob("*.py")
        if "migrations" not in path.parts and _app_of(_module_name(path)) is None
    )


def _our_files() -> list[Path]:
    files = _wiring_files()
    for app in OURS:
        for path in (ROOT / app.replace(".", "/")).rglob("*.py"):
            if "migrations" not in path.parts:
                files.append(path)
    return sorted(files)


MODULES = {_module_name(path): path for path in _our_files()}


def _imports(path: Path) -> set[str]:
    """Every module named by an import statement, at any depth (function-level ones too).

    `from package import name` counts as importing `package.name` when that is a module of ours.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                if f"{node.module}.{alias.name}" in MODULES:
                    found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _our_imports(path: Path) -> set[str]:
    """The modules of ours `path` imports (packages only when nothing more precise is named)."""
    named = {module for module in _imports(path) if module in MODULES}
    return {m for m in named if not any(other.startswith(m + ".") for other in named)}


def test_apps_import_only_what_the_architecture_allows() -> None:
    broken = []
    for app, allowed in ALLOWED.items():
        folder = ROOT / app.replace(".", "/")
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in _imports(path):
                target = _app_of(module)
                if target and target != app and target not in allowed:
                    broken.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not broken, "\n".join(broken)


# The only wiring modules an app may import, each with its reason: they import no app, so an
# app reaching them makes no cycle. Apps read settings from django.conf, never the package.
WIRING_FOR_APPS = {
    "rehab_clinic.request_log": "the request id the audit context records",
    "rehab_clinic.env": "the typed environment readers",
    "rehab_clinic.svg": "the one place a server-drawn chart becomes markup",
}


def test_the_checks_see_the_project_wiring() -> None:
    for name in ("rehab_clinic.urls", "rehab_clinic.settings", "rehab_clinic.settings.base"):
        assert name in MODULES, name


def test_apps_import_of_the_wiring_only_what_knows_no_app() -> None:
    broken = [
        f"{path.relative_to(ROOT)} imports {target}"
        for name, path in MODULES.items()
        if _app_of(name)
        for target in _our_imports(path)
        if _app_of(target) is None and target not in WIRING_FOR_APPS
    ]
    assert not broken, "\n".join(broken)


def _type_checking_imports(path: Path) -> set[str]:
    """Modules imported only under `if TYPE_CHECKING:` (for annotations, never at run time)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    found.add(inner.module)
    return found


def test_the_audit_core_depends_on_no_app_of_ours() -> None:
    """Every app calls record_event (and takes snapshots for its diff), so the audit model, the
    service and the diff must not import them back at run time (annotations may name User, Clinic
    and Patient under TYPE_CHECKING)."""
    core = {f"rehab_clinic.audit.{name}" for name in ("models", "changes", "context", "shown")}
    for name in ("models.py", "services.py", "changes.py", "context.py", "shown.py"):
        path = ROOT / "rehab_clinic" / "audit" / name
        ours = {m for m in _imports(path) - _type_checking_imports(path) if _app_of(m)}
        assert ours <= core, (name, ours)


def _layer_of(module: str) -> int | None:
    short = module.removeprefix("programs.")
    return next((n for n, (_, names) in enumerate(PROGRAM_LAYERS) if short in names), None)


def test_every_module_of_programs_has_a_layer() -> None:
    unplaced = [
        name
        for name in MODULES
        if name.startswith("programs.")
        and MODULES[name].name != "__init__.py"
        and _layer_of(name) is None
    ]
    assert not unplaced, f"Give these modules a layer in PROGRAM_LAYERS: {unplaced}"


def test_modules_of_programs_import_only_their_layer_or_below() -> None:
    broken = []
    for name, path in MODULES.items():
        layer = _layer_of(name)
        if layer is None:
            continue
        broken += [
            breach for target in _our_imports(path) if (breach := _layer_breach(name, target))
        ]
    assert not broken, "\n".join(broken)


def _layer_breach(name: str, target: str) -> str:
    layer, target_layer = _layer_of(name), _layer_of(target)
    if layer is None or target_layer is None or target_layer <= layer:
        return ""
    return (
        f"{name} ({PROGRAM_LAYERS[layer][0]}) imports {target} ({PROGRAM_LAYERS[target_layer][0]})"
    )


def test_the_layer_check_finds_an_upward_import() -> None:
    assert _layer_breach("programs.home.dosage", "programs.home.models")
    assert _layer_breach("programs.documents.services", "programs.home.services")
    assert not _layer_breach("programs.home.services", "programs.documents.services")
    assert not _layer_breach("programs.running.services", "programs.home.services")


def test_pure_modules_import_nothing_of_ours_but_pure_modules_and_no_django() -> None:
    broken = []
    for short in sorted(PURE_LAYER):
        name = f"programs.{short}"
        for module in _imports(MODULES[name]):
            if (
                module == "django"
                or module.startswith("django.")
                or (
                    _app_of(module)
                    and module not in PURE_ELSEWHERE
                    and module.removeprefix("programs.") not in PURE_LAYER
                )
            ):
                broken.append(f"{name} imports {module}")
    assert not broken, "\n".join(broken)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), plus self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_modules_of_ours() -> None:
    graph = {name: _our_imports(path) - {name} for name, path in MODULES.items()}
    cycles = _cycles(graph)
    assert not cycles, "Import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check above would fail on a cycle, direct or through a third module."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_old_module_paths_are_gone_and_nothing_imports_them() -> None:
    assert not [name for name in OLD_PATHS if name in MODULES]
    paths = [*MODULES.values(), *(ROOT / "tests").rglob("*.py")]
    broken = [
        f"{path} imports {target}"
        for path in paths
        if path.name != "test_architecture.py"
        for target in _imports(path)
        if target in OLD_PATHS
    ]
    assert not broken, "\n".join(broken)


def test_no_module_is_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _our_files()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    for name in sorted(too_long.keys() & TOO_LONG_FOR_NOW):
        print(f"{name}: {too_long[name]} lines (exempt while it is being split)")
    breaking = {name: n for name, n in too_long.items() if name not in TOO_LONG_FOR_NOW}
    assert not breaking, f"Split these modules (over {MAX_LINES} lines): {breaking}"


def test_no_module_is_named_utils_helpers_or_common() -> None:
    banned = [
        str(path.relative_to(ROOT))
        for path in _our_files()
        if path.stem in BANNED_NAMES or path.parent.name in BANNED_NAMES
    ]
    assert not banned, banned


# Signals some code has no other way to hear, each with its reason. Nothing else may connect a
# receiver: a workflow's steps are calls at the end of its service, where a reader finds them.
UNAVOIDABLE_SIGNALS = {
    # Django's own sign-in, failed sign-in and sign-out views announce these only as signals;
    # the audit trail must record them (rehab_clinic/accounts/signals.py).
    "user_logged_in": "auth views",
    "user_login_failed": "auth views",
    "user_logged_out": "auth views",
}
MODEL_SIGNALS_MODULE = "django.db.models.signals"
# Model-signal receivers allowed in one named module each, with the reason.
UNAVOIDABLE_MODEL_RECEIVERS = {
    # An invariant, not a workflow: `patients` may not import `assessments`, and moving an
    # episode whose notes are signed to another patient must be refused however the episode is
    # saved (issue 13.5); a pre_save guard that raises is the only hook Episode.save offers.
    ("assessments/apps.py", "pre_save"): "guard: signed notes stay with their patient",
}


def _connected_signals(path: Path) -> set[str]:
    """Names of the signals `path` hooks into, by @receiver(...) or signal.connect(...)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "receiver" and node.args:
            targets = node.args[0].elts if isinstance(node.args[0], ast.Tuple) else node.args[:1]
            found.update(ast.unparse(target).split(".")[-1] for target in targets)
        elif isinstance(func, ast.Attribute) and func.attr == "connect":
            found.add(ast.unparse(func.value).split(".")[-1])
    return found


def test_no_signals_drive_workflows() -> None:
    files = _our_files()
    broken = []
    for path in files:
        where = str(path.relative_to(ROOT))
        allowed = {name for module, name in UNAVOIDABLE_MODEL_RECEIVERS if module == where}
        if not allowed and any(m.startswith(MODEL_SIGNALS_MODULE) for m in _imports(path)):
            broken.append(f"{where} imports {MODEL_SIGNALS_MODULE}")
        for name in _connected_signals(path) - set(UNAVOIDABLE_SIGNALS) - allowed:
            broken.append(f"{where} connects a receiver to {name}")
    assert not broken, "Call the workflow from its service instead:\n" + "\n".join(broken)


def test_the_signal_check_sees_a_post_save_receiver(tmp_path: Path) -> None:
    module = tmp_path / "listener.py"
    module.write_text(
        "from django.db.models.signals import post_save\n"
        "post_save.connect(handler, sender=Plan)\n"
        "@receiver(m2m_changed, sender=Plan.tags.through)\n"
        "def tags_changed(**kwargs): ...\n"
    )

    assert _connected_signals(module) == {"post_save", "m2m_changed"}
    assert MODEL_SIGNALS_MODULE in _imports(module)


# A parameter or variable named for one of these (or ending in `_<name>`) has its real type:
# `User` (also a therapist, runner or staff member), `Clinic`, `Patient`, `Episode`,
# `ReturnToRunPlan`, `HomeProgram`/`ProgramVersion` (a TYPE_CHECKING import where a run-time one
# would make a cycle), never `Any`. A plural (`patients`, `clinics`) names a queryset, list or
# iterable of the model: `QuerySet[Patient]`, `PatientQuerySet`, `Iterable[Clinic]`, never of Any.
_SINGULAR = (
    "user",
    "by",
    "actor",
    "clinic",
    "patient",
    "episode",
    "plan",
    "program",
    "therapist",
    "runner",
    "member",
    "version",
)
TYPED_NAMES = (*_SINGULAR, *(f"{name}s" for name in _SINGULAR if name not in {"by"}))


def _names_a_model(name: str) -> bool:
    name = name.lower().lstrip("_")
    return any(name == typed or name.endswith("_" + typed) for typed in TYPED_NAMES)


def _is_any(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    text = ast.unparse(annotation).strip("'\"").replace(" ", "")
    text = text.removesuffix("|None").removeprefix("None|")
    if text.startswith("Optional[") and text.endswith("]"):
        text = text[len("Optional[") : -1]
    # Any itself, or a container of it: list[Any], Iterable[Any], QuerySet[Any].
    return text in {"Any", "typing.Any"} or bool(re.fullmatch(r"[\w.]+\[(typing\.)?Any\]", text))


def _any_for_a_model(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if _names_a_model(argument.arg) and _is_any(argument.annotation):
                    found.append(f"{argument.lineno} {argument.arg}: Any")
        elif isinstance(node, ast.AnnAssign):
            target = node.target
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if _names_a_model(name) and _is_any(node.annotation):
                found.append(f"{node.lineno} {name}: Any")
    return found


def test_any_never_stands_for_a_user_clinic_patient_episode_plan_or_program() -> None:
    broken = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _our_files()
        for line in _any_for_a_model(path.read_text())
    ]
    assert not broken, "Name the model (under TYPE_CHECKING if need be):\n" + "\n".join(broken)


def test_the_any_check_finds_parameters_and_variables() -> None:
    source = (
        "def f(user: Any, *, by: 'Any' = None, order_by: str = '', home_program: Any | None): ...\n"
        "acting_user: Any = None\n"
        "nearby: Any = 1\n"
        "def g(clinic: Clinic, patients: QuerySet[Patient], notes: Any): ...\n"
        "def h(clinics: Iterable[Any], episodes: 'QuerySet[Any]', therapist: Any | None): ...\n"
        "member: Any = None\n"
        "def k(runner: User, version: ProgramVersion, bystanders: list[str]): ...\n"
    )
    assert _any_for_a_model(source) == [
        "1 user: Any",
        "1 by: Any",
        "1 home_program: Any",
        "2 acting_user: Any",
        "5 clinics: Any",
        "5 episodes: Any",
        "5 therapist: Any",
        "6 member: Any",
    ]


def _documented_program_modules() -> set[str]:
    """The modules the programs/ tree in docs/architecture.md lists, as `programs.<part>.<name>`."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = text.split("## Inside `programs/`", 1)[1].split("```", 2)[1]
    found, part = set(), ""
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        if not line.strip() or indent == 0:  # the fence's language, `programs/` itself
            continue
        words = line.split()
        if indent == 2 and words[0].endswith("/") and words[0].count("/") == 1:
            part = words[0].rstrip("/")
        elif indent == 2:
            part = ""
            found.update(w.removesuffix(".py").replace("/", ".") for w in words)
        else:
            found.update(f"{part}.{w}" for w in words)
    return {f"programs.{name}" for name in found}


def test_the_architecture_doc_lists_every_module_of_programs() -> None:
    actual = {
        name
        for name, path in MODULES.items()
        if name.startswith("programs.") and path.name != "__init__.py"
    }
    documented = _documented_program_modules()
    missing, gone = actual - documented, documented - actual
    assert not missing, f"Add to the tree in docs/architecture.md: {missing}"
    assert not gone, f"Gone, remove from docs/architecture.md: {gone}"
