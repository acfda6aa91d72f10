"""The `records` namespace: the patient's "My record" under /portal/record/, the clinic's
export from the chart under /patients/."""

from django.urls import path

from rehab_clinic.records import portal_views, views

app_name = "records"

urlpatterns = [
    path("portal/record/", portal_views.portal_record, name="portal_record"),
    path("portal/record/prepare/", portal_views.portal_prepare, name="portal_prepare"),
    path("portal/record/<int:pk>/status/", portal_views.portal_status, name="portal_status"),
    path("portal/record/<int:pk>/download/", portal_views.portal_download, name="portal_download"),
    path("patients/<int:pk>/record/prepare/", views.prepare, name="prepare"),
    path("patients/records/<int:pk>/status/", views.status, name="status"),
    path("patients/records/<int:pk>/download/", views.download, name="download"),
]
