"""Routes for program PDFs, included under `programs/documents/` in the `programs` namespace."""

from django.urls import path

from programs.documents import views

urlpatterns = [
    path("<int:pk>/state/", views.document_state, name="document_state"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/retry/", views.document_retry, name="document_retry"),
    path(
        "versions/<int:version_pk>/",
        views.document_request,
        name="document_request",
    ),
]
