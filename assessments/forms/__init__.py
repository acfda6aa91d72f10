"""Forms for each note type. A note's content is the JSON rendering of these forms'
cleaned data: ``{"main": {...}, "<formset>": [{...}, ...]}`` (see ``assessments.content``).
"""

from assessments.forms.fields import to_json
from assessments.forms.notes import (
    FORMS,
    DailyForm,
    DischargeForm,
    IntakeForm,
    NoteForm,
    ProgressForm,
)
from assessments.forms.outcomes import (
    AssignOutcomeForm,
    McidForm,
    ScheduleForm,
    outcome_form_class,
)
from assessments.forms.review import (
    AddendumForm,
    PatientSummaryForm,
    StrikeOutcomeForm,
    WithholdForm,
)
from assessments.forms.tables import FORMSETS

__all__ = [
    "FORMS",
    "FORMSETS",
    "AddendumForm",
    "AssignOutcomeForm",
    "DailyForm",
    "DischargeForm",
    "IntakeForm",
    "McidForm",
    "NoteForm",
    "PatientSummaryForm",
    "ProgressForm",
    "ScheduleForm",
    "StrikeOutcomeForm",
    "WithholdForm",
    "outcome_form_class",
    "to_json",
]
