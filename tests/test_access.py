"""One table-driven check over every patient-scoped URL (the table is tests/access.py).

The whole clinic is built once through the services (tests/builders.py); each row runs inside
a savepoint that is rolled back, so the owner's POST (publishing, signing, closing a plan)
leaves the next row the same records.
"""

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from rehab_clinic.moved_urls import moved_to
from tests.access import EXEMPT, PORTAL, ROWS, STAFF, Row, named_routes, unnamed_routes
from tests.builders import ClinicCast, clinic_with_patient

LOGIN = "/accounts/login/"


def test_every_named_route_has_a_row_or_a_reason() -> None:
    routes = named_routes()
    missing = sorted(set(routes) - set(ROWS) - set(EXEMPT))
    stale = sorted((set(ROWS) | set(EXEMPT)) - set(routes))

    assert not missing, f"Add these routes to tests/access.py (ROWS or EXEMPT): {missing}"
    assert not stale, f"These rows name no route any more: {stale}"
    assert not set(ROWS) & set(EXEMPT)


def test_every_portal_route_is_a_portal_row_and_every_portal_row_is_under_portal() -> None:
    routes = named_routes()
    for name, row in ROWS.items():
        assert (row.side == PORTAL) == routes[name].startswith("portal/"), name


def test_the_only_unnamed_routes_are_the_redirects_from_old_portal_paths() -> None:
    moved_module = moved_to("home").__module__
    others = [route for route, view in unnamed_routes() if view.__module__ != moved_module]
    assert others == []


def _client(user: Any = None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _asker(method: str, data: dict[str, Any]) -> Any:
    def ask(client: Client, url: str) -> Any:
        return client.get(url) if method == "get" else client.post(url, data)

    return ask


def _problems(name: str, row: Row, cast: ClinicCast, clients: dict[str, Client]) -> list[str]:
    url = reverse(name, kwargs=row.args(cast))
    other_clinic_staff = clients["other_therapist"]
    # A POST-only view answers GET with 405 before any lookup: ask it with POST.
    probe = clients["therapist" if row.side == STAFF else "patient"].get(url)
    method = "post" if probe.status_code == 405 else "get"
    ask = _asker(method, row.data(cast) if method == "post" else {})
    found: list[str] = []

    def expect(who: str, response: Any, status: int) -> None:
        if response.status_code != status:
            code = response.status_code
            found.append(f"{name} {method.upper()} {url} as {who}: {code}, not {status}")

    anonymous = ask(clients["anonymous"], url)
    expect("anonymous", anonymous, 302)
    if anonymous.status_code == 302 and not anonymous["Location"].startswith(LOGIN):
        found.append(f"{name} as anonymous: sent to {anonymous['Location']}, not the login")

    if row.side == STAFF:
        expect("another clinic's staff", ask(other_clinic_staff, url), 404)
        expect("another patient", ask(clients["second_patient"], url), row.other_patient)
        expect("the record's own patient", ask(clients["patient"], url), row.patient)
        owner = ask(clients["therapist"], url)
    else:
        expect("another clinic's staff", ask(other_clinic_staff, url), 403)
        expect("the clinic's therapist", ask(clients["therapist"], url), 403)
        other = ask(clients["second_patient"], url)
        if row.own:
            expect("another patient", other, 200)
            if cast.patient.first_name in other.content.decode():
                found.append(f"{name}: another patient's page shows {cast.patient.first_name}")
        else:
            expect("another patient of the clinic", other, 404)
        owner = ask(clients["patient"], url)
    expect("the owner", owner, row.status)
    if owner.status_code == 302 and owner["Location"].startswith(LOGIN):
        found.append(f"{name} as the owner: sent to the login page")
    return found


@pytest.mark.django_db
def test_every_patient_scoped_url_answers_each_kind_of_visitor_as_the_table_says() -> None:
    cast = clinic_with_patient()
    clients = {
        "anonymous": _client(),
        "therapist": _client(cast.therapist),
        "patient": _client(cast.patient_user),
        "second_patient": _client(cast.second_patient_user),
        "other_therapist": _client(cast.other_therapist),
    }
    problems: list[str] = []
    for name, row in ROWS.items():
        with transaction.atomic():
            problems += _problems(name, row, cast, clients)
            transaction.set_rollback(True)

    assert not problems, "\n".join(problems)
