from django.urls import path

from patients import caseload, today, views

app_name = "patients"

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("today/", today.today, name="today"),
    path("today/<slug:key>/", today.today_queue, name="today_queue"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_chart, name="chart"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive, name="archive"),
    path("<int:pk>/invite/", views.patient_invite, name="invite"),
    path("<int:pk>/episodes/new/", views.episode_create, name="episode_create"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/charts/", views.episode_charts, name="episode_charts"),
    path("episodes/<int:pk>/edit/", views.episode_edit, name="episode_edit"),
    path("episodes/<int:pk>/discharge/", views.episode_discharge, name="episode_discharge"),
]
