"""Two-factor sign-in in Chromium: enrolling a passkey (the DevTools virtual authenticator) and an
authenticator app, signing in with each, backup codes, the lockout after five wrong codes, and
the clinic admin's switch and reset. The live server runs on http://localhost (a secure context,
so passkeys work without TLS)."""

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from rehab_clinic.accounts import two_factor
from rehab_clinic.audit.models import AuditEvent
from tests.a11y import assert_no_serious_axe_violations
from tests.audit.test_no_secrets import assert_no_secret_in_trail, session_secrets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strict_clinic(clinic: Any) -> Any:
    clinic.require_two_factor = True
    clinic.save()
    return clinic


def _code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def _sign_out(page: Any) -> None:
    # Signing out is the last item of the account menu under the user's name.
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_role("heading", name="Sign in").wait_for()


def _type_code(page: Any, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()


def test_a_therapist_enrols_a_passkey_and_signs_in_with_it(
    page: Any, context: Any, live_server: Any, login: Any, strict_clinic: Any, therapist: Any
) -> None:
    assert live_server.url.startswith("http://localhost:")
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    login(page, therapist)
    page.get_by_text("Your clinic requires a second step").wait_for()
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_text("Passkey, added").wait_for(timeout=15000)
    stored = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]}
    )["credentials"]
    assert len(stored) == 1
    assert stored[0]["rpId"] == "localhost"
    assert two_factor.passkeys(therapist).count() == 1
    # Enrolling passed the second factor as the code step would have, and the trail says so.
    assert AuditEvent.objects.filter(
        user=therapist, action=AuditEvent.Action.LOGIN, detail="second factor passed (passkey)"
    ).exists()
    credential = WebAuthnCredential.objects.get(user=therapist)
    raw_id, public_key = bytes(credential.credential_id), bytes(credential.public_key)
    assert_no_secret_in_trail(
        [
            raw_id.hex(),
            base64.urlsafe_b64encode(raw_id).decode().rstrip("="),
            base64.b64encode(raw_id).decode().rstrip("="),
            public_key.hex(),
            base64.urlsafe_b64encode(public_key).decode().rstrip("="),
            credential.credential_id_sha256,
            *session_secrets(),
        ]
    )
    # The page now offers backup codes, and the caseload opens.
    page.get_by_text("You have no backup codes").wait_for()
    page.goto(f"{live_server.url}/patients/")
    page.get_by_role("heading", name="Caseload").wait_for()

    _sign_out(page)
    login(page, therapist)
    page.get_by_role("heading", name="Confirm your sign-in").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_role("heading", name="Today").wait_for(timeout=15000)
    stored = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]}
    )["credentials"]
    assert stored[0]["signCount"] >= 2


def test_a_therapist_enrols_an_app_with_a_first_code_and_signs_in_with_a_code(
    page: Any, live_server: Any, login: Any, strict_clinic: Any, therapist: Any
) -> None:
    login(page, therapist)
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_role("img", name="QR code to scan with your authenticator app").wait_for()
    assert_no_serious_axe_violations(page)
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Confirm and turn on").click()
    page.get_by_text("That code does not match").wait_for()
    page.get_by_label("Code").fill(_code_from_secret(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    page.get_by_role("heading", name="Your backup codes").wait_for()
    assert page.get_by_test_id("backup-code").count() == 10
    page.get_by_role("link", name="I have saved them").click()
    page.get_by_role("heading", name="Today").wait_for()

    _sign_out(page)
    # The code just used cannot be replayed: move the device on one step instead of waiting.
    device = TOTPDevice.objects.get(user=therapist)
    login(page, therapist)
    page.get_by_role("heading", name="Confirm your sign-in").wait_for()
    _type_code(page, f"{totp(device.bin_key, drift=1):06d}")
    page.get_by_role("heading", name="Today").wait_for()


def test_a_backup_code_works_once(
    page: Any, live_server: Any, login: Any, strict_clinic: Any, therapist: Any
) -> None:
    TOTPDevice.objects.create(user=therapist, name="app", confirmed=True)
    code = two_factor.new_backup_codes(user=therapist)[3]
    login(page, therapist)
    _type_code(page, code)
    page.get_by_role("heading", name="Today").wait_for()
    _sign_out(page)
    login(page, therapist)
    _type_code(page, code)
    page.get_by_text("That code is not right, or it was already used.").wait_for()
    assert page.get_by_label("Code").input_value() == code


def test_five_wrong_codes_lock_the_account_as_wrong_passwords_do(
    page: Any, live_server: Any, login: Any, settings: Any, strict_clinic: Any, therapist: Any
) -> None:
    settings.AXES_ENABLED = True
    TOTPDevice.objects.create(user=therapist, name="app", confirmed=True)
    login(page, therapist)
    for _ in range(4):
        _type_code(page, "000000")
        page.get_by_text("That code is not right").wait_for()
    _type_code(page, "000000")
    page.get_by_role("heading", name="Too many sign-in attempts").wait_for()
    # The right password is refused now, as after five wrong passwords.
    login(page, therapist)
    page.get_by_role("heading", name="Too many sign-in attempts").wait_for()


def test_an_admin_requires_two_factor_and_a_member_is_sent_to_enrolment(
    browser: Any,
    page: Any,
    live_server: Any,
    login: Any,
    clinic: Any,
    clinic_admin: Any,
    therapist: Any,
) -> None:
    login(page, clinic_admin)
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("Require two-factor sign-in for all staff").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Staff now confirm each sign-in with a second factor").wait_for()
    # The admin has no factor yet: they are the first sent to enrol.
    page.get_by_text("Your clinic requires a second step").wait_for()

    member = browser.new_context().new_page()
    login(member, therapist)
    member.get_by_text("Your clinic requires a second step").wait_for()
    member.goto(f"{live_server.url}/patients/")
    member.get_by_text("Your clinic requires a second step").wait_for()
    assert member.get_by_role("link", name="Caseload").count() == 0
    member.context.close()


def test_an_admin_resets_a_members_factor(
    page: Any,
    live_server: Any,
    login: Any,
    strict_clinic: Any,
    clinic_admin: Any,
    therapist: Any,
) -> None:
    admin_app = TOTPDevice.objects.create(user=clinic_admin, name="app", confirmed=True)
    TOTPDevice.objects.create(user=therapist, name="app", confirmed=True)
    login(page, clinic_admin)
    _type_code(page, f"{totp(admin_app.bin_key):06d}")
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name=f"Edit {therapist.full_name}").click()
    page.get_by_role("button", name=f"Reset {therapist.full_name}'s second factor").click()
    page.get_by_text("second factor was removed").wait_for()
    assert_no_serious_axe_violations(page)
    assert not two_factor.has_second_factor(therapist)
    _sign_out(page)
    login(page, therapist)
    page.get_by_text("Your clinic requires a second step").wait_for()


def test_a_patient_opts_in_on_a_phone_and_is_asked_for_a_code_next_time(
    page: Any, live_server: Any, login: Any, strict_clinic: Any, patient_user: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, patient_user)
    # Never forced, even where staff must use it.
    page.get_by_role("heading", name="Hello, Paula").wait_for()
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("button", name=patient_user.full_name).click()
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_text("It is optional for you.").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill(_code_from_secret(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    page.get_by_role("heading", name="Your backup codes").wait_for()
    assert_no_serious_axe_violations(page)
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("button", name="Show menu").click()
    _sign_out(page)
    device = TOTPDevice.objects.get(user=patient_user)
    login(page, patient_user)
    page.get_by_role("heading", name="Confirm your sign-in").wait_for()
    _type_code(page, f"{totp(device.bin_key, drift=1):06d}")
    page.get_by_role("heading", name="Hello, Paula").wait_for()


def test_a_therapist_sees_where_they_are_signed_in_and_signs_out_another_browser(
    browser: Any, page: Any, live_server: Any, login: Any, therapist: Any
) -> None:
    other = browser.new_context(
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac "
        "OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
        "Mobile/15E148 Safari/604.1"
    ).new_page()
    login(other, therapist)
    login(page, therapist)
    page.goto(f"{live_server.url}/accounts/sessions/")
    page.get_by_text("This device").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Sign out Safari on iPhone").click()
    page.get_by_text("That session was signed out.").wait_for()
    assert page.get_by_text("Safari on iPhone").count() == 0
    other.goto(f"{live_server.url}/patients/")
    other.get_by_role("heading", name="Sign in").wait_for()
    other.context.close()


def test_an_admin_confirms_with_the_password_before_editing_a_role(
    page: Any, context: Any, live_server: Any, login: Any, clinic_admin: Any, therapist: Any
) -> None:
    from importlib import import_module

    from django.conf import settings
    from django.utils import timezone

    # The project's own session store (cached in Redis in CI): a database-only write would be
    # hidden behind the cached copy.
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    login(page, clinic_admin)
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[two_factor.AUTH_CHECKED_KEY] = timezone.now().timestamp() - 16 * 60
    session.save()
    page.goto(f"{live_server.url}/clinic/staff/")
    page.get_by_role("link", name=f"Edit {therapist.full_name}").click()
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Your password, or a code from your authenticator app").fill("wrong")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("That is not your password or a current code.").wait_for()
    page.get_by_label("Your password, or a code from your authenticator app").fill("demo-pass-123")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name=f"Edit {therapist.full_name}").wait_for()
