"""Sensitive actions ask for the password or a code again after REAUTH_MAX_AGE (15 minutes)."""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Note
from rehab_clinic.accounts import two_factor
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from tests.builders import intake
from tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db

CONFIRM = "/accounts/confirm/"


def _age_last_check(client: Any, minutes: int) -> None:
    session = client.session
    session[two_factor.AUTH_CHECKED_KEY] = timezone.now().timestamp() - minutes * 60
    session.save()


def _confirm(client: Any, secret: str, next_url: str) -> Any:
    return client.post(CONFIRM, {"secret": secret, "next": next_url})


def test_the_default_window_is_fifteen_minutes(settings: Any) -> None:
    assert settings.REAUTH_MAX_AGE.total_seconds() == 15 * 60


def test_signing_a_note_asks_again_after_fifteen_minutes(
    client: Any, therapist: Any, episode: Any
) -> None:
    note = intake(episode, therapist)
    client.force_login(therapist)
    detail = reverse("assessments:note_detail", args=[note.pk])
    sign = reverse("assessments:note_sign", args=[note.pk])
    _age_last_check(client, 16)
    response = client.post(sign, HTTP_REFERER=f"http://testserver{detail}")
    assert response.status_code == 302
    assert response.url.startswith(CONFIRM)
    assert not Note.objects.get(pk=note.pk).is_signed
    back = _confirm(client, TEST_PASSWORD, f"http://testserver{detail}")
    assert back.url == detail  # the page's path: a redirect that cannot leave the site
    client.post(sign)
    assert Note.objects.get(pk=note.pk).is_signed


def test_signing_within_fifteen_minutes_needs_nothing_more(
    client: Any, therapist: Any, episode: Any
) -> None:
    note = intake(episode, therapist)
    client.force_login(therapist)
    _age_last_check(client, 14)
    client.post(reverse("assessments:note_sign", args=[note.pk]))
    assert Note.objects.get(pk=note.pk).is_signed


def test_exporting_the_audit_report_asks_again(client: Any, clinic_admin: Any) -> None:
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    export = reverse("audit:export_csv")
    response = client.get(export)
    assert response.url == f"{CONFIRM}?next=%2Faudit%2Fexport.csv"
    assert _confirm(client, TEST_PASSWORD, export).url == export
    assert client.get(export)["Content-Type"] == "text/csv"


def test_a_download_after_confirming_starts_from_a_page_that_leads_back(
    client: Any, clinic_admin: Any
) -> None:
    """Sent straight to the CSV after "Confirm it is you", the browser saved the file and stayed
    on the confirm page: now a page starts the download and leads back to the report."""
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    report = f"{reverse('audit:report')}?action=read"
    export = reverse("audit:export_csv")
    asked = client.get(export, HTTP_REFERER=f"http://testserver{report}")
    assert asked.url == f"{CONFIRM}?{urlencode({'next': export, 'back': report})}"
    form = client.get(asked.url).content.decode()
    assert 'name="back"' in form
    confirmed = client.post(CONFIRM, {"secret": TEST_PASSWORD, "next": export, "back": report})
    page = confirmed.content.decode()
    assert confirmed.status_code == 200
    assert f'<meta http-equiv="refresh" content="0;url={export}">' in page
    assert f'href="{report.replace("&", "&amp;")}"' in page
    assert client.get(export)["Content-Type"] == "text/csv"
    elsewhere = client.post(
        CONFIRM, {"secret": TEST_PASSWORD, "next": export, "back": "https://evil.example/"}
    )
    assert elsewhere.status_code == 302  # no page leading off the site: straight to the file
    assert elsewhere.url == export


def test_exporting_a_patients_fhir_record_asks_again_and_comes_back_to_it(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    _age_last_check(client, 16)
    export = reverse("fhir:patient_everything", args=[patient.pk])
    response = client.get(export)
    assert response.url == f"{CONFIRM}?{urlencode({'next': export})}"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    # The dollar sign of `$everything` survives the round trip through the confirm page.
    assert _confirm(client, TEST_PASSWORD, export).url == export
    assert client.get(export)["Content-Type"] == "application/fhir+json"


def test_another_clinics_fhir_record_is_404_before_any_password_is_asked(
    client: Any, therapist: Any, other_clinic: Any
) -> None:
    """Found walking the export in Chromium: an id of another clinic's patient typed into the
    FHIR URL with a stale check led to "Confirm it is you", and only after the password to 404.
    The record export answers 404 first; the FHIR export now does too."""
    client.force_login(therapist)
    _age_last_check(client, 16)
    stranger = PatientFactory(clinic=other_clinic)
    response = client.get(reverse("fhir:patient_everything", args=[stranger.pk]))
    assert response.status_code == 404


def test_exporting_a_patients_record_asks_again_after_the_404_check(
    client: Any, therapist: Any, patient: Any, other_clinic: Any
) -> None:
    from rehab_clinic.records.models import RecordExport  # local import: the records app's model

    client.force_login(therapist)
    _age_last_check(client, 16)
    chart = reverse("patients:chart", args=[patient.pk])
    prepare = reverse("records:prepare", args=[patient.pk])
    response = client.post(prepare, HTTP_REFERER="http://testserver" + chart)
    assert response.url == f"{CONFIRM}?{urlencode({'next': chart})}"
    assert not RecordExport.objects.exists()
    stranger = PatientFactory(clinic=other_clinic)
    assert client.post(reverse("records:prepare", args=[stranger.pk])).status_code == 404
    _confirm(client, TEST_PASSWORD, chart)
    client.post(prepare)
    assert RecordExport.objects.filter(patient=patient).count() == 1


def test_downloading_a_prepared_record_asks_again_after_the_404_check(
    client: Any, therapist: Any, clinic_admin: Any, patient: Any, episode: Any, other_therapist: Any
) -> None:
    """Found walking the export: preparing asked again, but the ZIP it made (the same FHIR
    bundle the FHIR export asks again for, and the whole record as a PDF) stayed one click from
    the chart for 7 days for any staff session, however long since its last check."""
    from rehab_clinic.records.models import RecordExport  # local import: the records app's model
    from rehab_clinic.records.services import request_export  # local import: as above
    from tests.records.history import run_export  # local import: as above

    intake(episode, therapist, signed=True)
    export = run_export(request_export(patient=patient, by=therapist))
    assert export.state == RecordExport.State.READY
    download = reverse("records:download", args=[export.pk])
    client.force_login(other_therapist)
    _age_last_check(client, 16)
    assert client.get(download).status_code == 404
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    response = client.get(download)
    assert response.url == f"{CONFIRM}?{urlencode({'next': download})}"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()
    assert _confirm(client, TEST_PASSWORD, download).url == download
    assert client.get(download)["Content-Type"] == "application/zip"


def test_exporting_the_outcomes_report_asks_again_and_keeps_its_filters(
    client: Any, clinic: Any, clinic_admin: Any
) -> None:
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    today = clinic.today().isoformat()
    export = (
        reverse("assessments:outcomes_report_csv") + "?" + urlencode({"start": today, "end": today})
    )
    response = client.get(export)
    assert response.url == f"{CONFIRM}?{urlencode({'next': export})}"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    assert _confirm(client, TEST_PASSWORD, export).url == export
    assert client.get(export)["Content-Type"].startswith("text/csv")


def test_changing_a_role_asks_again(client: Any, clinic_admin: Any, therapist: Any) -> None:
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    url = reverse("accounts:staff_edit", args=[therapist.pk])
    data = {"full_name": therapist.full_name, "role": "clinic_admin", "is_active": "on"}
    assert client.post(url, data).url.startswith(CONFIRM)
    therapist.refresh_from_db()
    assert therapist.role == User.Role.THERAPIST
    _confirm(client, TEST_PASSWORD, url)
    client.post(url, data)
    therapist.refresh_from_db()
    assert therapist.role == User.Role.CLINIC_ADMIN


def test_resetting_a_factor_asks_again(client: Any, clinic_admin: Any, therapist: Any) -> None:
    TOTPDevice.objects.create(user=therapist, name="app", confirmed=True)
    admin_app = TOTPDevice.objects.create(user=clinic_admin, name="app", confirmed=True)
    client.force_login(clinic_admin)
    session = client.session
    session["otp_device_id"] = admin_app.persistent_id
    session.save()
    _age_last_check(client, 16)
    url = reverse("accounts:staff_reset_two_factor", args=[therapist.pk])
    assert client.post(url).url.startswith(CONFIRM)
    assert two_factor.has_second_factor(therapist)
    # A code from the app confirms as well as the password does.
    code = f"{totp(admin_app.bin_key):06d}"
    assert _confirm(client, code, "/clinic/staff/").url == "/clinic/staff/"
    client.post(url)
    assert not two_factor.has_second_factor(therapist)


def test_a_wrong_password_on_the_confirm_page_is_explained_and_counts_as_a_failure(
    client: Any, settings: Any, clinic_admin: Any
) -> None:
    settings.AXES_ENABLED = True
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    page = _confirm(client, "not-it", "/audit/export.csv").content.decode()
    assert "That is not your password or a current code." in page
    for _ in range(4):
        response = _confirm(client, "not-it", "/audit/export.csv")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The failure log keeps the form data, but not what was typed as a password.
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=clinic_admin.email)
    assert "not-it" not in attempt.post_data


def test_the_confirm_page_refuses_an_open_redirect(client: Any, clinic_admin: Any) -> None:
    client.force_login(clinic_admin)
    assert _confirm(client, TEST_PASSWORD, "https://evil.example/").url == "/"


def test_switching_the_clinic_requirement_asks_again(
    client: Any, clinic: Any, clinic_admin: Any
) -> None:
    client.force_login(clinic_admin)
    _age_last_check(client, 16)
    url = reverse("accounts:clinic_two_factor")
    assert client.post(url, {"require_two_factor": "on"}).url.startswith(CONFIRM)
    clinic.refresh_from_db()
    assert not clinic.require_two_factor
