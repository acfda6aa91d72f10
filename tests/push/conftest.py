from typing import Any

import pytest

from rehab_clinic.push.services import VapidKeys, new_vapid_keys


@pytest.fixture
def vapid(settings: Any) -> VapidKeys:
    """Push switched on with a throwaway key pair (off by default in the tests)."""
    keys = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY = keys.public
    settings.VAPID_PRIVATE_KEY = keys.private
    settings.VAPID_SUBJECT = "mailto:clinic@example.test"
    return keys
