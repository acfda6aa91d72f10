"""The one rule for every address the app sends someone on to (`page_on_this_site`), and the
places that follow it: signing in, "Confirm it is you", and signing in again after a timeout."""

from typing import Any

import pytest
from django.test import RequestFactory

from rehab_clinic.accounts.same_site import page_on_this_site
from tests.factories import TEST_PASSWORD

ON_THIS_SITE = [
    ("/patients/", "/patients/"),
    ("/patients/?q=ann&page=2", "/patients/?q=ann&page=2"),
    ("/patients/#flags", "/patients/#flags"),
    ("http://testserver/audit/?action=read", "/audit/?action=read"),
    ("http://testserver", "/"),
]
ELSEWHERE = [
    "",
    "2026-12-03",  # a bare word: neither a path nor an address
    "patients:caseload",
    "https://evil.example/",
    "http://testserver.evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "http://testserver//evil.example/",  # this host, but its path names another
    "http://testserver/\\evil.example/",
    "javascript:alert(1)",
    "ftp://testserver/file",
]


@pytest.mark.parametrize(("url", "page"), ON_THIS_SITE)
def test_a_page_of_this_site_is_followed_as_its_path(url: str, page: str) -> None:
    assert page_on_this_site(RequestFactory().get("/"), url) == page


@pytest.mark.parametrize("url", ELSEWHERE)
def test_anything_else_is_not_followed(url: str) -> None:
    assert page_on_this_site(RequestFactory().get("/"), url) == ""


def test_over_https_only_an_https_address_of_this_site_counts() -> None:
    secure = RequestFactory().get("/", secure=True)
    assert page_on_this_site(secure, "https://testserver/patients/") == "/patients/"
    assert page_on_this_site(secure, "http://testserver/patients/") == ""
    assert page_on_this_site(secure, "/patients/") == "/patients/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ELSEWHERE[1:])
def test_signing_in_never_follows_a_next_off_the_site(
    client: Any, therapist: Any, next_url: str
) -> None:
    response = client.post(
        "/accounts/login/",
        {"email": therapist.email, "password": TEST_PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.django_db
def test_signing_in_follows_an_address_of_this_site_as_its_path(
    client: Any, therapist: Any
) -> None:
    response = client.post(
        "/accounts/login/",
        {
            "email": therapist.email,
            "password": TEST_PASSWORD,
            "next": "http://testserver/patients/?q=ann",
        },
    )
    assert response.url == "/patients/?q=ann"
