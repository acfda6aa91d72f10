"""In Chromium: the patient, on a phone, prepares their record, watches its progress and
downloads the ZIP; a therapist does the same from the patient's chart. The page passes axe."""

import zipfile
from typing import Any

import pytest

from rehab_clinic.records import export_services
from rehab_clinic.records.models import RecordExport
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import intake

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
WORKER = "browser-worker"


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the export queued while the page shows it: the test plays the worker below."""
    monkeypatch.setattr("rehab_clinic.records.services.outbox.enqueue", lambda *args: None)


def _work_part_way(export: RecordExport) -> None:
    """The worker has taken the export and is making the PDF (step 3 of 5)."""
    assert export_services.claim_export(export.pk, token=WORKER)
    export_services._step(export.pk, WORKER, 3)


def _download(page: Any, name: str) -> zipfile.ZipFile:
    link = page.get_by_role("link", name=name)
    link.wait_for(timeout=15000)  # the fragment polls every 2 s
    with page.expect_download() as download:
        link.click()
    return zipfile.ZipFile(download.value.path())


def test_the_patient_prepares_their_record_on_a_phone_sees_progress_and_downloads_it(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any,
    patient_user: Any, no_worker: None,
) -> None:  # fmt: skip
    intake(episode, therapist, signed=True)
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/record/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Prepare my record").click()
    page.get_by_text("Waiting to start").wait_for()
    export = RecordExport.objects.get(patient=patient_user.patient)
    _work_part_way(export)
    page.get_by_text("Step 3 of 5: Making the PDF").wait_for(timeout=8000)
    assert_no_serious_axe_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"

    export_services.make_export(export.pk, token=WORKER)
    archive = _download(page, "Download the record")
    assert sorted(archive.namelist()) == ["README.txt", "fhir-bundle.json", "record.pdf"]
    assert archive.read("record.pdf")[:5] == b"%PDF-"
    assert_no_serious_axe_violations(page)


def test_a_therapist_exports_the_record_from_the_chart(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any, no_worker: None
) -> None:
    intake(episode, therapist, signed=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/{episode.patient.pk}/")

    page.get_by_role("button", name="Prepare export").click()
    page.get_by_text("Waiting to start").wait_for()
    export = RecordExport.objects.get(kind=RecordExport.Kind.CLINIC)
    _work_part_way(export)
    page.get_by_text("Step 3 of 5").wait_for(timeout=8000)
    assert_no_serious_axe_violations(page)

    export_services.make_export(export.pk, token=WORKER)
    archive = _download(page, "Download the record")
    assert "fhir-bundle.json" in archive.namelist()


def test_signing_out_in_another_tab_sends_the_chart_to_sign_in_not_into_the_panel(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any, no_worker: None
) -> None:
    """Found walking the export: the panel polls every 2 s; once the session ended in a second
    tab, the poll was redirected to the login page and htmx swapped that whole page (its header,
    a second main and h1) into the chart."""
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, therapist)
    chart = f"{live_server.url}/patients/{episode.patient.pk}/"
    page.goto(chart)
    page.get_by_role("button", name="Prepare export").click()
    page.get_by_text("Waiting to start").wait_for()
    other_tab = page.context.new_page()
    other_tab.goto(chart)
    other_tab.get_by_role("button", name=therapist.full_name).click()
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.wait_for_url("**/accounts/login/**")
    page.wait_for_url(f"**/accounts/login/?next=/patients/{episode.patient.pk}/", timeout=8000)
    assert page.locator("main").count() == 1
    assert page.locator("h1").all_inner_texts() == ["Sign in"]


def test_a_stale_check_asks_again_before_the_zip_leaves_then_it_downloads(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any, no_worker: None
) -> None:
    """The download link past the 15 minutes: "Confirm it is you" as a page (not saved as the
    file), then the ZIP."""
    from django.conf import settings  # local import: the session engine of this run
    from django.utils import timezone  # local import: as above
    from django.utils.module_loading import import_string  # local import: as above

    from rehab_clinic.accounts.two_factor import AUTH_CHECKED_KEY  # local import: as above
    from rehab_clinic.records.services import request_export  # local import: as above
    from tests.factories import TEST_PASSWORD  # local import: as above

    intake(episode, therapist, signed=True)
    export = request_export(patient=episode.patient, by=therapist)
    assert export_services.claim_export(export.pk, token=WORKER)
    export_services.make_export(export.pk, token=WORKER)
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/{episode.patient.pk}/")
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_string(settings.SESSION_ENGINE + ".SessionStore")(cookie["value"])
    session[AUTH_CHECKED_KEY] = timezone.now().timestamp() - 16 * 60
    session.save()

    page.get_by_role("link", name="Download the record").click()
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    page.get_by_label("Your password, or a code").fill(TEST_PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    archive = zipfile.ZipFile(download.value.path())
    assert "record.pdf" in archive.namelist()
    # The confirm page does not stay on screen: a page says the download started and leads
    # back to the chart the link was on.
    page.get_by_role("heading", name="Confirmed").wait_for()
    page.get_by_role("link", name="Back to the page you were on").click()
    page.get_by_role("heading", name="Export record").wait_for()
