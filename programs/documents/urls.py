"""Routes for program PDFs (and clinical notes' PDFs) in the `programs` namespace: the
therapist's under `/programs/documents/`, the patient's (`portal_urlpatterns`) under
`/portal/documents/`."""

from django.urls import path

from programs.documents import note_views, portal_views, views

urlpatterns = [
    path("<int:pk>/state/", views.document_state, name="document_state"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/retry/", views.document_retry, name="document_retry"),
    path(
        "versions/<int:version_pk>/",
        views.document_request,
        name="document_request",
    ),
    # The clinic's copy (the therapist's shorthand), made on demand; staff only.
    path("versions/<int:version_pk>/clinic-copy/", views.clinic_copy, name="clinic_copy"),
    # A clinical note's PDF (staff only): the note page's panel, the request and a draft's copy;
    # then the stored PDF's state, download and retry.
    path("notes/<int:note_pk>/pdf/", note_views.note_pdf_panel, name="note_pdf_panel"),
    path("notes/<int:note_pk>/pdf/request/", note_views.note_pdf_request, name="note_pdf_request"),
    path("notes/<int:note_pk>/draft-pdf/", note_views.note_draft_pdf, name="note_draft_pdf"),
    path("note-pdfs/<int:pk>/state/", note_views.note_document_state, name="note_document_state"),
    path(
        "note-pdfs/<int:pk>/download/",
        note_views.note_document_download,
        name="note_document_download",
    ),
    path("note-pdfs/<int:pk>/retry/", note_views.note_document_retry, name="note_document_retry"),
]

portal_urlpatterns = [
    path("<int:pk>/state/", portal_views.portal_document_state, name="portal_document_state"),
    path(
        "<int:pk>/download/",
        portal_views.portal_document_download,
        name="portal_document_download",
    ),
]
