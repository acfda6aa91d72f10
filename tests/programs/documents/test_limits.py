"""The broker's visibility timeout follows the render time limit (a dead worker's PDF comes back
within about the hard limit, not 10 minutes), and settings keep soft < hard < visibility."""

import json

import pytest

from tests.test_settings import PRODUCTION_ENV, _manage

SHOW = (
    "import json; from django.conf import settings as s;"
    " print(json.dumps([s.CELERY_TASK_SOFT_TIME_LIMIT, s.CELERY_TASK_TIME_LIMIT,"
    " s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'],"
    " s.OUTBOX_RESEND_AFTER, s.CELERY_BEAT_SCHEDULE['outbox-sweep']['task']]))"
)


def _limits(**env: str) -> list[object]:
    result = _manage("shell", "-c", SHOW, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_visibility_timeout_is_sized_to_the_render_time_limit() -> None:
    assert _limits() == [60, 90, 120, 240, "outbox.sweep"]
    assert _limits(CELERY_TASK_SOFT_TIME_LIMIT="150", CELERY_TASK_TIME_LIMIT="200")[2:4] == [
        230,
        460,
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CELERY_TASK_TIME_LIMIT": "100", "CELERY_BROKER_VISIBILITY_TIMEOUT": "100"},
         "soft time limit < hard time limit < broker visibility timeout"),
        ({"CELERY_TASK_SOFT_TIME_LIMIT": "95"},
         "soft time limit < hard time limit < broker visibility timeout"),
        ({"OUTBOX_RESEND_AFTER": "120"},
         "OUTBOX_RESEND_AFTER must be longer than CELERY_BROKER_VISIBILITY_TIMEOUT"),
    ],
)  # fmt: skip
def test_limits_out_of_order_stop_start_up(env: dict[str, str], message: str) -> None:
    result = _manage("check", env={**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert message in result.stderr
