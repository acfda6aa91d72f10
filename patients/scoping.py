"""Shortcuts over `Patient.objects.visible_to(user)`, the single gate for patient data."""

from typing import Any

from patients.models import Episode, EpisodeQuerySet, Patient, PatientQuerySet


def visible_patients(user: Any) -> PatientQuerySet:
    return Patient.objects.visible_to(user)


def visible_episodes(user: Any) -> EpisodeQuerySet:
    return Episode.objects.filter(patient__in=visible_patients(user))
