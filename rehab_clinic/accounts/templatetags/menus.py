"""`{% main_menu_items %}` and `{% account_menu_items %}`: the menu links of base.html (the
context's nav_links and account_links), the current page marked, drawn in Python. Every
signed-in page shows them: as template loops they were a fifth of a small page's template work
(three `{% if %}` a link)."""

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _marked(context: template.Context, key: str) -> list[tuple[dict[str, Any], str, str]]:
    """The context's links under `key`, each with the extra class and attribute that mark the
    page shown."""
    path = getattr(context.get("request"), "path", None)
    return [
        (link, " active", ' aria-current="page"') if path == link["url"] else (link, "", "")
        for link in context.get(key) or ()
    ]


@register.simple_tag(takes_context=True)
def main_menu_items(context: template.Context) -> SafeString:
    drawn = []
    for link, active, current in _marked(context, "nav_links"):
        count = link.get("count")
        badge = (
            ' <span class="badge rounded-pill text-bg-light" data-nav-count>'
            f'{escape(count)}<span class="visually-hidden"> unread</span></span>'
            if count
            else ""
        )
        drawn.append(
            f'<li class="nav-item"><a class="nav-link text-nowrap px-lg-1 px-xxl-2{active}" '
            f'href="{escape(link["url"])}"{current}>{escape(link["label"])}{badge}</a></li>'
        )
    return mark_safe("".join(drawn))  # every value is escaped here


@register.simple_tag(takes_context=True)
def account_menu_items(context: template.Context) -> SafeString:
    drawn = [
        f'<li><a class="dropdown-item{active}" href="{escape(link["url"])}"{current}>'
        f"{escape(link['label'])}</a></li>"
        for link, active, current in _marked(context, "account_links")
    ]
    if drawn:
        drawn.append('<li><hr class="dropdown-divider"></li>')
    return mark_safe("".join(drawn))  # every value is escaped here
