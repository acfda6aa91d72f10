"""Web push: keeping a person's browser subscriptions, and sending a notification to each.

`send_push` is what a Celery task calls (`push.deliver`, rehab_clinic/push/tasks.py), never a
request: every subscription is a network call to a push service. The payload travels encrypted
(RFC 8291) but is shown on a lock screen, so callers pass neutral text only: "Time for your
exercises", never an exercise, a pain score or a message's content (docs/push.md).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.templatetags.static import static
from django.utils import timezone

from rehab_clinic.accounts.models import User
from rehab_clinic.push.icons import ICON_FILES
from rehab_clinic.push.models import PushSubscription

if TYPE_CHECKING:
    import requests

__all__ = [
    "MAX_PER_USER",
    "TITLE_MAX",
    "VapidKeys",
    "check_path",
    "new_vapid_keys",
    "push_enabled",
    "remove_subscription",
    "save_subscription",
    "send_push",
]

logger = logging.getLogger(__name__)

# A push message carries at most 4096 bytes once encrypted; these keep ours far below.
TITLE_MAX = 80
BODY_MAX = 240
URL_MAX = 500
MAX_PER_USER = 10
# The push service no longer knows this browser (RFC 8030 section 7.3): forget it.
_GONE = {404, 410}


@dataclass(frozen=True)
class VapidKeys:
    public: str  # base64url of the uncompressed P-256 point: the browser's applicationServerKey
    private: str  # base64url of the 32-byte private scalar


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_vapid_keys() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(
        public=_b64url(public),
        private=_b64url(key.private_numbers().private_value.to_bytes(32, "big")),
    )


def push_enabled() -> bool:
    """Push is on when the deployment has a VAPID key pair (settings.py refuses half a pair)."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


@transaction.atomic
def save_subscription(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep the browser's subscription for `user`. The same endpoint again (the browser renewed
    its keys, or another account turned notifications on on this phone) updates the one row."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "failure_count": 0},
    )
    # A person has a few phones and browsers; past that, the oldest are forgotten, so one account
    # cannot make every notification a thousand requests.
    stale = user.push_subscriptions.order_by("-created_at", "-pk")[MAX_PER_USER:]
    PushSubscription.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return subscription


@transaction.atomic
def remove_subscription(*, user: User, endpoint: str) -> int:
    """Forget this browser for `user`; another person's subscription is never touched."""
    removed, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return removed


def check_path(url: str) -> None:
    """A notification opens a page of this site: a path, never another origin."""
    if not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX:
        raise ValueError(
            "A push notification opens a page of this site: pass a path like /portal/."
        )


def _payload(*, title: str, body: str, url: str) -> str:
    check_path(url)
    payload = {
        "title": title[:TITLE_MAX],
        "body": body[:BODY_MAX],
        "url": url,
        "icon": static(ICON_FILES[192]),
    }
    return json.dumps(payload)


def _deliver(subscription: PushSubscription, data: str, session: requests.Session) -> bool:
    """One request to the browser's push service. True when it took the message."""
    # local import: requests, pywebpush and aiohttp are 12 MB that every worker child would
    # otherwise hold from its start, also the ones that only render PDFs (docs/performance.md).
    import requests
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush

    vapid = Vapid.from_string(private_key=settings.VAPID_PRIVATE_KEY)
    try:
        webpush(
            subscription_info=subscription.as_subscription_info(),
            data=data,
            vapid_private_key=vapid,
            # A fresh dict each time: webpush fills in `aud` (this endpoint's origin) and `exp`.
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=settings.PUSH_TTL_SECONDS,
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            requests_session=session,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in _GONE:
            logger.info("Push subscription %s is gone (%s); deleted", subscription.pk, status)
            subscription.delete()
            return False
        logger.warning("Push to subscription %s refused (%s)", subscription.pk, status)
    except (requests.RequestException, ValueError) as error:
        logger.warning("Push to subscription %s failed: %s", subscription.pk, type(error).__name__)
    else:
        PushSubscription.objects.filter(pk=subscription.pk).update(
            last_success_at=timezone.now(), failure_count=0
        )
        return True
    PushSubscription.objects.filter(pk=subscription.pk).update(failure_count=F("failure_count") + 1)
    return False


def send_push(user: User, *, title: str, body: str, url: str) -> int:
    """Show a notification on every browser where `user` turned them on; the number delivered.

    Run it in a Celery task. `title` and `body` must hold no clinical detail (they are shown on
    a lock screen); `url` is a path of this site, opened when the notification is tapped.
    Subscriptions the push service calls gone (404, 410) are deleted; other failures are counted
    on the subscription. With push off (no VAPID keys) nothing is sent.
    """
    data = _payload(title=title, body=body, url=url)
    if not push_enabled():
        return 0
    # local import: loaded by the first push a process sends (see _deliver).
    import requests

    delivered = 0
    with requests.Session() as session:
        # A push service answers; it never redirects. Following one could post elsewhere.
        session.max_redirects = 0
        for subscription in list(user.push_subscriptions.order_by("pk")):
            delivered += _deliver(subscription, data, session)
    return delivered
