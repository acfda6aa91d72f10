from django.urls import path

from patients import caseload, goal_views, today, views

app_name = "patients"

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("today/", today.today, name="today"),
    path("today/<slug:key>/", today.today_queue, name="today_queue"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_chart, name="chart"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive, name="archive"),
    path("archived/", views.archived_list, name="archived"),
    path("<int:pk>/restore/", views.patient_restore, name="restore"),
    path("<int:pk>/invite/", views.patient_invite, name="invite"),
    path("<int:pk>/episodes/new/", views.episode_create, name="episode_create"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/charts/", views.episode_charts, name="episode_charts"),
    path("episodes/<int:pk>/edit/", views.episode_edit, name="episode_edit"),
    path("episodes/<int:pk>/discharge/", views.episode_discharge, name="episode_discharge"),
    path("episodes/<int:pk>/plan/", goal_views.plan_of_care, name="plan_of_care"),
    path("episodes/<int:pk>/plan/goals/new/", goal_views.goal_add, name="goal_add"),
    path(
        "episodes/<int:pk>/plan/certification/",
        goal_views.certification_save,
        name="certification_save",
    ),
    path("goals/<int:pk>/edit/", goal_views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/remove/", goal_views.goal_remove, name="goal_remove"),
]
