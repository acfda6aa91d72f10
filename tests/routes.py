"""Walking the URL resolver: every named route, and the unnamed ones (tests/access.py's table
is checked against them)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def named_routes() -> dict[str, str]:
    """Every named route of the resolver, `namespace:name` -> its route."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found[f"{namespace}{entry.name}"] = prefix + str(entry.pattern)

    walk(get_resolver().url_patterns, "", "")
    return found


def unnamed_routes() -> list[tuple[str, Any]]:
    """Routes without a name: only the redirects from the portal's old paths may be here."""
    found: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and not entry.name:
                found.append((prefix + str(entry.pattern), entry.callback))

    walk(get_resolver().url_patterns, "")
    return found
