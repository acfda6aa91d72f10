"""`manage.py create_clinic`: a clinic, a single-use link for its first admin, audited, no
duplicates."""

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from rehab_clinic.accounts.models import Clinic, Invitation, User
from rehab_clinic.audit.models import AuditEvent

# The emails are sent by a Celery task (the outbox): run in-process, as the embedded default does.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

ARGS = ["Lakeside Stride Clinic", "--timezone", "America/Denver", "--unit", "mi"]


def _create(*extra: str) -> str:
    out = StringIO()
    call_command("create_clinic", *ARGS, *extra, stdout=out)
    return out.getvalue()


def test_create_clinic_prints_a_single_use_link_for_the_first_admin(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        output = _create("--admin-email", "Owner@Lakeside.example", "--admin-name", "Lee Owner")

    clinic = Clinic.objects.get(name="Lakeside Stride Clinic")
    assert (clinic.timezone, clinic.distance_unit) == ("America/Denver", "mi")
    invitation = Invitation.objects.get(clinic=clinic)
    assert (invitation.email, invitation.role, invitation.full_name) == (
        "owner@lakeside.example",
        User.Role.CLINIC_ADMIN,
        "Lee Owner",
    )
    link = re.search(r"http://testserver(/accounts/invite/\S+/)", output)
    assert link, output
    assert Invitation.find_usable(link.group(1).rstrip("/").rsplit("/", 1)[-1]) == invitation
    # Email is configured (locmem in tests), so the same link went out by email too.
    assert mail.outbox[-1].to == ["owner@lakeside.example"]
    assert link.group(0) in mail.outbox[-1].body

    password = "Tempo-Run-Thursday-9"
    form = {"password1": password, "password2": password}
    assert client.post(link.group(1), form).status_code in (200, 302)
    admin = User.objects.get(email="owner@lakeside.example")
    assert (admin.clinic, admin.role) == (clinic, User.Role.CLINIC_ADMIN)
    client.logout()
    client.post(link.group(1), {**form, "password1": "x" + password, "password2": "x" + password})
    assert User.objects.filter(email="owner@lakeside.example").count() == 1
    invitation.refresh_from_db()
    assert invitation.used_at is not None


def test_create_clinic_is_audited_without_an_acting_user() -> None:
    _create("--admin-email", "owner@lakeside.example")
    clinic = Clinic.objects.get(name="Lakeside Stride Clinic")
    events = AuditEvent.objects.filter(clinic=clinic, action=AuditEvent.Action.CREATE)
    assert sorted(e.object_type for e in events) == ["accounts.Clinic", "accounts.Invitation"]
    assert all("create_clinic" in e.detail and e.user is None for e in events)
    call_command("verify_audit", stdout=StringIO())  # the chain stays intact


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--admin-email", "someone@else.example"], "A clinic named 'Lakeside Stride Clinic'"),
        (["--admin-email", "owner@lakeside.example"], "already"),
    ],
)
def test_create_clinic_refuses_duplicates_and_creates_nothing(
    extra: list[str], message: str
) -> None:
    _create("--admin-email", "owner@lakeside.example")
    before = (Clinic.objects.count(), Invitation.objects.count(), AuditEvent.objects.count())
    args = list(ARGS)
    if extra[1] == "owner@lakeside.example":
        args[0] = "A Different Clinic"
    with pytest.raises(CommandError, match=message):
        call_command("create_clinic", *args, *extra, stdout=StringIO())
    after = (Clinic.objects.count(), Invitation.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_create_clinic_names_a_bad_time_zone_and_saves_nothing() -> None:
    with pytest.raises(CommandError, match="timezone: 'Mars/Olympus' is not a time zone"):
        call_command(
            "create_clinic",
            "Red Planet PT",
            "--timezone",
            "Mars/Olympus",
            "--unit",
            "km",
            "--admin-email",
            "a@b.example",
            stdout=StringIO(),
        )
    assert not Clinic.objects.filter(name="Red Planet PT").exists()
