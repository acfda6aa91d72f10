"""Signed-in sessions per user (`UserSession`): recorded at sign-in, listed on the user's sessions
page, ended one by one, or all at once when a user is deactivated or their factor is reset."""

import ipaddress
import re
from datetime import datetime

from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from rehab_clinic.accounts.models import User, UserSession
from rehab_clinic.accounts.session_store import forget_cached
from rehab_clinic.audit.context import client_ip

_BROWSERS = [
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Firefox", r"(Firefox|FxiOS)/"),
    ("Chrome", r"(Chrome|CriOS|Chromium)/"),
    ("Safari", r"Version/[\d.]+.*Safari/"),
]
_SYSTEMS = [
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Android", r"Android"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    """A person's words for a device: "Firefox on Windows", "Safari on iPhone"."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


# Private (RFC 1918, unique local) and link-local ranges: an office or home network. Not
# `is_private`, which also counts the documentation ranges.
_LOCAL_NETWORKS = [
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
    )
]


def describe_place(ip: str | None) -> str:
    """Where a session was last used, as far as the address tells without a GeoIP database:
    this computer, the local network (a private address: the clinic's own network), or the
    public address itself."""
    if not ip:
        return "Unknown place"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "Unknown place"
    if address.is_loopback:
        return f"This computer ({ip})"
    if any(address in network for network in _LOCAL_NETWORKS):
        return f"Local network ({ip})"
    return ip


def record_session(request: HttpRequest, user: User) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "ip_address": client_ip(request),
            "last_seen_at": timezone.now(),
        },
    )


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def rename_session(old_key: str, new_key: str | None) -> None:
    if new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def touch_session(request: HttpRequest, now: datetime) -> None:
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).update(
            last_seen_at=now, ip_address=client_ip(request)
        )


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that are still alive (a session that lapsed unseen is dropped)."""
    rows = list(UserSession.objects.filter(user=user))
    live = set(
        Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    stale = [row.pk for row in rows if row.session_key not in live]
    if stale:
        UserSession.objects.filter(pk__in=stale).delete()
    return [row for row in rows if row.session_key in live]


def end_session(*, user: User, pk: int) -> bool:
    """End one of the user's own sessions; another user's session is not found."""
    row = UserSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        return False
    Session.objects.filter(session_key=row.session_key).delete()
    forget_cached([row.session_key])
    row.delete()
    return True


def end_sessions_of(user: User) -> int:
    """Sign a user out everywhere: only their own session rows are touched."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    forget_cached(keys)
    count, _ = UserSession.objects.filter(user=user).delete()
    return count
