"""Routes for program PDFs in the `programs` namespace: the therapist's under
`/programs/documents/`, the patient's (`portal_urlpatterns`) under `/portal/documents/`."""

from django.urls import path

from programs.documents import portal_views, views

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

portal_urlpatterns = [
    path("<int:pk>/state/", portal_views.portal_document_state, name="portal_document_state"),
    path(
        "<int:pk>/download/",
        portal_views.portal_document_download,
        name="portal_document_download",
    ),
]
