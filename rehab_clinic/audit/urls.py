from django.urls import path

from rehab_clinic.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("suggest/patients/", views.suggest_patients, name="suggest_patients"),
    path("suggest/users/", views.suggest_users, name="suggest_users"),
]
