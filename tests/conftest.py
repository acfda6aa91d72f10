"""Persona fixtures, and Playwright driving Debian's Chromium (see shared/TOOLING.md)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db.backends.base.creation import BaseDatabaseCreation

from rehab_clinic.accounts.models import User
from rehab_clinic.push import services as push_services
from rehab_clinic.push.models import PendingPush
from rehab_clinic.push.services import VapidKeys, new_vapid_keys
from tests.environment import CHROMIUM
from tests.factories import (
    TEST_PASSWORD,
    ClinicFactory,
    EpisodeFactory,
    UserFactory,
    make_patient_user,
)

# Tasks in-process for a test that reads what a task sends (an email through the outbox), and a
# broker that refuses every publish, for what the outbox keeps while Redis is down.
from tests.programs.documents.conftest import broker_down, eager_celery  # noqa: F401

_deserialize = BaseDatabaseCreation.deserialize_db_from_string


def _deserialize_over_post_migrate_rows(self: BaseDatabaseCreation, data: str) -> None:
    """Serialized rollback after a transactional test that flushed without it.

    That flush re-ran post_migrate, which made the content types and permissions again with new
    ids; loading the serialized rows (old ids) over them then broke the unique (app_label, model)
    and the next browser test failed at set-up. So those two tables are emptied first and come
    back exactly as serialized."""
    from django.contrib.auth.models import Permission  # local import: needs the app registry
    from django.contrib.contenttypes.models import ContentType  # local import: as above

    alias = self.connection.alias
    Permission.objects.using(alias).all().delete()
    ContentType.objects.using(alias).all().delete()
    ContentType.objects.clear_cache()
    _deserialize(self, data)
    ContentType.objects.clear_cache()


BaseDatabaseCreation.deserialize_db_from_string = _deserialize_over_post_migrate_rows  # type: ignore[method-assign]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser(browser: Any) -> Any:
    """Every context prefers reduced motion, so Bootstrap's transitions (the phone menu's
    collapse, a button's colour fade) end at once: no click or axe check lands mid-animation,
    which made the phone tests flaky on a loaded machine."""
    open_context = browser.new_context

    def new_context(**options: Any) -> Any:
        return open_context(**{"reduced_motion": "reduce", **options})

    browser.new_context = new_context
    return browser


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Let the test database be flushed between transactional tests: the append-only tables
    refuse TRUNCATE unless the session sets rehab.allow_truncate (see audit migration 0005)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c rehab.allow_truncate=on").strip()


# What a flush meets while a request in flight still holds its locks: PostgreSQL ends one of
# them as a deadlock victim; SQLite's shared in-memory database says a table is locked.
FLUSH_LOCK_ERRORS = ("deadlock", "is locked")


def retrying_flush(original: Any, pause: float = 0.5) -> Any:
    """`execute_sql_flush` tried again, up to five times, when it met a lock a request held."""
    import time  # local import: only the test session needs it

    from django.db import OperationalError  # local import: needs the settings

    def execute_sql_flush(self: Any, sql_list: Any) -> None:
        for attempt in range(5):
            try:
                return original(self, sql_list)
            except OperationalError as error:
                if not any(word in str(error) for word in FLUSH_LOCK_ERRORS) or attempt == 4:
                    raise
                time.sleep(pause * (attempt + 1))

    return execute_sql_flush


@pytest.fixture(scope="session", autouse=True)
def _flush_waits_out_a_request_in_flight() -> Any:
    """A browser test can end while the live server still answers the page's last request (an
    autosave, a poll). The flush after it then takes table locks in another order than that
    request: PostgreSQL may end the flush as a deadlock victim, and SQLite refuses it ("database
    table is locked"). Try the flush again once the request has had time to finish, instead of
    failing a test that passed."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush
    BaseDatabaseOperations.execute_sql_flush = retrying_flush(original)  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is deliberately slow; tests that create many users use a fast hasher instead.
    # tests/accounts/test_login.py checks that the real settings put Argon2 first.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_process_cache() -> None:
    """Each test starts with an empty process cache (the locmem "default" cache): what the app
    keeps there is keyed by row ids (a published version's items), and SQLite gives the next
    test the ids a rolled-back test used."""
    cache.clear()


@pytest.fixture
def clinic(db: Any) -> Any:
    return ClinicFactory(name="Riverside Test Clinic", distance_unit="mi")


@pytest.fixture
def other_clinic(db: Any) -> Any:
    return ClinicFactory(name="Harbor Test Clinic", distance_unit="km")


@pytest.fixture
def therapist(clinic: Any) -> User:
    return UserFactory(clinic=clinic, role=User.Role.THERAPIST, full_name="Terry Therapist")


@pytest.fixture
def clinic_admin(clinic: Any) -> User:
    return UserFactory(clinic=clinic, role=User.Role.CLINIC_ADMIN, full_name="Ada Admin")


@pytest.fixture
def patient_user(clinic: Any, therapist: User) -> User:
    return make_patient_user(
        clinic, first_name="Paula", last_name="Patient", primary_therapist=therapist
    )


@pytest.fixture
def patient(patient_user: User) -> Any:
    return patient_user.patient


@pytest.fixture
def episode(patient: Any) -> Any:
    return EpisodeFactory(patient=patient)


@pytest.fixture
def second_patient_user(clinic: Any) -> User:
    return make_patient_user(clinic, first_name="Sid", last_name="Second")


@pytest.fixture
def other_therapist(other_clinic: Any) -> User:
    return UserFactory(clinic=other_clinic, role=User.Role.THERAPIST, full_name="Olga Other")


@pytest.fixture
def other_admin(other_clinic: Any) -> User:
    return UserFactory(
        clinic=other_clinic, role=User.Role.CLINIC_ADMIN, full_name="Oren Otheradmin"
    )


@pytest.fixture
def other_patient_user(other_clinic: Any) -> User:
    return make_patient_user(other_clinic, first_name="Olive", last_name="Outsider")


@pytest.fixture
def login(live_server: Any) -> Callable[[Any, User], None]:
    """Sign a user in through the real login form in the browser."""

    def _login(page: Any, user: User, password: str = TEST_PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")

    return _login


@pytest.fixture
def vapid(settings: Any) -> VapidKeys:
    """Web push switched on with a throwaway key pair (off by default in the tests)."""
    keys = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY = keys.public
    settings.VAPID_PRIVATE_KEY = keys.private
    settings.VAPID_SUBJECT = "mailto:clinic@example.test"
    return keys


Push = tuple[int, str, str, str]


@pytest.fixture
def pushes(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[Push]]:
    """The pushes queued so far, as (user pk, title, body, url); no push service is called
    (a delivery that runs counts one browser)."""
    monkeypatch.setattr(push_services, "send_push", lambda user, **_: 1)

    def queued() -> list[Push]:
        rows = PendingPush.objects.order_by("pk").values_list("user_id", "title", "body", "url")
        return list(rows)

    return queued
