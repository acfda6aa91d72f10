"""The `programs` namespace: each part's routes, under the same paths and names as before."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "programs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("programs.home.urls")),
    path("documents/", include("programs.documents.urls")),
    path("", include("programs.running.urls")),
]
