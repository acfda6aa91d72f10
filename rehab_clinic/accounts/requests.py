"""Request types for views behind an access decorator: the user is signed in and has a role."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from rehab_clinic.accounts.models import Clinic, User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class StaffRequest(AuthedRequest):
    """A clinic admin or therapist: `user.clinic` is always set (the decorators check it)."""

    clinic: Clinic
