"""Folded into `Patient.objects.visible_to(user)` and `Episode.objects.visible_to(user)`.

Kept only while assessments/ (being split by another change) still imports these names; delete it
once nothing does. Same semantics as the managers they call.
"""

from typing import Any

from patients.models import Episode, EpisodeQuerySet, Patient, PatientQuerySet


def visible_patients(user: Any) -> PatientQuerySet:
    return Patient.objects.visible_to(user)


def visible_episodes(user: Any) -> EpisodeQuerySet:
    return Episode.objects.visible_to(user)
