"""The `programs` namespace: the therapist's pages under `/programs/`, the patient's under
`/portal/` (mounted at the root by rehab_clinic/urls.py). Each part keeps its route names."""

from django.urls import URLPattern, URLResolver, include, path

from programs.documents import urls as documents
from programs.home import urls as home
from programs.running import urls as running

app_name = "programs"

staff_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(home.urlpatterns)),
    path("documents/", include(documents.urlpatterns)),
    path("", include(running.urlpatterns)),
]

portal_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(home.portal_urlpatterns)),
    path("documents/", include(documents.portal_urlpatterns)),
    path("", include(running.portal_urlpatterns)),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("programs/", include(staff_urlpatterns)),
    path("portal/", include(portal_urlpatterns)),
]
