"""The app dependency rules of docs/architecture.md, checked on every import statement."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = (
    "patients",
    "exercises",
    "assessments",
    "programs",
    "rehab_clinic.accounts",
    "rehab_clinic.audit",
)

# app -> the apps of ours it may import (besides itself).
ALLOWED = {
    # The report pages use the access decorators and patient scoping; the core imports none.
    "rehab_clinic.audit": {"rehab_clinic.accounts", "patients"},
    "rehab_clinic.accounts": {"rehab_clinic.audit", "patients"},
    "patients": {"rehab_clinic.accounts", "rehab_clinic.audit"},
    "exercises": {"rehab_clinic.accounts", "rehab_clinic.audit"},
    "assessments": {"patients", "exercises", "rehab_clinic.accounts", "rehab_clinic.audit"},
    "programs": {
        "patients",
        "exercises",
        "assessments",
        "rehab_clinic.accounts",
        "rehab_clinic.audit",
    },
}


def _app_of(module: str) -> str | None:
    return next(
        (
            app
            for app in sorted(OURS, key=len, reverse=True)
            if module == app or module.startswith(app + ".")
        ),
        None,
    )


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


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


def test_the_audit_core_depends_on_no_app_of_ours() -> None:
    """Every app calls record_event, so its model and service must not import them back."""
    for name in ("models.py", "services.py"):
        ours = {m for m in _imports(ROOT / "rehab_clinic" / "audit" / name) if _app_of(m)}
        assert ours <= {"rehab_clinic.audit.models"}, (name, ours)
