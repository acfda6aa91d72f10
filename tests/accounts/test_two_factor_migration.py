"""Clinics that exist when two-factor sign-in arrives keep signing in as before."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_invitation_created_by_optional")]
AFTER = [("accounts", "0004_two_factor_and_sessions")]


@pytest.mark.django_db(transaction=True)
def test_existing_clinics_keep_two_factor_off_and_new_ones_get_it_on() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps: Any = executor.loader.project_state(BEFORE).apps
    old_apps.get_model("accounts", "Clinic").objects.create(name="Existing", slug="existing")

    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new_apps: Any = executor.loader.project_state(AFTER).apps
        clinic_model = new_apps.get_model("accounts", "Clinic")
        assert clinic_model.objects.get(slug="existing").require_two_factor is False
        assert clinic_model.objects.create(name="New", slug="new").require_two_factor is True
    finally:
        # Later accounts migrations (say, submission keys) must be back for the tests after this.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
