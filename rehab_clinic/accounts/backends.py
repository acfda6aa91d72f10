"""The sign-in backend: Django's, with the per-request user lookup made one query.

Every signed-in request loads its user; the navigation, the clinic's time zone and the
second-factor check then need the clinic and whether the user has a second factor. Reading them
in the same query saves two queries a request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.two_factor import has_second_factor_expression, remember_state


class ClinicUserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related("clinic")
            .annotate(second_factor_enrolled=has_second_factor_expression())
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_state(user, enrolled=bool(user.second_factor_enrolled))
        return user
