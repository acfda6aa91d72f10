"""Each role lands on its own page and the foundation's pages render."""

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_has_an_email_and_a_password_field(client: Any) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'type="email"' in html
    assert 'name="email"' in html
    assert 'type="password"' in html


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("therapist", "patients:today"),
        ("patient_user", "portal:home"),
        ("clinic_admin", "accounts:admin_home"),
    ],
)
def test_each_role_lands_on_its_own_page(
    client: Any, request: Any, persona: str, landing: str
) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(landing)
    assert client.get(response.url).status_code == 200


def test_admin_pages_render(client: Any, clinic_admin: Any, therapist: Any) -> None:
    client.force_login(clinic_admin)
    for name in [
        "accounts:admin_home",
        "accounts:staff_list",
        "accounts:staff_add",
        "audit:report",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("accounts:staff_edit", args=[therapist.pk])).status_code == 200


def test_therapists_and_patients_cannot_open_admin_pages(
    client: Any, therapist: Any, patient_user: Any
) -> None:
    for user in (therapist, patient_user):
        client.force_login(user)
        for name in [
            "accounts:admin_home",
            "accounts:staff_list",
            "accounts:staff_add",
            "audit:report",
            "audit:export_csv",
        ]:
            assert client.get(reverse(name)).status_code == 403, (user.role, name)


def test_admin_cannot_edit_another_clinics_staff(
    client: Any, clinic_admin: Any, other_therapist: Any
) -> None:
    client.force_login(clinic_admin)
    url = reverse("accounts:staff_edit", args=[other_therapist.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"full_name": "x", "role": "clinic_admin", "is_active": ""}).status_code
        == 404
    )
