"""Optional error reports to Sentry (SENTRY_DSN), with patient data removed before sending.

Clinical apps cannot send what a request carried: form fields, query strings, cookies, headers,
exception messages (they often quote a record), local variables and log breadcrumbs may all hold
a patient's name. `scrub_event` keeps what finds the bug (exception types, stack frames without
their variables, the route pattern, user and clinic ids) and drops the rest.
"""

from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from rehab_clinic.request_log import current_request_summary, request_id

_SAFE_REQUEST_KEYS = ("method",)


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request") or {}
    event["request"] = {key: request[key] for key in _SAFE_REQUEST_KEYS if key in request}
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = ""  # the message may name a patient; the type and frames stay
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry") or {}
    if logentry:
        # The format string stays ("Program document %s failed"); its arguments go.
        event["logentry"] = {"message": logentry.get("message", "")}
    event.pop("message", None)
    for key in ("breadcrumbs", "extra", "server_name"):
        event.pop(key, None)
    summary = current_request_summary()
    event["user"] = {"id": summary["user_id"]} if summary.get("user_id", "-") != "-" else {}
    tags = event.setdefault("tags", {})
    if isinstance(tags, dict):
        tags["request_id"] = request_id.get()
        if summary:
            tags["clinic_id"] = summary["clinic_id"]
            tags["route"] = summary["route"]
    return event


def init_sentry(*, dsn: str, environment: str, transport: Any = None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0.0,
        before_send=cast(Any, scrub_event),  # sentry's Event is a TypedDict; ours reads keys
        transport=transport,
    )
