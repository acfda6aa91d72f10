"""Routes for program PDFs, included under `programs/documents/` in the `programs` namespace."""

from django.urls import path

from programs import document_views

urlpatterns = [
    path("<int:pk>/state/", document_views.document_state, name="document_state"),
    path("<int:pk>/download/", document_views.document_download, name="document_download"),
    path("<int:pk>/retry/", document_views.document_retry, name="document_retry"),
    path(
        "versions/<int:version_pk>/",
        document_views.document_request,
        name="document_request",
    ),
]
