"""The navigation bar: each app registers its links for the roles that use them."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    role: str
    label: str
    url_name: str
    order: int


_items: list[NavItem] = []


def register(*, role: str, label: str, url_name: str, order: int = 50) -> None:
    item = NavItem(role=role, label=label, url_name=url_name, order=order)
    if item not in _items:
        _items.append(item)


def items_for(role: str) -> list[dict[str, str]]:
    links = []
    for item in sorted((i for i in _items if i.role == role), key=lambda i: (i.order, i.label)):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": item.label, "url": url, "url_name": item.url_name})
    return links
