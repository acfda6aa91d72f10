"""The access table: every patient-scoped URL, staff side and portal side, in one place.

Each route the URL resolver knows is either a row of `ROWS` (how to fill its URL from a
`tests.builders.ClinicCast`, and the owner's normal answer) or named in `EXEMPT` with the reason
it holds no one patient's record. tests/test_access.py walks the resolver, so a new route with
neither fails, and checks every row the same way:

- anonymous: sent to the login page;
- the owner (the clinic's therapist on the staff side, the patient on the portal side): the
  view's normal answer (`Row.status`);
- another patient of the same clinic: 404 on the portal side (the record is not theirs), 403 on
  the staff side (the role decorator refuses a patient before any record is read);
- staff of another clinic: 404 on the staff side, 403 on the portal side (role).

Portal pages that show "my" records without an id in the URL (`own=True`) cannot answer 404 to
another patient; for them the check is that the other patient's page does not show the owner.
A view that answers GET with 405 is asked with POST (empty), so the lookup is what refuses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assessments.models import OutcomeResponse
from programs.documents.models import ProgramDocument
from programs.documents.note_services import request_note_document
from programs.running.log_models import StageChange
from rehab_clinic.records.services import request_export
from tests.builders import ClinicCast, archived_patient, log_with_run_file, message_with_photo
from tests.factories import CareGoalFactory, ProgramExerciseFactory, browser_push_keys
from tests.routes import named_routes, unnamed_routes

__all__ = ["EXEMPT", "PORTAL", "ROWS", "STAFF", "Row", "named_routes", "unnamed_routes"]

STAFF, PORTAL = "staff", "portal"
Args = Callable[[ClinicCast], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    side: str
    args: Args = lambda cast: {}
    status: int = 200  # the owner's normal answer
    own: bool = False  # a portal page of "my" records, with no id in the URL
    data: Args = lambda cast: {}  # what a POST sends; empty unless the view needs more
    # A staff route a patient may still follow (a link from before the portal had its own):
    # the record's own patient and another patient, when they are not refused by role (403).
    patient: int = 403
    other_patient: int = 403


def _pk(attr: str) -> Args:
    return lambda cast: {"pk": getattr(cast, attr).pk}


def _episode(key: str) -> Args:
    return lambda cast: {key: cast.episode.pk}


def _program(**extra: Callable[[ClinicCast], Any]) -> Args:
    return lambda cast: {"pk": cast.program.pk, **{k: f(cast) for k, f in extra.items()}}


def _plan(**extra: Callable[[ClinicCast], Any]) -> Args:
    return lambda cast: {"pk": cast.plan.pk, **{k: f(cast) for k, f in extra.items()}}


def _document(cast: ClinicCast) -> dict[str, Any]:
    return {"pk": ProgramDocument.objects.get(version__program=cast.program).pk}


def _note_document(cast: ClinicCast) -> dict[str, Any]:
    """The signed intake's PDF, queued (asking again finds the same row)."""
    return {"pk": request_note_document(note=cast.signed_intake, by=cast.therapist).pk}


def _note_pk(attr: str) -> Args:
    return lambda cast: {"note_pk": getattr(cast, attr).pk}


# A note's PDF is for the clinic only: a patient, even the note's own, is answered 404.
NOT_FOR_PATIENTS = {"patient": 404, "other_patient": 404}


def _version(cast: ClinicCast) -> Any:
    return cast.program.versions.get()


def _outcome(cast: ClinicCast) -> dict[str, Any]:
    return {"pk": OutcomeResponse.objects.get(note=cast.signed_intake, instrument="lefs").pk}


def _photo(cast: ClinicCast) -> dict[str, Any]:
    return {"pk": message_with_photo(cast.episode, cast.patient_user).pk}


def _run_file_log(cast: ClinicCast) -> dict[str, Any]:
    return {"pk": log_with_run_file(cast.plan, cast.patient_user).pk}


def _goal(cast: ClinicCast) -> dict[str, Any]:
    return {"pk": CareGoalFactory(episode=cast.episode, created_by=cast.therapist).pk}


def _change(cast: ClinicCast) -> Any:
    return StageChange.objects.filter(plan=cast.plan).order_by("pk").first().pk


def _export(cast: ClinicCast, by: Any) -> dict[str, Any]:
    return {"pk": request_export(patient=cast.patient, by=by).pk}


_PUSH_ENDPOINT = "https://fcm.googleapis.com/fcm/send/access-table"


def _push_subscription(cast: ClinicCast) -> dict[str, Any]:
    _, p256dh, _, auth = browser_push_keys()
    keys = {"p256dh": p256dh, "auth": auth}
    return {"subscription": json.dumps({"endpoint": _PUSH_ENDPOINT, "keys": keys})}


ROWS: dict[str, Row] = {
    # patients/
    "patients:chart": Row(STAFF, _pk("patient")),
    "patients:edit": Row(STAFF, _pk("patient")),
    "patients:archive": Row(STAFF, _pk("patient"), status=302),
    "patients:restore": Row(STAFF, lambda cast: {"pk": archived_patient(cast).pk}, status=302),
    "patients:invite": Row(STAFF, _pk("patient"), status=302),
    "patients:episode_create": Row(STAFF, _pk("patient")),
    "patients:episode": Row(STAFF, _pk("episode")),
    "patients:episode_edit": Row(STAFF, _pk("episode")),
    "patients:episode_discharge": Row(STAFF, _pk("episode")),
    "patients:episode_charts": Row(STAFF, _pk("episode")),
    "patients:plan_of_care": Row(STAFF, _pk("episode")),
    "patients:goal_add": Row(STAFF, _pk("episode"), status=400),  # the empty goal form
    "patients:certification_save": Row(STAFF, _pk("episode"), status=302),
    "patients:goal_edit": Row(STAFF, _goal),
    "patients:goal_remove": Row(STAFF, _goal, status=302),
    "portal:home": Row(PORTAL, own=True),
    "portal:contact": Row(PORTAL, own=True),
    # assessments/
    "assessments:episode_detail": Row(STAFF, _episode("episode_id"), status=302),
    "assessments:note_start": Row(
        STAFF, lambda c: {"episode_id": c.episode.pk, "kind": "daily"}, status=302
    ),
    "assessments:outcome_assign": Row(STAFF, _episode("episode_id"), status=302),
    "assessments:note_detail": Row(STAFF, _pk("signed_intake")),
    "assessments:note_edit": Row(STAFF, _pk("draft_note")),
    "assessments:note_draft": Row(STAFF, _pk("draft_note"), status=204),
    "assessments:note_sign": Row(STAFF, _pk("draft_note"), status=302),
    "assessments:addendum_create": Row(STAFF, _pk("signed_intake")),
    "assessments:note_outcome": Row(STAFF, lambda c: {"pk": c.draft_note.pk, "instrument": "lefs"}),
    # 409: the LEFS belongs to a signed note, and a signed note's outcomes are struck by addendum.
    "assessments:outcome_strike": Row(STAFF, _outcome, status=409),
    "assessments:note_patient_summary": Row(STAFF, _pk("signed_intake"), status=302),
    "assessments:note_release": Row(STAFF, _pk("signed_intake"), status=302),
    "assessments:portal_summaries": Row(PORTAL, own=True),
    "assessments:portal_summary": Row(PORTAL, _pk("signed_intake")),
    "assessments:portal_measure": Row(PORTAL, _pk("assignment")),
    # programs/ (home programs)
    "programs:start": Row(STAFF, _episode("episode_pk")),
    "programs:builder": Row(STAFF, _program()),
    "programs:library_search": Row(STAFF, _program()),
    "programs:item_add": Row(
        STAFF, _program(), status=302, data=lambda c: {"exercise": ProgramExerciseFactory().pk}
    ),
    "programs:item_update": Row(  # 400: the empty dosage form
        STAFF, _program(item_pk=lambda c: c.program.items.first().pk), status=400
    ),
    "programs:item_remove": Row(
        STAFF, _program(item_pk=lambda c: c.program.items.first().pk), status=302
    ),
    "programs:item_move": Row(
        STAFF, _program(item_pk=lambda c: c.program.items.first().pk), status=302
    ),
    "programs:modality_add": Row(STAFF, _program(), status=302),
    "programs:modality_remove": Row(
        STAFF, _program(entry_pk=lambda c: c.program.modalities.first().pk), status=302
    ),
    "programs:details": Row(STAFF, _program(), status=400),  # the empty details form
    "programs:publish": Row(STAFF, _program(), status=302),
    "programs:save_template": Row(STAFF, _program(), status=302),
    "programs:version": Row(STAFF, _program(number=lambda c: 1)),
    "programs:adherence": Row(STAFF, _program()),
    "programs:portal_today": Row(PORTAL, own=True),
    "programs:portal_week": Row(PORTAL, own=True),
    "programs:portal_program": Row(PORTAL, own=True),
    "programs:portal_version": Row(PORTAL, lambda c: {"pk": _version(c).pk}),
    "programs:portal_mark_done": Row(PORTAL, lambda c: {"pk": _version(c).pk}, status=302),
    "programs:portal_undo_tick": Row(PORTAL, lambda c: {"pk": _version(c).pk}, status=302),
    "programs:portal_adherence": Row(PORTAL, own=True),
    # programs/documents/ and portal/documents/
    "programs:document_state": Row(STAFF, _document, patient=301, other_patient=404),
    # 404 for the owner too: the PDF is queued (tasks do not run inside the test transaction).
    "programs:document_download": Row(STAFF, _document, status=404, patient=301, other_patient=404),
    "programs:document_retry": Row(STAFF, _document),
    "programs:document_request": Row(STAFF, lambda c: {"version_pk": _version(c).pk}),
    # The clinic's copy (therapist's shorthand), rendered on the spot: staff only, 404 to patients.
    "programs:clinic_copy": Row(
        STAFF, lambda c: {"version_pk": _version(c).pk}, **NOT_FOR_PATIENTS
    ),
    "programs:portal_document_state": Row(PORTAL, _document),
    "programs:portal_document_download": Row(PORTAL, _document, status=404),
    # programs/documents/notes/ and note-pdfs/: a clinical note's PDF
    "programs:note_pdf_panel": Row(STAFF, _note_pk("signed_intake"), **NOT_FOR_PATIENTS),
    "programs:note_pdf_request": Row(STAFF, _note_pk("signed_intake"), **NOT_FOR_PATIENTS),
    "programs:note_draft_pdf": Row(STAFF, _note_pk("draft_note"), **NOT_FOR_PATIENTS),
    "programs:note_document_state": Row(STAFF, _note_document, **NOT_FOR_PATIENTS),
    # 404 for the owner too: the PDF is queued (tasks do not run inside the test transaction).
    "programs:note_document_download": Row(STAFF, _note_document, status=404, **NOT_FOR_PATIENTS),
    "programs:note_document_retry": Row(STAFF, _note_document, **NOT_FOR_PATIENTS),
    # programs/rtr/ and portal/run/
    "programs:rtr_plan_detail": Row(STAFF, _plan()),
    "programs:rtr_plan_customise": Row(STAFF, _plan()),
    "programs:rtr_plan_readiness": Row(STAFF, _plan(), status=302),
    "programs:rtr_change_confirm": Row(STAFF, _plan(change_pk=_change), status=302),
    "programs:rtr_plan_override": Row(STAFF, _plan(), status=200),
    # 200: the draft's readiness is not met, so an empty POST shows the form asking why.
    "programs:rtr_plan_start": Row(STAFF, _pk("draft_plan"), status=200),
    "programs:rtr_plan_pause": Row(STAFF, _plan(), status=200),  # the note is required
    "programs:rtr_plan_close": Row(STAFF, _plan(), status=200),
    "programs:rtr_gait_detail": Row(STAFF, _pk("gait")),
    "programs:rtr_log_file": Row(STAFF, _run_file_log),
    "programs:rtr_portal_today": Row(PORTAL, own=True),
    "programs:rtr_portal_log": Row(PORTAL, _plan()),
    "programs:rtr_portal_check_in": Row(PORTAL, _plan()),
    "programs:rtr_portal_player": Row(PORTAL, _plan()),
    "programs:rtr_portal_gait": Row(PORTAL, _pk("gait")),
    "programs:rtr_portal_log_file": Row(PORTAL, _run_file_log),
    # The runner's own calendar link: made for, and revoked from, the signed-in patient only.
    "programs:rtr_calendar_link": Row(PORTAL, own=True),
    "programs:rtr_calendar_revoke": Row(PORTAL, own=True),
    # messages/ and portal/messages/ (an empty message is refused beside the field: 200)
    "messaging:thread": Row(STAFF, _pk("episode")),
    "messaging:send": Row(STAFF, _pk("episode")),
    "messaging:read": Row(STAFF, _pk("episode"), status=302),
    "messaging:photo": Row(STAFF, _photo),
    "messaging:portal_thread": Row(PORTAL, own=True),
    "messaging:portal_episode_thread": Row(PORTAL, _pk("episode")),
    "messaging:portal_send": Row(PORTAL, _pk("episode")),
    "messaging:portal_read": Row(PORTAL, _pk("episode"), status=302),
    "messaging:portal_photo": Row(PORTAL, _photo),
    # rehab_clinic/push (portal/notifications/, the manifest and the service worker): the
    # signed-in patient's own browsers; another's subscription is never touched
    # (tests/push/test_views.py).
    "push:settings": Row(PORTAL, own=True),
    "push:subscribe": Row(PORTAL, own=True, data=_push_subscription),
    "push:unsubscribe": Row(PORTAL, own=True, data=lambda c: {"endpoint": _PUSH_ENDPOINT}),
    "push:manifest": Row(PORTAL, own=True),
    "push:service_worker": Row(PORTAL, own=True),
    # rehab_clinic/fhir/
    "fhir:patient_everything": Row(STAFF, _pk("patient")),
    # reminders (portal/reminders/ and the therapist's suggested times)
    "reminders:portal_settings": Row(PORTAL, own=True),
    "reminders:suggest": Row(STAFF, _pk("patient"), status=302),
    # rehab_clinic/records: the record ZIP (404 to download: queued, tasks do not run here)
    "records:portal_record": Row(PORTAL, own=True),
    "records:portal_prepare": Row(PORTAL, own=True),
    "records:portal_status": Row(PORTAL, lambda c: _export(c, c.patient_user)),
    "records:portal_download": Row(PORTAL, lambda c: _export(c, c.patient_user), status=404),
    "records:prepare": Row(STAFF, _pk("patient"), status=302),
    "records:status": Row(STAFF, lambda c: _export(c, c.therapist)),
    "records:download": Row(STAFF, lambda c: _export(c, c.therapist), status=404),
}

_SIGN_IN = "signing in, out and recovering an account: no patient record"
_OWN_ACCOUNT = "the signed-in user's own account and security settings"
_CLINIC = "the clinic's own settings and staff, for its admin: no patient record"
_LIBRARY = "the exercise and modality library: shared or clinic-wide, no patient record"
_TEMPLATES = "the clinic's program templates and protocols: no patient record"
EXEMPT: dict[str, str] = {
    "home": "the landing redirect by role",
    "healthz": "the health check",
    **dict.fromkeys(
        [
            "accounts:login",
            "accounts:logout",
            "accounts:password_reset",
            "accounts:password_reset_done",
            "accounts:password_reset_confirm",
            "accounts:password_reset_complete",
            "accounts:invite_accept",
            "accounts:two_factor_verify",
        ],
        _SIGN_IN,
    ),
    **dict.fromkeys(
        [
            "accounts:password_change",
            "accounts:password_change_done",
            "accounts:two_factor",
            "accounts:totp_setup",
            "accounts:backup_codes",
            "accounts:reauthenticate",
            "accounts:session_list",
            "accounts:session_end",
            "otp_webauthn:credential-registration-begin",
            "otp_webauthn:credential-registration-complete",
            "otp_webauthn:credential-authentication-begin",
            "otp_webauthn:credential-authentication-complete",
            "otp_webauthn:js-i18n-catalog",
            "assessments:csrf_token",
        ],
        _OWN_ACCOUNT,
    ),
    **dict.fromkeys(
        [
            "accounts:clinic_two_factor",
            "accounts:staff_reset_two_factor",
            "accounts:admin_home",
            "accounts:clinic_logo",
            "accounts:staff_list",
            "accounts:staff_add",
            "accounts:staff_edit",
            "assessments:instrument_settings",
            "assessments:questionnaire_schedule",
            "assessments:billing_codes",
        ],
        _CLINIC,
    ),
    **dict.fromkeys(
        ["audit:suggest_patients", "audit:suggest_users"],
        "the report's search as you type: clinic admins, visible patients only "
        "(tests/audit/test_report_search.py)",
    ),
    **dict.fromkeys(
        ["patients:today", "patients:today_queue"],
        "the therapist's own queues, each read through visible_to (tests/patients/test_today.py)",
    ),
    **dict.fromkeys(
        [
            "notifications:list",
            "notifications:open",
            "notifications:preferences",
            "notifications:read",
            "notifications:read_all",
        ],
        "the signed-in therapist's own notifications and choices; another recipient's or "
        "clinic's answer 404 (tests/notifications/test_views.py)",
    ),
    "reminders:unsubscribe": "no sign-in: a signed token that can only stop one patient's "
    "reminder emails; a token not made by us answers 404 (tests/reminders/test_unsubscribe.py)",
    "programs:rtr_calendar_feed": "no sign-in: the secret token of one runner's calendar link, "
    "read through that patient's visible_to; unknown or revoked is 404 "
    "(tests/programs/running/test_calendar_feed.py)",
    "audit:report": "clinic-wide; its patient filter offers visible patients only "
    "(tests/patients/test_access.py)",
    "audit:export_csv": "clinic-wide, as the report",
    **dict.fromkeys(
        ["assessments:outcomes_report", "assessments:outcomes_report_csv"],
        "the clinic admin's aggregates, no one patient's record; small groups suppressed "
        "(tests/assessments/test_outcomes_report.py)",
    ),
    "patients:caseload": "the clinic's list, scoped by visible_to (tests/patients)",
    "patients:archived": "the clinic's archived patients, by visible_to(archived=True)",
    "patients:create": "a new record: nothing to reach yet",
    "assessments:episode_list": "the clinic's list, scoped by visible_to (tests/assessments)",
    "programs:rtr_plan_list": "the clinic's list, scoped by visible_to (tests/programs/running)",
    "programs:rtr_plan_create": "a form whose episode choices are the visible episodes "
    "(tests/programs/running/test_views.py)",
    "programs:rtr_gait_create": "a form whose episode choices are the visible episodes",
    **dict.fromkeys(
        [
            "programs:templates",
            "programs:template",
            "programs:template_edit",
            "programs:template_archive",
            "programs:rtr_protocol_list",
            "programs:rtr_protocol_edit",
        ],
        _TEMPLATES,
    ),
    **dict.fromkeys(
        [
            "exercises:list",
            "exercises:create",
            "exercises:detail",
            "exercises:edit",
            "exercises:duplicate",
            "exercises:archive",
            "exercises:hide",
            "exercises:illustration",
            "exercises:photo_upload",
            "exercises:photo_delete",
            "exercises:photo",
            "exercises:modality_list",
            "exercises:modality_create",
            "exercises:modality_detail",
            "exercises:modality_edit",
            "exercises:modality_duplicate",
            "exercises:modality_archive",
            "exercises:transfer",
            "exercises:export",
        ],
        _LIBRARY,
    ),
}
