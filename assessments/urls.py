"""The `assessments` namespace: the therapist's pages under `/assessments/`, the patient's under
`/portal/` (mounted at the root by rehab_clinic/urls.py)."""

from django.urls import URLPattern, URLResolver, include, path

from assessments import billing_views, outcome_views, portal_views, views
from assessments.reports import views as report_views

app_name = "assessments"

staff_urlpatterns = [
    path("episodes/", views.episode_list, name="episode_list"),
    path("episodes/<int:episode_id>/", views.episode_detail, name="episode_detail"),
    path("episodes/<int:episode_id>/notes/new/<str:kind>/", views.note_start, name="note_start"),
    path("episodes/<int:episode_id>/assign/", outcome_views.outcome_assign, name="outcome_assign"),
    path("notes/<int:pk>/", views.note_detail, name="note_detail"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/draft/", views.note_draft, name="note_draft"),
    path("notes/<int:pk>/sign/", views.note_sign, name="note_sign"),
    path("notes/<int:pk>/addenda/new/", views.addendum_create, name="addendum_create"),
    path(
        "notes/<int:pk>/outcomes/<str:instrument>/", outcome_views.note_outcome, name="note_outcome"
    ),
    path("outcomes/<int:pk>/strike/", outcome_views.outcome_strike, name="outcome_strike"),
    path("notes/<int:pk>/summary/", views.note_patient_summary, name="note_patient_summary"),
    path("notes/<int:pk>/release/", views.note_release, name="note_release"),
    path("csrf-token/", views.csrf_token, name="csrf_token"),
    path("instruments/", outcome_views.instrument_settings, name="instrument_settings"),
    path("reports/outcomes/", report_views.outcomes_report, name="outcomes_report"),
    path("reports/outcomes.csv", report_views.outcomes_report_csv, name="outcomes_report_csv"),
    path(
        "instruments/schedule/",
        outcome_views.questionnaire_schedule,
        name="questionnaire_schedule",
    ),
    path("billing-codes/", billing_views.billing_codes, name="billing_codes"),
]

portal_urlpatterns = [
    path("summaries/", portal_views.summary_list, name="portal_summaries"),
    path("summaries/<int:pk>/", portal_views.summary_detail, name="portal_summary"),
    path("measures/<int:pk>/", portal_views.measure_fill, name="portal_measure"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("assessments/", include(staff_urlpatterns)),
    path("portal/", include(portal_urlpatterns)),
]
