"""Permanent redirects from the paths the patient's pages had before they all moved under
`/portal/`, so a bookmark or a link in an old email still lands on the page.

Each old path answers a GET (or HEAD) with 301 to the route named here, the query string kept.
Any other method answers 405: a form is always rendered with the new path, and the portal's
offline tick queue rewrites old paths itself (static/js/home_portal.js).
"""

from collections.abc import Callable

from django.http import HttpResponsePermanentRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_safe

from rehab_clinic.accounts.decorators import any_role
from rehab_clinic.accounts.requests import AuthedRequest

# old route -> the name of the page that replaced it (same URL arguments).
MOVED: dict[str, str] = {
    "assessments/portal/summaries/": "assessments:portal_summaries",
    "assessments/portal/summaries/<int:pk>/": "assessments:portal_summary",
    "assessments/portal/measures/<int:pk>/": "assessments:portal_measure",
    "programs/portal/today/": "programs:portal_today",
    "programs/portal/week/": "programs:portal_week",
    "programs/portal/program/": "programs:portal_program",
    "programs/portal/versions/<int:pk>/": "programs:portal_version",
    "programs/portal/versions/<int:pk>/done/": "programs:portal_mark_done",
    "programs/portal/adherence/": "programs:portal_adherence",
    "programs/portal/run/": "programs:rtr_portal_today",
    "programs/portal/run/<int:pk>/log/": "programs:rtr_portal_log",
    "programs/portal/run/<int:pk>/check-in/": "programs:rtr_portal_check_in",
    "programs/portal/run/<int:pk>/player/": "programs:rtr_portal_player",
    "programs/portal/run/gait/<int:pk>/": "programs:rtr_portal_gait",
}


def moved_to(name: str) -> Callable[..., HttpResponsePermanentRedirect]:
    """A view answering 301 to the route `name`, with the same URL arguments and query string.

    Signed-in users only (like the pages it points to), so an anonymous visitor goes to the login
    page first and comes back through here.
    """

    @any_role
    @require_safe
    def view(request: AuthedRequest, **kwargs: int) -> HttpResponsePermanentRedirect:
        target = reverse(name, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    view.moved_to = name  # type: ignore[attr-defined]
    return view


urlpatterns: list[URLPattern] = [path(old, moved_to(name)) for old, name in MOVED.items()]
