"""A GET never changes the clinic's data: every page the demo accounts reach, with SQL captured.

Only bookkeeping of the visit itself may be written: the session (Django's and our list of a
user's signed-in sessions), the audit trail of what was viewed, and django-axes' sign-in records.
"""

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.running.models import Protocol
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.services import create_clinic
from tests.html.test_valid_html import DEMO_ACCOUNTS, LOGIN, MAIN_PAGES, crawl, shape

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
VISIT_BOOKKEEPING = re.compile(
    r"^(django_session|accounts_usersession|audit_auditevent|audit_auditchainhead|axes_\w+)$"
)


def writes_in(queries: list[dict[str, Any]]) -> list[str]:
    """The tables written to, other than the visit's own bookkeeping."""
    tables = (match.group(1) for q in queries if (match := WRITE.match(q["sql"])))
    return sorted({table for table in tables if not VISIT_BOOKKEEPING.match(table)})


def test_the_write_filter_tells_data_from_bookkeeping() -> None:
    queries = [
        {"sql": 'INSERT INTO "programs_protocol" ("name") VALUES (%s)'},
        {"sql": 'UPDATE "django_session" SET "expire_date" = %s'},
        {"sql": 'DELETE FROM "assessments_notedraft" WHERE "id" = 1'},
        {"sql": 'INSERT INTO "audit_auditevent" ("action") VALUES (%s)'},
        {"sql": 'SELECT "programs_protocol"."id" FROM "programs_protocol"'},
    ]
    assert writes_in(queries) == ["assessments_notedraft", "programs_protocol"]


def test_no_page_the_demo_accounts_reach_writes_on_get() -> None:
    call_command("seed_demo", verbosity=0)
    reached: set[str] = set()
    written = {}
    for email in DEMO_ACCOUNTS:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        with CaptureQueriesContext(connection) as captured:
            pages = crawl(client, "/" if email else LOGIN)
        reached |= {shape(path) for path in pages}
        if tables := writes_in(captured.captured_queries):
            written[email or "signed out"] = tables
    assert not MAIN_PAGES - reached, f"the crawl missed {sorted(MAIN_PAGES - reached)}"
    assert not written, written


def test_a_new_clinic_has_its_protocols_before_anyone_opens_the_list(client: Any) -> None:
    clinic, _link = create_clinic(
        name="Northside Physio",
        timezone_name="Europe/London",
        distance_unit="km",
        admin_email="admin@northside.test",
        admin_name="Ada Admin",
        base_url="http://testserver",
        send_email=False,
    )
    assert Protocol.objects.filter(clinic=clinic).count() >= 3
    clinic.require_two_factor = False  # the page, not the second sign-in step, is under test
    clinic.save(update_fields=["require_two_factor"])
    admin = User.objects.create_user(
        "ada@northside.test", "x" * 20, full_name="Ada", clinic=clinic, role=User.Role.CLINIC_ADMIN
    )
    client.force_login(admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("programs:rtr_protocol_list"))
    assert response.status_code == 200
    assert writes_in(captured.captured_queries) == []
    assert Protocol.objects.filter(clinic=clinic).first().name in response.content.decode()
