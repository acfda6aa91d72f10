"""Request types for views behind an access decorator: the user is signed in and has a role.

Every view's first parameter names one of these (`HttpRequest` only for `@public` pages);
`tests/test_conventions.py` checks it against the view's access decorator.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from rehab_clinic.accounts.models import User


class AuthedRequest(HttpRequest):
    """`@any_role`: a signed-in, active user of any role."""

    user: User
    htmx: HtmxDetails


class StaffRequest(AuthedRequest):
    """`@staff_required`, `@therapist_required`, `@clinic_admin_required`: a clinic admin or a
    therapist, so `user.home_clinic` is set (the decorators check it)."""


class PatientRequest(AuthedRequest):
    """`@patient_required`: a patient whose record is active (`portal_patient` finds it)."""
