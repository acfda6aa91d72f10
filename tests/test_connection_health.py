"""After a database restart, a kept connection is checked before it is reused (issue 13.13)."""

from django.conf import settings
from django.db import connection


def test_kept_connections_are_health_checked_before_reuse() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
