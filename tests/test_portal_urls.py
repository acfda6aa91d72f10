"""The patient's pages live under one prefix, /portal/, and the paths they had before redirect.

The first test walks the URL resolver: a view of a `portal_views` module, or a view behind the
portal gate (`patient_required`, policy "patient"), outside /portal/ fails it. The others ask
every old path, as the portal linked it before the move, for a permanent redirect to its page.
"""

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from rehab_clinic.moved_urls import MOVED

PORTAL = "portal/"


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def _is_patients_page(view: Any) -> bool:
    module = getattr(view, "__module__", "")
    return module.endswith(".portal_views") or getattr(view, "access_policy", None) == "patient"


def outside_the_portal(routes: list[tuple[str, Any]]) -> list[str]:
    return [
        route for route, view in routes if _is_patients_page(view) and not route.startswith(PORTAL)
    ]


def test_every_page_of_the_patient_is_under_portal() -> None:
    routes = _routes(get_resolver().url_patterns)
    patients_pages = [route for route, view in routes if _is_patients_page(view)]

    assert outside_the_portal(routes) == []
    # The walk sees the portal of every app: home, assessments, programs, running, PDFs.
    for expected in ("portal/", "portal/summaries/", "portal/today/", "portal/run/",
                     "portal/documents/<int:pk>/download/"):  # fmt: skip
        assert expected in patients_pages


def test_the_check_sees_a_portal_view_mounted_elsewhere() -> None:
    from programs.home import portal_views

    wrong = [("programs/portal/today/", portal_views.portal_today), ("portal/", object())]

    assert outside_the_portal(wrong) == ["programs/portal/today/"]


# Each path the portal had before, with its page now (7 stands for any id).
OLD_TO_NEW = [
    ("/assessments/portal/summaries/", "/portal/summaries/"),
    ("/assessments/portal/summaries/7/", "/portal/summaries/7/"),
    ("/assessments/portal/measures/7/", "/portal/measures/7/"),
    ("/programs/portal/today/", "/portal/today/"),
    ("/programs/portal/week/", "/portal/week/"),
    ("/programs/portal/program/", "/portal/program/"),
    ("/programs/portal/versions/7/", "/portal/versions/7/"),
    ("/programs/portal/versions/7/done/", "/portal/versions/7/done/"),
    ("/programs/portal/adherence/", "/portal/adherence/"),
    ("/programs/portal/run/", "/portal/run/"),
    ("/programs/portal/run/7/log/", "/portal/run/7/log/"),
    ("/programs/portal/run/7/check-in/", "/portal/run/7/check-in/"),
    ("/programs/portal/run/7/player/", "/portal/run/7/player/"),
    ("/programs/portal/run/gait/7/", "/portal/run/gait/7/"),
]


def test_every_moved_route_is_listed_here() -> None:
    """A route added to moved_urls without a row above (or the reverse) fails here."""
    listed = {old for old, _ in OLD_TO_NEW}
    moved = {"/" + route.replace("<int:pk>", "7") for route in MOVED}

    assert moved == listed


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), OLD_TO_NEW)
def test_an_old_portal_path_redirects_permanently_with_its_query(
    client: Any, patient_user: Any, old: str, new: str
) -> None:
    client.force_login(patient_user)

    response = client.get(old + "?week=2026-11-30&from=email")

    assert response.status_code == 301
    assert response["Location"] == new + "?week=2026-11-30&from=email"
    assert client.get(old)["Location"] == new
    assert resolve(new).func is not resolve(old).func


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), OLD_TO_NEW[:4])
def test_an_old_portal_path_refuses_a_post_with_405(
    client: Any, patient_user: Any, old: str, new: str
) -> None:
    client.force_login(patient_user)

    assert client.post(old, {"item": "1"}).status_code == 405
    assert client.head(old).status_code == 301


@pytest.mark.django_db
def test_an_anonymous_visitor_on_an_old_path_signs_in_and_comes_back_through_it(
    client: Any, patient_user: Any
) -> None:
    response = client.get("/programs/portal/today/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/programs/portal/today/" in response["Location"]
