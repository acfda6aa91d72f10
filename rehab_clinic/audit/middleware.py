"""Refused access to patient records is audited, without letting a crawler flood the trail.

A signed-in user answered 403 or 404 on a patient-scoped route (one with an object id in its URL)
leaves an event with the route, the id asked for and the status; at most `DENIALS_PER_MINUTE` per
user and route each minute, then one event saying that further refusals were not recorded. The
count lives in the cache named by `SHARED_CACHE_ALIAS` (Redis when there is one), so every web
process counts against the same allowance, and it costs nothing in the database. With Redis
unreachable each process counts on its own (its memory cache) rather than fail the response.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from redis.exceptions import RedisError

from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

logger = logging.getLogger(__name__)

DENIALS_PER_MINUTE = 10
# Routes that reach a patient's records.
PATIENT_SCOPED_NAMESPACES = {"patients", "portal", "assessments", "programs", "fhir"}


def _patient_scoped_route(request: HttpRequest) -> ResolverMatch | None:
    match = request.resolver_match
    if match is None or not match.kwargs:
        return None
    return match if match.namespace in PATIENT_SCOPED_NAMESPACES else None


def current_minute() -> int:
    return int(time.time() // 60)


def count_denial(counts: BaseCache, user_id: object, route: str) -> int:
    """This refusal's number in the user's current minute on the route, counted in `counts`."""
    key = f"audit-denials:{user_id}:{route}:{current_minute()}"
    counts.add(key, 0, timeout=120)
    try:
        return counts.incr(key)
    except ValueError:  # expired between add and incr
        counts.set(key, 1, timeout=120)
        return 1


def _within_budget(user_id: object, route: str) -> int:
    try:
        return count_denial(caches[settings.SHARED_CACHE_ALIAS], user_id, route)
    except (RedisError, OSError) as exc:
        logger.warning("Denial throttle counted in this process only: %s", type(exc).__name__)
        return count_denial(caches["default"], user_id, route)


class AuditDenialsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404) and isinstance(request.user, User):
            match = _patient_scoped_route(request)
            if match is not None:
                self._record(request, request.user, match, response.status_code)
        return response

    def _record(self, request: HttpRequest, user: User, match: ResolverMatch, status: int) -> None:
        number = _within_budget(user.pk, match.view_name)
        if number > DENIALS_PER_MINUTE + 1:
            return
        asked: dict[str, Any] = match.kwargs
        detail = f"refused {status} on {match.view_name}"
        if number == DENIALS_PER_MINUTE + 1:
            detail += "; more refusals on this route this minute are not recorded"
        record_event(
            user=user,
            action=AuditEvent.Action.VIEW,
            outcome=AuditEvent.Outcome.DENIED,
            detail=detail,
            object_type="route",
            object_id=",".join(f"{key}={value}" for key, value in asked.items()),
            object_repr=request.path,
        )
