"""The signed-in patient's own record, as every portal view reaches it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from patients.models import Patient

_CACHE = "_portal_patient"


def portal_patient(request: HttpRequest) -> Patient:
    """The active record of the patient who is signed in, through `visible_to`.

    An archived patient (or a patient user without a record) is refused with 403, so archiving
    ends portal access at the next request. Looked up once per request.
    """
    cached: Any = getattr(request, _CACHE, None)
    if cached is None:
        cached = Patient.objects.own_record(request.user).select_related("clinic").first()
        if cached is None:
            raise PermissionDenied
        setattr(request, _CACHE, cached)
    return cached  # type: ignore[no-any-return]
