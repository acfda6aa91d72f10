"""The `programs` app's models, gathered from its three parts so Django finds them in one place.

Each part owns its models: `home/models.py` (home exercise programs), `running/models.py`
(return-to-run plans and gait retraining) and `documents/models.py` (program PDFs). Import a model
from its part; this module only exists for Django's model discovery and migrations.
"""

from programs.documents.models import ProgramDocument
from programs.home.models import (
    Completion,
    Dosage,
    HomeProgram,
    ProgramItem,
    ProgramModality,
    ProgramTemplate,
    ProgramVersion,
    TemplateItem,
    TemplateModality,
)
from programs.running.calendar_models import CalendarFeed
from programs.running.flag_models import PlanFlag
from programs.running.gait_models import GaitRetest, GaitRetrainingPrescription, GaitSession
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import PlanStage, Protocol, ProtocolStage, ReturnToRunPlan
from programs.running.runfile_models import PendingRunFile

__all__ = [
    "CalendarFeed",
    "Completion",
    "Dosage",
    "GaitRetest",
    "GaitRetrainingPrescription",
    "GaitSession",
    "HomeProgram",
    "MorningCheckIn",
    "PendingRunFile",
    "PlanFlag",
    "PlanStage",
    "ProgramDocument",
    "ProgramItem",
    "ProgramModality",
    "ProgramTemplate",
    "ProgramVersion",
    "Protocol",
    "ProtocolStage",
    "ReturnToRunPlan",
    "SessionLog",
    "StageChange",
    "TemplateItem",
    "TemplateModality",
]
