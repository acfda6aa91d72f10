"""Where the suite's own building blocks live: every factory in tests/factories.py, the
service-driven builders in tests/builders.py, the access table in tests/access.py."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection

from tests.conftest import retrying_flush

TESTS = Path(__file__).resolve().parent
HOME_OF_FACTORIES = TESTS / "factories.py"
# Old homes kept as re-exports for branches written before the move: imports only.
MOVED = [
    TESTS / "exercises" / "factories.py",
    TESTS / "programs" / "factories.py",
    TESTS / "programs" / "running" / "factories.py",
]
MAX_LINES = 400


def _factory_classes(tree: ast.AST) -> list[str]:
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any("Factory" in ast.unparse(base) for base in node.bases)
    ]


def test_every_factory_is_in_tests_factories() -> None:
    elsewhere = {
        str(path.relative_to(TESTS)): names
        for path in sorted(TESTS.rglob("*.py"))
        if path != HOME_OF_FACTORIES and (names := _factory_classes(ast.parse(path.read_text())))
    }
    assert elsewhere == {}
    assert "ProgramExerciseFactory" in _factory_classes(ast.parse(HOME_OF_FACTORIES.read_text()))


def test_the_old_homes_only_re_export() -> None:
    for path in MOVED:
        body = ast.parse(path.read_text()).body
        kinds = {type(node).__name__ for node in body}
        assert kinds <= {"Expr", "ImportFrom", "Assign"}, (path, kinds)


def test_no_test_module_is_named_helpers_utils_or_common() -> None:
    """Test code follows the app's naming rule too: a module is named for what it holds."""
    vague = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.stem in {"helpers", "utils", "common"}
    ]
    assert not vague, vague


def test_factories_builders_and_the_access_table_stay_readable() -> None:
    for name in ("factories.py", "builders.py", "access.py"):
        lines = len((TESTS / name).read_text().splitlines())
        assert lines <= MAX_LINES, f"tests/{name} has {lines} lines: split it into a package"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_serialized_rollback_loads_over_content_types_a_flush_made_again() -> None:
    """What a plain transactional test's flush leaves (post_migrate's content types, new ids)
    must not stop the next serialized-rollback test from loading its rows (tests/conftest.py)."""
    serialized = connection.creation.serialize_db_to_string()  # what the set-up keeps
    wanted = ContentType.objects.get(app_label="auth", model="permission").pk
    ContentType.objects.all().delete()
    for config in reversed(list(apps.get_app_configs())):  # other ids than the migrations gave
        create_contenttypes(config, verbosity=0)
    assert ContentType.objects.get(app_label="auth", model="permission").pk != wanted

    connection.creation.deserialize_db_from_string(serialized)

    assert ContentType.objects.get(app_label="auth", model="permission").pk == wanted


@pytest.mark.parametrize(
    "message", ["deadlock detected", "database table is locked: otp_totp_totpdevice"]
)
def test_a_flush_that_meets_a_lock_of_a_request_in_flight_is_tried_again(message: str) -> None:
    calls: list[int] = []

    def flush(_ops: object, _sql: object) -> None:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError(message)

    retrying_flush(flush, pause=0)(None, [])
    assert len(calls) == 3


def test_a_flush_that_fails_otherwise_fails_at_once() -> None:
    calls: list[int] = []

    def flush(_ops: object, _sql: object) -> None:
        calls.append(1)
        raise OperationalError("no such table: accounts_user")

    with pytest.raises(OperationalError):
        retrying_flush(flush, pause=0)(None, [])
    assert len(calls) == 1
