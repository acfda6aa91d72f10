"""The sign-in backend: Django's, with the per-request user lookup made one query.

Every signed-in request loads its user; the navigation, the clinic's time zone and the
second-factor check then need the clinic and whether the user has a second factor. Reading them
in the same query saves two queries a request, and that query's SQL is compiled once per process
(`accounts/prepared.py`): building it cost the ORM more than running it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.prepared import PreparedLookup
from rehab_clinic.accounts.two_factor import has_second_factor_expression, remember_state


def _user_with_clinic(user_id: int) -> QuerySet[User]:
    return (
        User._default_manager.select_related("clinic")
        .annotate(second_factor_enrolled=has_second_factor_expression())
        .filter(pk=user_id)
        .order_by("pk")[:1]
    )


_USER = PreparedLookup(_user_with_clinic)


class ClinicUserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):  # not a key this backend ever put in a session
            return None
        user = _USER.first(pk)
        if user is None or not self.user_can_authenticate(user):
            return None
        # The annotation the prepared lookup sets (`second_factor_enrolled` above).
        remember_state(user, enrolled=bool(getattr(user, "second_factor_enrolled", False)))
        return user
