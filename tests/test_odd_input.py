"""Odd input answers with a message or a 400, never a server error."""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NUL_GUARD = "rehab_clinic.accounts.middleware.RefuseNulBytesMiddleware"


@pytest.fixture
def without_nul_guard(settings: Any) -> None:
    """The views' own validation, with the middleware's first line of defence taken away."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != NUL_GUARD]


@pytest.mark.parametrize("url_name", ["patients:caseload", "exercises:list", "audit:report"])
def test_a_nul_byte_in_the_query_string_is_a_bad_request(
    client: Any, clinic_admin: Any, therapist: Any, url_name: str
) -> None:
    client.force_login(clinic_admin if url_name == "audit:report" else therapist)
    response = client.get(reverse(url_name), {"q": "ann\x00", "start": "2026-01-01\x00"})
    assert response.status_code == 400


def test_the_caseload_search_field_refuses_a_nul_byte_itself(
    client: Any, therapist: Any, patient: Any, without_nul_guard: None
) -> None:
    client.force_login(therapist)
    response = client.get(reverse("patients:caseload"), {"q": "Pau\x00la"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Null characters are not allowed." in html
    assert patient.last_name in html  # the search is dropped, the caseload still shows


def test_the_library_filters_refuse_a_nul_byte_themselves(
    client: Any, therapist: Any, without_nul_guard: None
) -> None:
    from exercises.forms import LibraryFilterForm

    form = LibraryFilterForm({"q": "calf\x00", "category": "core"})
    assert not form.is_valid()
    assert form.errors["q"] == ["Null characters are not allowed."]
    client.force_login(therapist)
    assert client.get(reverse("exercises:list"), {"q": "calf\x00raise"}).status_code == 200


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "9999-12-31", "Enter a date before 2200."),
        ("0001-01-01", "", "Enter a date from 2000 onwards."),
    ],
)
def test_the_audit_report_explains_dates_out_of_range(
    client: Any, clinic_admin: Any, start: str, end: str, message: str
) -> None:
    client.force_login(clinic_admin)
    response = client.get(reverse("audit:report"), {"start": start, "end": end})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_huge_episode_id_in_a_link_preselects_nothing(client: Any, therapist: Any) -> None:
    client.force_login(therapist)
    for value in ["9" * 5000, "²", "-1", "٣"]:
        response = client.get(reverse("programs:rtr_gait_create"), {"episode": value})
        assert response.status_code == 200


@pytest.mark.parametrize("target", ["0001-01-01", "9999-12-31", "home", "١٢٣", "//evil.example/"])
def test_a_next_that_is_not_a_path_on_this_site_lands_home(
    client: Any, therapist: Any, target: str
) -> None:
    """redirect() reads a bare word as a view name: a `next` such as a date used to raise
    NoReverseMatch (a 500) after the password or the code step."""
    client.force_login(therapist)
    response = client.get(reverse("accounts:two_factor_verify"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    client.logout()
    response = client.post(
        reverse("accounts:login") + "?" + urlencode({"next": target}),
        {"email": therapist.email, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] in {"/", reverse("home")}
