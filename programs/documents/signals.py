"""A change to a patient's run or gait plan re-renders the PDF of their current program.

Return-to-run and gait retraining live in their own modules (rtr_*); listening for their new
rows here keeps those services free of PDF concerns. Only new rows count: a stage change, a new
plan, a new gait prescription. The render itself is queued after the transaction commits.
"""

from typing import Any

from django.db.models.signals import post_save

from programs.documents.services import refresh_program_documents
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.log_models import StageChange
from programs.running.models import ReturnToRunPlan

__all__ = ["connect"]


def _plan_changed(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    if not created or raw:
        return
    episode_id = instance.plan.episode_id if sender is StageChange else instance.episode_id
    refresh_program_documents(episode_id=episode_id)


def connect() -> None:
    for model in (StageChange, ReturnToRunPlan, GaitRetrainingPrescription):
        post_save.connect(_plan_changed, sender=model, dispatch_uid=f"pdf-refresh-{model.__name__}")
