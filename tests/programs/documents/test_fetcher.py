"""WeasyPrint reaches nothing but data: URIs and our static and media files (SECURITY.md)."""

import socket
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from weasyprint import HTML

from programs.documents.fetcher import FetchRefused, RestrictedFetcher
from programs.documents.pdf import render_program_pdf
from programs.documents.sheet import ExerciseCard, HomeModality
from tests.programs.documents.poppler import embedded_files, pdf_text
from tests.programs.documents.sample import sample_sheet

PAYLOAD_IMG = '<img src="file:///etc/passwd">'
PAYLOAD_LINK = '<link rel=attachment href="file:///etc/passwd">'


@pytest.fixture
def listener() -> Any:
    """A TCP port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.3)
    yield server
    server.close()


def _no_connection(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return True
    connection.close()
    return False


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/urandom",
        "file://evil.example/etc/passwd",
        "http://127.0.0.1:6379/",
        "https://example.org/logo.png",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:6379/_INFO",
        "jar:file:///tmp/x.zip!/a",
        "relative/path.png",
    ],
)
def test_fetcher_refuses_urls_outside_the_allow_list(url: str) -> None:
    fetcher = RestrictedFetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch(url)

    assert [(a.url, a.allowed) for a in fetcher.attempts] == [(url, False)]


def test_fetcher_refuses_traversal_out_of_the_static_folder() -> None:
    static = Path(settings.STATICFILES_DIRS[0])
    fetcher = RestrictedFetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch(f"{static.as_uri()}/../../../../etc/passwd")
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"{static.as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")


def test_fetcher_refuses_a_symlink_in_media_that_points_outside(settings: Any) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "innocent.png").symlink_to("/etc/passwd")
    fetcher = RestrictedFetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch((media / "innocent.png").as_uri())


def test_fetcher_serves_data_uris_and_static_files_but_no_media_path(settings: Any) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "logo.png").write_bytes(b"not really a png")
    stylesheet = Path(settings.STATICFILES_DIRS[0]) / "css" / "print.css"
    fetcher = RestrictedFetcher()

    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert b"@page" in fetcher.fetch(stylesheet.as_uri()).read()
    with pytest.raises(FetchRefused, match="outside the static folders"):
        fetcher.fetch((media / "logo.png").as_uri())  # uploads are read as media: only


def test_weasyprint_fed_raw_tags_fetches_nothing_outside_the_allow_list(
    listener: socket.socket, tmp_path: Path
) -> None:
    """The fetcher inside WeasyPrint itself, with the payloads as real markup, not escaped text."""
    port = listener.getsockname()[1]
    markup = (
        f"<html><head>{PAYLOAD_LINK}<style>body {{ background: url(http://127.0.0.1:{port}/) }}"
        f"</style><link rel=stylesheet href='http://127.0.0.1:{port}/x.css'></head><body>"
        f"{PAYLOAD_IMG}<img src='http://127.0.0.1:{port}/a.png'>"
        "<svg><image href='file:///etc/hostname' width='9' height='9'/></svg>"
        "<a rel=attachment href='file:///etc/passwd'>x</a><p>hello</p></body></html>"
    )
    fetcher = RestrictedFetcher()

    data = HTML(string=markup, base_url="file:///etc/", url_fetcher=fetcher).write_pdf()

    assert fetcher.attempts, "WeasyPrint should have asked the fetcher for the payload URLs"
    assert all(not attempt.allowed for attempt in fetcher.attempts)
    assert {a.url for a in fetcher.attempts} >= {
        "file:///etc/passwd",
        f"http://127.0.0.1:{port}/",
    }
    assert _no_connection(listener)
    assert "root:" not in pdf_text(data, tmp_path)
    assert "passwd" not in embedded_files(data, tmp_path)


def test_program_with_hostile_free_text_renders_without_fetching_or_leaking(
    listener: socket.socket, tmp_path: Path
) -> None:
    port = listener.getsockname()[1]
    css_payload = f"<style>* {{ background: url(http://127.0.0.1:{port}) }}</style>"
    hostile = f"{PAYLOAD_IMG} {PAYLOAD_LINK} {css_payload}"
    sheet = sample_sheet(
        2,
        patient_name=f"Maya {PAYLOAD_IMG}",
        condition=hostile,
        exercises=[
            ExerciseCard(
                name=f"Calf raise {PAYLOAD_LINK}",
                instructions=[hostile],
                cues=[css_payload],
                patient_note=hostile,
                illustration_svg=(
                    '<svg xmlns="http://www.w3.org/2000/svg" '
                    'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
                    '<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>'
                ),
            )
        ],
        modalities=[HomeModality(name="Ice", instructions=hostile, patient_note=hostile)],
    )
    fetcher = RestrictedFetcher()

    data = render_program_pdf(sheet, fetcher=fetcher)

    assert fetcher.refused == []
    assert all(a.url.startswith("data:") or a.url.startswith("file:///") for a in fetcher.attempts)
    assert _no_connection(listener)
    text = pdf_text(data, tmp_path)
    assert "root:x:0:0" not in text
    assert "passwd" not in embedded_files(data, tmp_path)
    # Autoescaping turned the markup into visible text: the patient sees it, nothing ran.
    assert "Calf raise" in text


def test_a_render_may_read_its_clinics_logo_but_not_another_patients_pdf_or_upload(
    episode: Any, therapist: Any, second_patient_user: Any, other_clinic: Any
) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from programs.documents.compose import sheet_from_version
    from programs.documents.fetcher import media_url
    from programs.documents.models import ProgramDocument
    from programs.documents.pdf import fetcher_for
    from programs.documents.rendering import generate_program_document
    from tests.builders import make_program
    from tests.factories import EpisodeFactory

    clinic = episode.patient.clinic
    clinic.logo.save("logo.png", ContentFile(b"\x89PNG our logo"))
    other_clinic.logo.save("logo.png", ContentFile(b"\x89PNG their logo"))
    photo = default_storage.save("exercise-photos/someone.png", ContentFile(b"\x89PNG photo"))
    other = make_program(EpisodeFactory(patient=second_patient_user.patient), therapist, items=1)
    theirs = ProgramDocument.objects.get(version__program=other)
    generate_program_document(theirs.pk, token="theirs")
    theirs.refresh_from_db()
    mine = make_program(episode, therapist, items=1).versions.get()
    fetcher = fetcher_for(sheet_from_version(mine))

    assert fetcher.fetch(media_url(clinic.logo.name)).read() == b"\x89PNG our logo"
    for name in (theirs.file.name, other_clinic.logo.name, photo):
        with pytest.raises(FetchRefused):
            fetcher.fetch(media_url(name))
    assert [a.allowed for a in fetcher.attempts] == [True, False, False, False]
    assert fetcher.refused[1].reason == "not an asset of this document"
