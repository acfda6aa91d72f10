"""The signed-in patient's own record, as every portal view reaches it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from patients.models import Patient
from rehab_clinic.accounts.models import User

_CACHE = "_portal_patient"


def portal_patient(request: HttpRequest) -> Patient:
    """The active record of the patient who is signed in, through `visible_to`.

    An archived patient (or a patient user without a record) is refused with 403, so archiving
    ends portal access at the next request. Looked up once per request.
    """
    cached: Patient | None = getattr(request, _CACHE, None)
    if cached is None:
        user = request.user
        if not isinstance(user, User):  # signed out: no record is theirs
            raise PermissionDenied
        cached = Patient.objects.own_record(user).select_related("clinic").first()
        if cached is None:
            raise PermissionDenied
        setattr(request, _CACHE, cached)
    return cached
