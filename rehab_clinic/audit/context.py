"""Who is asking, from where: the request's audit context, set once per request.

`AuditContextMiddleware` binds it for the request's duration; `record_event` reads it, so no
service needs the request to audit a change. Outside a request (Celery tasks, management
commands, tests calling a service directly) there is none and events carry no address.
"""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from rehab_clinic.request_log import request_id

# A browser's User-Agent is rarely longer; a longer one is cut, never refused.
USER_AGENT_MAX = 300


@dataclass(frozen=True)
class AuditContext:
    ip: str | None
    user_agent: str
    request_id: str


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For is believed only for the configured proxy hops."""
    hops = settings.AXES_IPWARE_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])
    address: str | None = request.META.get("REMOTE_ADDR") or None
    return address


def context_of(request: HttpRequest) -> AuditContext:
    return AuditContext(
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_MAX],
        request_id=request_id.get(),
    )


def current() -> AuditContext | None:
    """The audit context of the request being handled here, None outside a request."""
    return _context.get()


@contextmanager
def bound(context: AuditContext | None) -> Iterator[None]:
    token = _context.set(context)
    try:
        yield
    finally:
        _context.reset(token)


class AuditContextMiddleware:
    """Binds the request's audit context; after RequestLogMiddleware, which names the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with bound(context_of(request)):
            return self.get_response(request)
