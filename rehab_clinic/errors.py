"""Our own 400/403/404/500 pages: the clinic's name for a signed-in user, a generic page for
anyone else, never a stack trace, always a way back. Wired as handler400..500 in urls.py."""

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PAGES = {
    400: (
        "Something in that request was not right",
        "The page could not understand what was sent.",
    ),
    403: ("This page is not open to you", "Your account does not have access to it."),
    404: ("Page not found", "It may have moved, or the link may be mistyped."),
    500: (
        "Something went wrong on our side",
        "The error has been recorded. Please try again in a few minutes.",
    ),
}


def _clinic_name(request: HttpRequest) -> str:
    # Even this may fail when the error is the database itself: then the page is generic.
    try:
        user = request.user
        if user.is_authenticated and getattr(user, "clinic", None) is not None:
            return str(user.clinic.name)  # type: ignore[union-attr]
    except Exception:
        logger.debug("Error page without the clinic's name", exc_info=True)
    return ""


def _render(request: HttpRequest, status: int) -> HttpResponse:
    title, text = PAGES[status]
    context = {
        "status": status,
        "title": title,
        "text": text,
        "clinic_name": _clinic_name(request),
    }
    return HttpResponse(render_to_string("errors/page.html", context), status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the same 403 page (an expired form is the usual cause)."""
    return _render(request, 403)
