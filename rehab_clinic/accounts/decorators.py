"""Access policies for views. Every view carries exactly one of these.

Anonymous visitors are sent to the login page by Django's LoginRequiredMiddleware for every view
except those marked `@public`. The role decorators then refuse a signed-in user of the wrong role
with 403. Access to a particular patient's record is decided by scoping (`visible_to`), which
answers 404 so that a forbidden record looks like one that does not exist.

Each decorator records its policy on the view as `access_policy`; a test walks the URL resolver
and fails for any route whose view has none.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from patients.portal import portal_patient
from rehab_clinic.accounts.same_site import page_on_this_site
from rehab_clinic.accounts.two_factor import checked_recently

View = TypeVar("View", bound=Callable[..., Any])


def _mark(view: Any, policy: str) -> Any:
    view.access_policy = policy
    return view


def public(view: View) -> View:
    """No sign-in needed: login, password reset, invitations, health check."""
    return _mark(login_not_required(view), "public")  # type: ignore[no-any-return]


def any_role(view: View) -> View:
    """Any signed-in, active user."""
    return _mark(view, "authenticated")  # type: ignore[no-any-return]


def _role_required(policy: str, allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not allowed(user) or user.clinic_id is None:
                raise PermissionDenied
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]

        return _mark(wrapper, policy)  # type: ignore[no-any-return]

    return decorator


therapist_required = _role_required("therapist", lambda user: user.is_therapist)
clinic_admin_required = _role_required("clinic_admin", lambda user: user.is_clinic_admin)
staff_required = _role_required("staff", lambda user: user.is_clinic_staff)
_patient_role = _role_required("patient", lambda user: user.is_patient)


def patient_required(view: View) -> View:
    """A signed-in patient whose record is active: reached through the gate, so an archived
    patient is refused everywhere on the portal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        portal_patient(request)
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return _patient_role(wrapper)  # type: ignore[return-value]


def recent_auth_required(view: View) -> View:
    """A sensitive action (signing a note, an export, a role change, a factor reset) asks for the
    password or a code again when the last check in this session is older than REAUTH_MAX_AGE.

    Put it under the access decorator. A GET comes back to the same page once confirmed; a POST
    is not replayed, so the person returns to the page they acted from and repeats the action.
    """
    return _asking_again(view, download=False)


def recent_auth_required_download(view: View) -> View:
    """`recent_auth_required` for a GET that answers with a file (a CSV, a ZIP): once confirmed,
    the person is shown a page that starts the download and leads back to the page they came
    from. Sent straight to the file, the browser would save it and stay on "Confirm it is you"."""
    return _asking_again(view, download=True)


def _asking_again(view: View, *, download: bool) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if checked_recently(request):
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        back = request.get_full_path()
        referer = page_on_this_site(request, request.headers.get("Referer", ""))
        query = {"next": back}
        if request.method != "GET":
            query["next"] = referer or reverse("home")
        elif download and referer:
            query["back"] = referer
        target = reverse("accounts:reauthenticate") + "?" + urlencode(query)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    return wrapper  # type: ignore[return-value]
