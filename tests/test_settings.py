"""Settings fail early and clearly, and production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from rehab_clinic.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "prod-" + "k3y!" * 20,
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "clinic.example.com",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_MANIFEST_STATIC": "true",
    "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "SITE_URL": "https://clinic.example.com",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE", "REDIS", "EMAIL", "AXES", "SITE_URL", "MEDIA_", "SENTRY")
        )
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be true or false"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL must point at PostgreSQL or SQLite"),
        ("REDIS_URL", "http://127.0.0.1:6379", "REDIS_URL must start with redis://"),
        ("EMAIL_URL", "ftp://mail", "EMAIL_URL must look like"),
        ("SESSION_IDLE_MINUTES_STAFF", "soon", "SESSION_IDLE_MINUTES_STAFF must be a whole number"),
        ("DJANGO_SECRET_KEY", "", "DJANGO_SECRET_KEY is not set"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_clear_message(
    variable: str, value: str, message: str
) -> None:
    result = _manage("check", env={**PRODUCTION_ENV, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL", "SITE_URL"])
def test_production_refuses_to_start_without_a_service_variable_and_names_it(
    variable: str,
) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} is not set" in result.stderr


def test_the_embedded_mode_is_asked_for_and_then_needs_none_of_them() -> None:
    services = ("DATABASE_URL", "REDIS_URL", "SITE_URL")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in services}
    result = _manage("check", env={**env, "DJANGO_EMBEDDED": "true"})
    assert result.returncode == 0, result.stderr


def test_optional_sentry_and_bucket_settings_start(tmp_path: Path) -> None:
    result = _manage(
        "check",
        env={
            **PRODUCTION_ENV,
            "SENTRY_DSN": "http://key@127.0.0.1:9/1",  # nothing is sent by `check`
            "MEDIA_BUCKET": "rehab-media",
        },
    )
    assert result.returncode == 0, result.stderr


def test_env_helpers_parse_and_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 12
    assert env_list("X_LIST") == ["a", "b", "c"]
    monkeypatch.setenv("X_INT", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("X_INT", 1)


def test_a_pdf_worker_child_is_replaced_once_it_outgrows_its_memory_limit() -> None:
    from rehab_clinic.celery import app

    # Celery counts in KB; the default sits above a render's normal peak (docs/performance.md).
    assert app.conf.worker_max_memory_per_child == 224 * 1024
    result = _manage(
        "shell",
        "-c",
        "from rehab_clinic.celery import app; print(app.conf.worker_max_memory_per_child)",
        env={**PRODUCTION_ENV, "CELERY_WORKER_MAX_MEMORY_MB": "128"},
    )
    assert result.stdout.strip().splitlines()[-1] == str(128 * 1024), result.stderr


def test_a_task_sent_in_the_embedded_mode_logs_no_broker_warning() -> None:
    # The in-process broker still hands the task to a producer; with "memory://" kombu warned
    # "No hostname was supplied" on every task of `make run` and `seed_demo`.
    send = (
        "from rehab_clinic.celery import app\n"
        "@app.task(name='ping')\n"
        "def ping():\n"
        "    return 'pong'\n"
        "print(ping.apply_async().get())\n"
    )
    embedded = {"DJANGO_EMBEDDED": "true", "DJANGO_SECRET_KEY": "dev-only-" + "x" * 50}
    result = _manage("shell", "-c", send, env=embedded)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "pong"
    assert "No hostname was supplied" not in result.stderr + result.stdout
