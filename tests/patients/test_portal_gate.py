"""Archiving a patient ends their portal access: every portal route, found by walking the URL
resolver, refuses an archived patient, and nothing they post is saved."""

from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Note, OutcomeAssignment
from patients.models import Episode, Patient
from programs.documents.models import ProgramDocument
from programs.home.models import ProgramVersion
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.models import ReturnToRunPlan
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.records.services import request_export
from tests.builders import log_with_run_file, message_with_photo
from tests.test_url_policy import all_routes

pytestmark = pytest.mark.django_db


def _portal_routes() -> list[tuple[str, Any]]:
    return [(route, view) for route, view in all_routes() if view.access_policy == "patient"]


def _pk_for(route: str, patient: Patient) -> int:
    """The patient's own object for a portal route that takes one, so the route answers 200
    before archiving and any refusal after it comes from the archive alone."""
    episodes = patient.episodes.all()
    if "measures/" in route:
        episode = episodes.first()
        assert episode is not None
        return OutcomeAssignment.objects.create(
            episode=episode, instrument="lefs", assigned_by=patient.primary_therapist
        ).pk
    if "summaries/" in route:
        return Note.objects.filter(episode__in=episodes).released_to_patient().first().pk  # type: ignore[union-attr]
    if "run/logs/" in route:  # the original run file kept with a log
        plan = ReturnToRunPlan.objects.filter(episode__in=episodes).active().first()
        assert plan is not None
        return log_with_run_file(plan, patient.user).pk  # type: ignore[no-any-return]
    if "run/gait/" in route:
        return GaitRetrainingPrescription.objects.filter(episode__in=episodes).first().pk  # type: ignore[union-attr]
    if "run/" in route:
        return ReturnToRunPlan.objects.filter(episode__in=episodes).active().first().pk  # type: ignore[union-attr]
    if route.startswith("portal/record/"):  # the record ZIP the patient asked for
        return request_export(patient=patient, by=patient.user).pk
    if route.endswith(("/state/", "/download/")):  # the PDF under portal/documents/
        return ProgramDocument.objects.filter(version__program__episode__in=episodes).first().pk  # type: ignore[union-attr]
    if "versions/" in route:
        return ProgramVersion.objects.filter(program__episode__in=episodes).first().pk  # type: ignore[union-attr]
    if route.startswith("episodes/"):  # portal/messages/: the thread of the patient's episode
        return episodes.filter(status=Episode.Status.ACTIVE).first().pk  # type: ignore[union-attr]
    if route.startswith("photos/"):  # portal/messages/: a photo the patient sent
        return message_with_photo(episodes.first(), patient.user).pk
    raise AssertionError(f"No object known for the portal route {route}; add one here.")


def _row_counts() -> dict[str, int]:
    """Rows of every model, leaving out the audit of the refusals themselves (by design)."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    counts["audit.AuditEvent"] = AuditEvent.objects.exclude(
        outcome=AuditEvent.Outcome.DENIED
    ).count()
    return counts


def _portal_urls(patient: Patient) -> list[str]:
    found: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                if getattr(entry.callback, "access_policy", None) != "patient":
                    continue
                route = str(entry.pattern)
                kwargs = {"pk": _pk_for(route, patient)} if "<int:pk>" in route else {}
                found.append(reverse(f"{namespace}{entry.name}", kwargs=kwargs))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_portal_route_refuses_an_archived_patient_and_saves_nothing() -> None:
    call_command("seed_demo")
    user = User.objects.get(email="patient@demo.clinic")
    patient = user.patient
    urls = _portal_urls(patient)
    assert len(urls) == len(_portal_routes()) >= 15

    client = Client()
    client.force_login(user)
    before_archive = {url: client.get(url).status_code for url in urls}
    # The portal works for the active patient (the POST-only endpoints: tick and undo, send and
    # mark read, phone notifications on and off; and the download of a PDF seed_demo does not
    # render, aside), so a refusal below can only come from the archive.
    post_only = (
        "/done/",
        "/undo/",
        "/send/",
        "/read/",
        "/subscribe/",
        "/unsubscribe/",
        "/calendar/link/",
        "/calendar/revoke/",
        "/prepare/",
    )
    assert {url for url, code in before_archive.items() if code != 200} <= {
        url for url in urls if url.endswith((*post_only, "/download/"))
    }, before_archive

    patient.archive(by=patient.primary_therapist, reason="moved away")
    counts = _row_counts()
    denials = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).count()
    refused = {}
    for url in urls:
        refused[url] = (
            client.get(url).status_code,
            client.post(url, {"phone": "555 0100", "pain": "1", "session": "1"}).status_code,
        )
    assert all(codes == (403, 403) for codes in refused.values()), refused
    assert _row_counts() == counts
    # What the archived patient tried is in the trail (throttled per route and minute).
    assert AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).count() > denials
    patient.refresh_from_db()
    assert patient.phone != "555 0100"


def test_the_portal_panels_of_an_archived_patient_are_not_shown() -> None:
    call_command("seed_demo")
    user = User.objects.get(email="patient@demo.clinic")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 200
    user.patient.archive(by=user.patient.primary_therapist, reason="moved away")
    assert client.get(reverse("portal:home")).status_code == 403
