"""Routes for return-to-running plans and gait retraining, included from programs/urls.py: the
therapist's under `/programs/`, the patient's (`portal_urlpatterns`) under `/portal/`."""

from django.urls import path

from programs.running import calendar_views, portal_views, runfile_views, views

urlpatterns = [
    path("rtr/", views.plan_list, name="rtr_plan_list"),
    path("rtr/new/", views.plan_create, name="rtr_plan_create"),
    path("rtr/<int:pk>/", views.plan_detail, name="rtr_plan_detail"),
    path("rtr/<int:pk>/customise/", views.plan_customise, name="rtr_plan_customise"),
    path("rtr/<int:pk>/readiness/", views.plan_readiness, name="rtr_plan_readiness"),
    path(
        "rtr/<int:pk>/changes/<int:change_pk>/confirm/",
        views.change_confirm,
        name="rtr_change_confirm",
    ),
    path("rtr/<int:pk>/override/", views.plan_override, name="rtr_plan_override"),
    path("rtr/<int:pk>/start/", views.plan_start, name="rtr_plan_start"),
    path("rtr/<int:pk>/pause/", views.plan_pause, name="rtr_plan_pause"),
    path("rtr/<int:pk>/close/", views.plan_close, name="rtr_plan_close"),
    path("rtr/protocols/", views.protocol_list, name="rtr_protocol_list"),
    path("rtr/protocols/<int:pk>/", views.protocol_edit, name="rtr_protocol_edit"),
    path("rtr/logs/<int:pk>/original/", runfile_views.run_file, name="rtr_log_file"),
    path("rtr/gait/new/", views.gait_create, name="rtr_gait_create"),
    path("rtr/gait/<int:pk>/", views.gait_detail, name="rtr_gait_detail"),
]

portal_urlpatterns = [
    path("run/", portal_views.portal_today, name="rtr_portal_today"),
    path("run/<int:pk>/log/", portal_views.portal_log, name="rtr_portal_log"),
    path("run/<int:pk>/check-in/", portal_views.portal_check_in, name="rtr_portal_check_in"),
    path("run/<int:pk>/player/", portal_views.portal_player, name="rtr_portal_player"),
    path("run/gait/<int:pk>/", portal_views.portal_gait, name="rtr_portal_gait"),
    path("run/calendar/link/", calendar_views.calendar_link, name="rtr_calendar_link"),
    path("run/calendar/revoke/", calendar_views.calendar_revoke, name="rtr_calendar_revoke"),
    # No sign-in: the token is the key (calendar_views).
    path(
        "run/calendar/feed/<str:token>.ics",
        calendar_views.calendar_feed,
        name="rtr_calendar_feed",
    ),
    path(
        "run/logs/<int:pk>/original/",
        runfile_views.portal_run_file,
        name="rtr_portal_log_file",
    ),
]
