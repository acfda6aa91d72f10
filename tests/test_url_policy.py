"""Every route declares who may use it; a route without a policy fails this test."""

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

KNOWN_POLICIES = {"public", "authenticated", "therapist", "clinic_admin", "staff", "patient"}
# Third-party routes that are not ours to decorate (none are mounted today).
EXEMPT_PREFIXES: tuple[str, ...] = ()


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def all_routes() -> list[tuple[str, Any]]:
    return _walk(get_resolver().url_patterns)


def test_every_route_declares_an_access_policy() -> None:
    missing = [
        route
        for route, view in all_routes()
        if not route.startswith(EXEMPT_PREFIXES)
        and getattr(view, "access_policy", None) not in KNOWN_POLICIES
    ]
    assert not missing, f"Routes without a declared access policy: {missing}"


def test_only_sign_in_reset_invitations_and_health_are_public() -> None:
    public = sorted(route for route, view in all_routes() if view.access_policy == "public")
    # The reminders' one-click unsubscribe (RFC 8058) is a signed link that can only stop them;
    # the calendar feed is read by a calendar app with the secret token of one runner's link.
    allowed = (
        "accounts/login/",
        "accounts/password/reset/",
        "accounts/invite/",
        "healthz",
        "portal/reminders/unsubscribe/",
        "portal/run/calendar/feed/",
    )
    assert public, "the login page must be public"
    assert all(route.startswith(allowed) for route in public), public


def test_the_walk_finds_the_routes_it_should() -> None:
    routes = {route for route, _ in all_routes()}
    assert "patients/<int:pk>/" in routes
    assert "accounts/login/" in routes
