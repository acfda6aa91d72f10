"""Session lifetime rules, sign-in for htmx requests, cache headers for signed-in pages, and NUL
bytes refused."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.same_site import page_on_this_site
from rehab_clinic.accounts.sessions import touch_session
from rehab_clinic.accounts.two_factor import second_factor_pending, second_factor_state

LAST_SEEN_KEY = "last_seen"
STARTED_KEY = "session_started"
# Write the last-seen time at most this often, so each request does not write the session row.
_TOUCH_EVERY = timedelta(seconds=30)


def page_to_return_to(request: HttpRequest) -> str:
    """Where signing in again should lead: the page an htmx request came from (not the
    fragment's address), the page a form was posted from (a POST-only address would answer
    405), or the page asked for."""
    if request.headers.get("HX-Request"):
        return page_on_this_site(request, request.headers.get("HX-Current-URL", "")) or "/"
    if request.method != "GET":
        return page_on_this_site(request, request.headers.get("Referer", "")) or "/"
    return request.get_full_path()


class HtmxLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, but an htmx request without a session (signed out in
    another tab, the session ended from the sessions list) gets HX-Redirect to the login page,
    back to the page it came from: htmx would otherwise follow the redirect and swap the whole
    login page into a panel (the record export's 2 s poll did)."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[Any, Any],
    ) -> HttpResponseBase | None:
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is None or not request.headers.get("HX-Request"):
            return response
        login_url = self.get_login_url(view_func)
        target = redirect_to_login(
            page_to_return_to(request), login_url, self.get_redirect_field_name(view_func)
        )
        hx = HttpResponse(status=204)
        hx["HX-Redirect"] = target["Location"]
        return hx


class SessionTimeoutMiddleware:
    """Log a user out after an idle period (per role) or an absolute lifetime.

    SESSION_COOKIE_AGE alone is not an idle timeout, so the last-seen time lives in the session
    and is checked on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            started = request.session.get(STARTED_KEY)
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle_limit = (
                settings.SESSION_IDLE_TIMEOUT_PATIENT
                if user.is_patient
                else settings.SESSION_IDLE_TIMEOUT_STAFF
            )
            expired = (
                started is None
                or now.timestamp() - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
                or (
                    last_seen is not None
                    and now.timestamp() - last_seen > idle_limit.total_seconds()
                )
            )
            if expired:
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity.")
                target = redirect_to_login(page_to_return_to(request))
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target["Location"]
                    return response
                return target
            if last_seen is None or now.timestamp() - last_seen > _TOUCH_EVERY.total_seconds():
                request.session[LAST_SEEN_KEY] = now.timestamp()
                touch_session(request, now)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user may hold patient data: never store them in a cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class ClinicTimezoneMiddleware:
    """Show every date and time in the signed-in user's clinic's zone (templates, forms and
    ``timezone.localdate()`` all read the active zone); others see the server's zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clinic = getattr(request.user, "clinic", None) if request.user.is_authenticated else None
        if clinic is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(clinic.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RefuseNulBytesMiddleware:
    """A NUL byte in the path or a query parameter is answered 400 before any view runs.

    No page has a use for one, and PostgreSQL refuses NUL in text, so it would otherwise surface
    as a server error wherever a value reaches a query. The first line of defence only: forms
    still validate their own fields (Django's CharField refuses NUL too).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL bytes are not accepted in a web address.")
        return self.get_response(request)


# What a session that passed only the password may open, by where it stands.
_VERIFY_ROUTES = frozenset(
    {
        "accounts:two_factor_verify",
        "accounts:logout",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)
_ENROL_ROUTES = frozenset(
    {
        "accounts:two_factor",
        "accounts:totp_setup",
        "accounts:logout",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)


class SecondFactorMiddleware:
    """Default-deny until the second step is done: a user who has a second factor (or is staff of a
    clinic that requires one) and has passed only the password reaches the code page, or the
    enrolment pages if they have no factor yet, and sign-out. Nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "access_policy", None) == "public" or not second_factor_pending(request):
            return None
        request.second_factor_pending = True  # type: ignore[attr-defined]
        user = request.user
        if not isinstance(user, User):  # second_factor_pending said it is signed in
            return None
        enrolled, _required = second_factor_state(user)
        allowed = _VERIFY_ROUTES if enrolled else _ENROL_ROUTES
        match = request.resolver_match
        if match is not None and match.view_name in allowed:
            return None
        target = reverse("accounts:two_factor_verify" if enrolled else "accounts:two_factor")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
