"""The signed-in patient's own record, as every portal view reaches it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from patients.models import Patient, PatientQuerySet
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.prepared import PreparedLookup

_CACHE = "_portal_patient"


def _own_active_record(user_id: int) -> PatientQuerySet:
    """`own_record` of an active patient user with this id, through the same gate."""
    stand_in = User(pk=user_id, role=User.Role.PATIENT, is_active=True)
    return Patient.objects.own_record(stand_in).select_related("clinic")[:1]


# Every portal request looks the record up: its SQL is compiled once (accounts/prepared.py).
_OWN_RECORD = PreparedLookup(_own_active_record)


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
        cached = portal_record(user)
        setattr(request, _CACHE, cached)
    return cached


def portal_record(user: User) -> Patient:
    """`portal_patient` for code that is given the user rather than the request (the portal
    home's panels): the same active record, looked up once per request's user.

    The record is also left as `user.patient`, so a panel that reads it there does not load the
    same row again.
    """
    cached: Patient | None = getattr(user, _CACHE, None)
    if cached is None:
        if user.is_patient and user.is_active:
            cached = _OWN_RECORD.first(user.pk)
        else:  # the gate decides (it finds nothing for anyone else)
            cached = Patient.objects.own_record(user).select_related("clinic").first()
        if cached is None:
            raise PermissionDenied
        setattr(user, _CACHE, cached)
        Patient.user.field.remote_field.set_cached_value(user, cached)
    return cached
