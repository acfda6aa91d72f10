"""Imports sit at the top of a module; an import inside a function says why it is there.

A function-level import hides a dependency from the reader (and from the layer check until it
runs). It is allowed only where it breaks a real cycle, defers a heavy import (WeasyPrint) or
must wait for Django's app registry (`AppConfig.ready`), and then carries a comment
`# local import: <reason>` on the import or just above it (a comment may go on over several
lines). A run of consecutive import lines under one such comment counts as one.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("patients", "exercises", "assessments", "programs", "rehab_clinic")
MARK = "# local import:"


def _app_files() -> list[Path]:
    return sorted(
        path
        for package in APP_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _reasoned(lines: list[str], lineno: int) -> bool:
    """Whether the import at `lineno` (1-based) has a reason on it or just above its run."""
    index = lineno - 1
    if _reason_in(lines[index]):
        return True
    index -= 1
    while index >= 0:
        text = lines[index].strip()
        if _reason_in(text):
            return True
        if not text.startswith(("import ", "from ", "#")):
            return False
        index -= 1
    return False


def _reason_in(text: str) -> bool:
    _, mark, reason = text.partition(MARK)
    return bool(mark) and bool(reason.strip())


def unexplained_local_imports(source: str, name: str = "<source>") -> list[str]:
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom) and not _reasoned(
                lines, inner.lineno
            ):
                found.append(f"{name}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    return sorted(set(found))


def test_every_function_level_import_in_app_code_gives_its_reason() -> None:
    found = []
    for path in _app_files():
        found += unexplained_local_imports(path.read_text(), str(path.relative_to(ROOT)))

    assert not found, (
        "Move these imports to the top of the module, or say why they cannot be there with "
        f"`{MARK} <reason>`:\n" + "\n".join(found)
    )


def test_the_check_finds_an_unexplained_local_import_and_accepts_a_reasoned_one() -> None:
    source = (
        "import os\n"
        "\n"
        "def bare():\n"
        "    import json\n"
        "\n"
        "def reasoned():\n"
        f"    {MARK} WeasyPrint takes a second to import\n"
        "    from weasyprint import HTML\n"
        "    from weasyprint import CSS\n"
        "\n"
        "def inline():\n"
        f"    import csv  {MARK} a cycle through the views\n"
        "\n"
        "def empty_reason():\n"
        f"    import re  {MARK}\n"
    )

    assert unexplained_local_imports(source) == [
        "<source>:15: import re  # local import:",
        "<source>:4: import json",
    ]
