"""The navigation bar: each app registers its links for the roles that use them.

The signed-in person's own account pages are not in that row but in one menu under their name
(`account_items`), with signing out, so the row keeps to the clinic's work and fits on one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    role: str
    label: str
    url_name: str
    order: int
    # A number shown beside the link (e.g. unread notifications): one cheap query, or None.
    count: Callable[[Any], int] | None = None


_items: list[NavItem] = []


def register(
    *,
    role: str,
    label: str,
    url_name: str,
    order: int = 50,
    count: Callable[[Any], int] | None = None,
) -> None:
    item = NavItem(role=role, label=label, url_name=url_name, order=order, count=count)
    if item not in _items:
        _items.append(item)
        _resolved.clear()


# Each role's links in order with their addresses, worked out once per process (and per URL
# configuration and script prefix, which is all `reverse` reads): every signed-in page shows
# them, and only the counts change from one request to the next.
_resolved: dict[tuple[str, Any, str], list[tuple[NavItem, str]]] = {}


def _links_of(role: str) -> list[tuple[NavItem, str]]:
    key = (role, get_urlconf(), get_script_prefix())
    links = _resolved.get(key)
    if links is None:
        links = []
        for item in sorted((i for i in _items if i.role == role), key=_place):
            try:
                links.append((item, reverse(item.url_name)))
            except NoReverseMatch:
                continue
        _resolved[key] = links
    return links


def _place(item: NavItem) -> tuple[int, str]:
    return item.order, item.label


def items_for(role: str, user: User | None = None) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = []
    for item, url in _links_of(role):
        link: dict[str, Any] = {"label": item.label, "url": url, "url_name": item.url_name}
        if item.count is not None and user is not None:
            link["count"] = item.count(user)
        links.append(link)
    return links


# The account menu under the user's name, for every role; signing out ends it (base.html).
ACCOUNT_LINKS = (
    ("Sign-in security", "accounts:two_factor"),
    ("Where you are signed in", "accounts:session_list"),
    ("Change password", "accounts:password_change"),
)


def account_items() -> list[dict[str, str]]:
    key = ("", get_urlconf(), get_script_prefix())
    links = _account_links.get(key)
    if links is None:
        links = _account_links[key] = [
            (label, reverse(url_name), url_name) for label, url_name in ACCOUNT_LINKS
        ]
    return [{"label": label, "url": url, "url_name": name} for label, url, name in links]


_account_links: dict[tuple[str, Any, str], list[tuple[str, str, str]]] = {}
