"""One log line per request, and the request id on every log line written while it runs.

The line names the route pattern (`patients/<int:pk>/`), never the path or query string, so no
patient's name, search term or invitation token reaches the logs; users and clinics appear by id.
"""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("rehab_clinic.requests")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_current: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)
# A request id from the proxy is kept only when it is plainly an id.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Adds `%(request_id)s` to every record (settings.LOGGING's formatter prints it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else "(unmatched)"


def who(request: HttpRequest | None) -> tuple[str, str]:
    """(user id, clinic id) of the request's signed-in user, "-" for none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "-", "-"
    return str(user.pk), str(getattr(user, "clinic_id", None) or "-")


def current_request_summary() -> dict[str, str]:
    """Ids and route of the request being handled in this context (for error reports)."""
    request = _current.get()
    if request is None:
        return {}
    user_id, clinic_id = who(request)
    return {"user_id": user_id, "clinic_id": clinic_id, "route": route_of(request)}


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        tokens = (request_id.set(rid), _current.set(request))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user_id, clinic_id = who(request)
            logger.info(
                "request method=%s route=%s status=%s ms=%d user=%s clinic=%s",
                request.method,
                route_of(request),
                response.status_code,
                (time.monotonic() - started) * 1000,
                user_id,
                clinic_id,
            )
            return response
        finally:
            request_id.reset(tokens[0])
            _current.reset(tokens[1])
