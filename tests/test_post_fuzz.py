"""Hostile form posts: every URL pattern, as each role allowed on it, gets its form fields filled
with NUL bytes, 1 MB strings, years 0001 and 9999, 10^12 and unicode digits. No answer is a
server error, and a refused post saves nothing (every model's rows counted before and after).

The routes are found by walking the URL resolver and the fields by reading the forms each page
renders, so a new route or field is fuzzed without a change here. NUL bytes are sent in the form
body, not only in the query string, so this holds whatever a middleware does with query strings.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.forms import BaseForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Note, OutcomeAssignment
from assessments.services import start_note
from exercises.models import Exercise, Modality
from patients.models import Episode, Patient
from programs.documents.models import ProgramDocument
from programs.home.models import HomeProgram, ProgramTemplate, ProgramVersion
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.log_models import StageChange
from programs.running.models import Protocol, ReturnToRunPlan
from rehab_clinic.accounts.models import User

pytestmark = pytest.mark.django_db

MEGABYTE = "é" * 500_000  # 1 MB once encoded
HOSTILE = {
    "nul": "ab\x00cd",
    "year 0001": "0001-01-01",
    "year 9999": "9999-12-31",
    "10^12": "1000000000000",
    "unicode digits": "\u0661\u0662\uff13\U0001d7d7",  # Arabic-Indic, fullwidth, mathematical
    "1 MB": MEGABYTE,
}
# Rows written on purpose whatever the outcome: the audit trail, sessions, sign-in throttling.
NOT_COUNTED = {"audit", "sessions", "axes", "contenttypes", "auth"}
# Routes that end the fuzzing client's own session, or need a signed-out visitor.
SKIPPED_ROUTES = {"accounts/logout/"}
ROLE_POLICIES = {
    "patient": {"patient", "authenticated"},
    "therapist": {"therapist", "staff", "authenticated"},
    "clinic_admin": {"clinic_admin", "staff", "authenticated"},
}
# Posts that end what the other routes need (an archive, a sign) go last.
LAST = re.compile(r"archive|discharge|close|remove|delete|sign|release|password")


class _FormFields(HTMLParser):
    """The names of the fields inside every POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.text_names: list[str] = []
        self._in_post_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._in_post_form = (values.get("method") or "").lower() == "post"
        elif self._in_post_form and tag in {"input", "select", "textarea"}:
            name = values.get("name")
            if name and name != "csrfmiddlewaretoken" and values.get("type") != "file":
                self.names.append(name)
                if tag == "textarea" or values.get("type") in {None, "text", "email", "url"}:
                    self.text_names.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False


def _field_names(html: str) -> list[str]:
    """The page's POST form fields, text fields first (they get the 1 MB string)."""
    parser = _FormFields()
    parser.feed(html)
    return list(dict.fromkeys(parser.text_names + parser.names))


def _routes() -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((prefix + str(entry.pattern), f"{namespace}{entry.name}", entry))

    walk(get_resolver().url_patterns, "", "")
    return sorted(found, key=lambda r: (bool(LAST.search(r[0])), r[0]))


class _Objects:
    """The demo clinic's records, one of each kind, for the routes' primary keys."""

    def __init__(self) -> None:
        self.patient_user = User.objects.get(email="patient@demo.clinic")
        self.therapist = User.objects.get(email="therapist@demo.clinic")
        self.admin = User.objects.get(email="admin@demo.clinic")
        self.patient = Patient.objects.get(user=self.patient_user)
        self.episode = Episode.objects.filter(patient=self.patient).active().first()
        assert self.episode is not None
        signed = Note.objects.filter(episode__patient=self.patient).released_to_patient()
        self.signed_note = signed.first()
        self.draft_note = start_note(episode=self.episode, kind="daily", by=self.therapist)
        self.assignment = OutcomeAssignment.objects.create(
            episode=self.episode, instrument="lefs", assigned_by=self.therapist
        )
        self.program = HomeProgram.objects.filter(episode__patient=self.patient).first()
        self.version = ProgramVersion.objects.filter(program=self.program).first()
        self.plan = ReturnToRunPlan.objects.filter(episode=self.episode).active().first()
        self.staff = User.objects.create_user(
            email="fuzz.staff@example.test",
            password="not-used-here-1234",
            clinic=self.admin.clinic,
            role=User.Role.THERAPIST,
            full_name="Fuzz Staff",
        )
        clinic = self.patient.clinic
        self.by_prefix: list[tuple[str, Any]] = [
            ("portal/measures/", self.assignment),
            ("portal/summaries/", self.signed_note),
            ("assessments/notes/<int:pk>/addenda/", self.signed_note),
            ("assessments/notes/<int:pk>/release/", self.signed_note),
            ("assessments/notes/", self.draft_note),
            ("patients/episodes/", self.episode),
            ("patients/", self.patient),
            ("library/modalities/", Modality.objects.filter(clinic=clinic).first()),
            ("library/", Exercise.objects.filter(clinic=clinic).first()),
            ("portal/run/gait/", GaitRetrainingPrescription.objects.first()),
            ("portal/run/", self.plan),
            ("portal/versions/", self.version),
            ("portal/documents/", ProgramDocument.objects.filter(version=self.version).first()),
            ("programs/documents/", ProgramDocument.objects.filter(version=self.version).first()),
            ("programs/templates/", ProgramTemplate.objects.filter(clinic=clinic).first()),
            ("programs/rtr/protocols/", Protocol.objects.filter(clinic=clinic).first()),
            ("programs/rtr/gait/", GaitRetrainingPrescription.objects.first()),
            ("programs/rtr/", self.plan),
            ("programs/", self.program),
            ("clinic/staff/", self.staff),
        ]

    def kwargs(self, route: str, pattern: URLPattern) -> dict[str, Any]:
        names = pattern.pattern.regex.groupindex.keys()
        values: dict[str, Any] = {}
        for name in names:
            values[name] = self._value(route, name)
        return values

    def _value(self, route: str, name: str) -> Any:
        simple: dict[str, Any] = {
            "kind": "daily",
            "instrument": "lefs",
            "number": self.version.number if self.version else 1,
            "episode_id": self.episode.pk if self.episode else 0,
            "episode_pk": self.episode.pk if self.episode else 0,
            "version_pk": self.version.pk if self.version else 0,
            "item_pk": _pk(self.program.items.first() if self.program else None),
            "entry_pk": _pk(self.program.modalities.first() if self.program else None),
            "change_pk": _pk(StageChange.objects.filter(plan=self.plan).first()),
            "photo_pk": 0,
            "size": "thumb",
            "token": "not-a-token",
        }
        if name in simple:
            return simple[name]
        for prefix, obj in self.by_prefix:
            if route.startswith(prefix):
                return _pk(obj)
        return 999_999


def _pk(obj: Any) -> int:
    return int(obj.pk) if obj is not None else 999_999


def _row_counts() -> dict[str, int]:
    """Rows of every model, in one query."""
    models = [m for m in apps.get_models() if m._meta.app_label not in NOT_COUNTED]
    # Table names come from the model registry, never from input.
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, row, strict=True)}


def _refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or response.context is None:
        return False
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        values = context.flatten().values() if hasattr(context, "flatten") else context.values()
        for value in values:
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
    return False


def _payloads(names: list[str]) -> dict[str, dict[str, str]]:
    payloads = {}
    for label, value in HOSTILE.items():
        if value is MEGABYTE:
            # One field (a text field where there is one) stays under the upload limit, so the
            # form itself sees the string.
            payloads[label] = {name: value if i == 0 else "1" for i, name in enumerate(names)}
        else:
            payloads[label] = dict.fromkeys(names, value)
    return payloads


def test_hostile_posts_to_every_form_give_no_server_error_and_save_nothing_when_refused() -> None:
    call_command("seed_demo")
    objects = _Objects()
    users = {
        "patient": objects.patient_user,
        "therapist": objects.therapist,
        "clinic_admin": objects.admin,
    }
    clients = {}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client

    routes = _routes()
    plan: list[tuple[str, str, str]] = []
    seen_names: set[str] = set()
    fields_by_url: dict[str, list[str]] = {}
    for route, name, pattern in routes:
        policy = getattr(pattern.callback, "access_policy", None)
        if route in SKIPPED_ROUTES or policy == "public":
            continue
        url = reverse(name, kwargs=objects.kwargs(route, pattern))
        for role, allowed in ROLE_POLICIES.items():
            if policy not in allowed:
                continue
            page = clients[role].get(url)
            assert page.status_code != 500, f"GET {url} as {role}"
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                names = _field_names(page.content.decode())
                fields_by_url[url] = names
                seen_names.update(names)
            plan.append((role, url, route))

    errors: list[str] = []
    half_saved: list[str] = []
    posts = 0
    for role, url, _route in plan:
        names = fields_by_url.get(url) or sorted(seen_names)
        for label, data in _payloads(names).items():
            before = _row_counts()
            response = clients[role].post(url, data)
            posts += 1
            if response.status_code >= 500:
                errors.append(f"{role} POST {url} with {label}: {response.status_code}")
            elif _refused(response) and _row_counts() != before:
                after = _row_counts()
                changed = {k: (before[k], after[k]) for k in after if after[k] != before.get(k)}
                half_saved.append(f"{role} POST {url} with {label}: {changed}")

    assert len(plan) >= 100, "the walk should reach every route with a form"
    assert posts >= 600
    assert not errors, "\n".join(errors)
    assert not half_saved, "\n".join(half_saved)
