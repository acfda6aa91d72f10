"""The menu links of base.html are drawn by `{% main_menu_items %}` and `{% account_menu_items %}`
(Python, not template loops): the same markup the loops drew, the page shown marked as current,
counts as badges, labels escaped."""

import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

# The loops base.html had, kept here as the reference the tags must match.
LOOPS = Template(
    """{% for link in nav_links %}
  <li class="nav-item">
    <a class="nav-link text-nowrap px-lg-1 px-xxl-2{% if request.path == link.url %} active{% endif %}" href="{{ link.url }}" {% if request.path == link.url %}aria-current="page"{% endif %}>{{ link.label }}{% if link.count %} <span class="badge rounded-pill text-bg-light" data-nav-count>{{ link.count }}<span class="visually-hidden"> unread</span></span>{% endif %}</a>
  </li>
{% endfor %}|{% for link in account_links %}
  <li>
    <a class="dropdown-item{% if request.path == link.url %} active{% endif %}" href="{{ link.url }}" {% if request.path == link.url %}aria-current="page"{% endif %}>{{ link.label }}</a>
  </li>
{% endfor %}
{% if account_links %}
  <li>
    <hr class="dropdown-divider">
  </li>
{% endif %}"""  # noqa: E501
)
TAGS = Template("{% load menus %}{% main_menu_items %}|{% account_menu_items %}")

NAV = [
    {"label": "Home", "url": "/portal/"},
    {"label": "Messages", "url": "/portal/messages/", "count": 3},
    {"label": "Alerts & <notes>", "url": "/portal/a?b=1&c=2", "count": 0},
    {"label": "My details", "url": "/portal/details/"},
]
ACCOUNT = [
    {"label": "Change password", "url": "/accounts/password/"},
    {"label": "Where you are signed in", "url": "/accounts/sessions/"},
]


def _squeezed(markup: str) -> str:
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r">\s+", ">", markup)
    markup = re.sub(r"\s+<", "<", markup)
    return re.sub(r"\s+(/?>)", r"\1", markup).strip()


@pytest.mark.parametrize("path", ["/portal/details/", "/accounts/password/", "/elsewhere/"])
@pytest.mark.parametrize(("nav", "account"), [(NAV, ACCOUNT), ([], [])])
def test_the_menu_tags_draw_what_the_template_loops_drew(path: str, nav: Any, account: Any) -> None:
    context = {"request": RequestFactory().get(path), "nav_links": nav, "account_links": account}
    drawn = TAGS.render(Context(context))
    assert _squeezed(drawn) == _squeezed(LOOPS.render(Context(context)))
    if nav and path == "/portal/details/":
        assert (
            '<a class="nav-link text-nowrap px-lg-1 px-xxl-2 active" href="/portal/details/" '
            'aria-current="page">My details</a>'
        ) in drawn
        assert 'data-nav-count>3<span class="visually-hidden"> unread</span>' in drawn
        assert "Alerts &amp; &lt;notes&gt;</a>" in drawn
        assert 'href="/portal/a?b=1&amp;c=2"' in drawn
    assert drawn.count("aria-current") == (0 if path == "/elsewhere/" or not nav else 1)
