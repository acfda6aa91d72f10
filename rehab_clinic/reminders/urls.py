"""The `reminders` namespace: the patient's settings and the unsubscribe link under /portal/,
the therapist's suggested times under the patient's /patients/ pages."""

from django.urls import path

from rehab_clinic.reminders import portal_views, views

app_name = "reminders"

urlpatterns = [
    path("portal/reminders/", portal_views.portal_settings, name="portal_settings"),
    path("portal/reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("patients/<int:pk>/reminders/suggest/", views.suggest, name="suggest"),
]
