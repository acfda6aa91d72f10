"""Shared media in an S3-compatible bucket (moto's server, on a free localhost port): the program
PDF is stored in the bucket, the patient downloads it through the access-checked view, the
clinic logo read from the bucket is printed in it, and another patient gets 404.

moto is a test requirement, so this always runs (no skip): a missing package fails collection.
"""

import io
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from programs.documents.fetcher import FetchRefused, RestrictedFetcher, media_url
from rehab_clinic.celery import app as celery_app
from rehab_clinic.settings.storage import media_storage_from_env
from tests.builders import make_program

pytestmark = [pytest.mark.s3, pytest.mark.django_db]
BUCKET = "rehab-media-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(moto_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Media storage pointed at a fresh bucket, configured the way MEDIA_BUCKET does it."""
    # Dummy credentials for moto, so nothing can reach a real account or ~/.aws profile.
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_CONFIG_FILE": "/nonexistent",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # The storage exactly as settings build it from the MEDIA_* variables in production.
    for name, value in {
        "MEDIA_BUCKET": BUCKET,
        "MEDIA_ENDPOINT_URL": moto_endpoint,
        "MEDIA_REGION": "us-east-1",
        "MEDIA_ACCESS_KEY_ID": "testing",
        "MEDIA_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage_from_env()}
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def program(episode: Any, therapist: Any) -> Any:
    return make_program(episode, therapist, items=1)


def _keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _images(pdf: bytes, tmp_path: Path) -> list[tuple[int, int]]:
    """(width, height) of each real image in the PDF, from poppler's pdfimages."""
    tool = shutil.which("pdfimages")
    assert tool, "pdfimages is missing: apt-get install -y poppler-utils"
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(  # noqa: S603 - a fixed tool on a file this test wrote
        [tool, "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [row.split() for row in listing.splitlines()[2:]]
    return [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]


def test_the_pdf_lives_in_the_bucket_and_only_its_patient_downloads_it(
    bucket: Any,
    settings: Any,
    episode: Any,
    therapist: Any,
    patient_user: Any,
    second_patient_user: Any,
    client: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    logo = io.BytesIO()
    Image.new("RGB", (173, 59), "darkgreen").save(logo, format="PNG")
    clinic = episode.patient.clinic
    clinic.logo.save("logo.png", ContentFile(logo.getvalue()))
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # in-process, as embedded, even when CI has Redis
    try:
        with django_capture_on_commit_callbacks(execute=True):
            program = make_program(episode, therapist, items=2)  # publish: the PDF renders
    finally:
        celery_app.conf.task_always_eager = eager

    document = apps.get_model("programs", "ProgramDocument").objects.get(version__program=program)
    assert document.state == "ready", document.last_error
    keys = _keys(bucket)
    assert clinic.logo.name in keys
    assert document.file.name in keys
    assert document.file.name.endswith(".pdf")
    assert not (Path(settings.MEDIA_ROOT) / "program-documents").exists()  # nothing on disk

    client.force_login(patient_user)
    response = client.get(reverse("programs:portal_document_download", args=[document.pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    stored = bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert pdf == stored
    assert pdf.startswith(b"%PDF-")
    assert (173, 59) in _images(pdf, tmp_path)  # the logo, read from the bucket

    client.force_login(second_patient_user)
    response = client.get(reverse("programs:portal_document_download", args=[document.pk]))
    assert response.status_code == 404


def test_the_logo_view_reads_from_the_bucket_for_the_clinics_own_users(
    bucket: Any, clinic: Any, therapist: Any, other_therapist: Any, client: Any
) -> None:
    clinic.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\nnot-really"))
    client.force_login(therapist)
    response = client.get(reverse("accounts:clinic_logo", args=[clinic.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b"not-really")
    client.force_login(other_therapist)  # another clinic's staff
    assert client.get(reverse("accounts:clinic_logo", args=[clinic.pk])).status_code == 404


def test_the_pdf_fetcher_reads_only_logos_and_photos_from_storage(bucket: Any) -> None:
    default_storage.save("clinic-logos/a.png", ContentFile(b"logo-bytes"))
    name = default_storage.save("program-documents/other.pdf", ContentFile(b"%PDF-secret"))
    fetcher = RestrictedFetcher()

    assert fetcher.fetch(media_url("clinic-logos/a.png")).read() == b"logo-bytes"
    for url in (
        media_url(name),
        "media:clinic-logos/../" + name,
        "media:clinic-logos/%2e%2e/" + name,
        "media:clinic-logos/missing.png",
        "media:/etc/passwd",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_a_logo_replaced_under_the_same_name_prints_the_new_one(
    bucket: Any, program: Any, tmp_path: Path
) -> None:
    from programs.documents.compose import sheet_from_version
    from programs.documents.pdf import render_program

    clinic = program.episode.patient.clinic
    printed = []
    for size in ((173, 59), (91, 33)):
        logo = io.BytesIO()
        Image.new("RGB", size, "darkgreen").save(logo, format="PNG")
        if clinic.logo:
            clinic.logo.delete(save=False)
        clinic.logo.save("logo.png", ContentFile(logo.getvalue()))
        assert clinic.logo.name == "clinic-logos/logo.png"  # the same name both times
        sheet = sheet_from_version(program.versions.get())
        printed.append(_images(render_program(sheet).data, tmp_path))
    assert (173, 59) in printed[0]
    assert (91, 33) in printed[1]
    assert (173, 59) not in printed[1]
