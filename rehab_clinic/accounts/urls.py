from django.urls import path

from rehab_clinic.accounts import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/password/done/", views.password_change_done, name="password_change_done"),
    path("accounts/password/reset/", views.password_reset, name="password_reset"),
    path("accounts/password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("accounts/invite/<str:token>/", views.invite_accept, name="invite_accept"),
    path("accounts/two-factor/", two_factor_views.overview, name="two_factor"),
    path("accounts/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/app/", two_factor_views.totp_setup, name="totp_setup"),
    path("accounts/two-factor/backup-codes/", two_factor_views.backup_codes, name="backup_codes"),
    path("accounts/confirm/", two_factor_views.reauthenticate, name="reauthenticate"),
    path("accounts/sessions/", two_factor_views.session_list, name="session_list"),
    path("accounts/sessions/<int:pk>/end/", two_factor_views.session_end, name="session_end"),
    path("clinic/two-factor/", two_factor_views.clinic_two_factor, name="clinic_two_factor"),
    path(
        "clinic/staff/<int:pk>/two-factor/reset/",
        two_factor_views.staff_reset_two_factor,
        name="staff_reset_two_factor",
    ),
    path("clinic/", views.admin_home, name="admin_home"),
    path("clinic/<int:pk>/logo.png", views.clinic_logo, name="clinic_logo"),
    path("clinic/staff/", views.staff_list, name="staff_list"),
    path("clinic/staff/new/", views.staff_add, name="staff_add"),
    path("clinic/staff/<int:pk>/", views.staff_edit, name="staff_edit"),
]
