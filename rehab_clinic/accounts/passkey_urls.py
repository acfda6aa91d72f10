"""django-otp-webauthn's endpoints under our own access policy (signed-in users only: passkeys
are a second factor here), with the names its template tags reverse."""

from django.urls import path
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
)

from rehab_clinic.accounts.decorators import any_role
from rehab_clinic.accounts.passkeys import PasskeyRegistrationView, PasskeySecondFactorView

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        any_role(require_POST(BeginCredentialRegistrationView.as_view())),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        any_role(require_POST(PasskeyRegistrationView.as_view())),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        any_role(require_POST(BeginCredentialAuthenticationView.as_view())),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        any_role(require_POST(PasskeySecondFactorView.as_view())),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        any_role(require_GET(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))),
        name="js-i18n-catalog",
    ),
]
