"""Charting pages for therapists. Every read of a patient's record and every change is audited;
every record is fetched through ``visible_to`` scoping, so another clinic's record is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.bodychart import REGION_CODES, render_body_chart
from assessments.content import build_forms, content_from_forms
from assessments.forms import (
    AddendumForm,
    PatientSummaryForm,
    StrikeOutcomeForm,
    WithholdForm,
)
from assessments.goal_measures import note_goals
from assessments.hooks import episode_url
from assessments.instruments import INSTRUMENTS
from assessments.models import (
    Addendum,
    Note,
    NoteDraft,
    OutcomeResponse,
    mcid_table,
)
from assessments.services import (
    add_addendum,
    open_or_start_note,
    save_draft,
    save_note,
    set_patient_summary,
    set_portal_release,
    sign_note,
)
from assessments.summaries import (
    note_sections,
    outcome_trends,
    preview_sections,
)
from assessments.visit_summary import draft_patient_summary
from exercises.models import Modality
from patients.models import Episode
from rehab_clinic.accounts.decorators import (
    any_role,
    recent_auth_required,
    staff_required,
    therapist_required,
)
from rehab_clinic.accounts.limits import NOTE_DRAFT_CHARS
from rehab_clinic.accounts.paging import page_of
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


def _notes(user: User) -> Any:
    return Note.objects.visible_to(user).select_related(
        "episode__patient__clinic", "author", "signed_by", "withheld_by"
    )


def _locked(request: HttpRequest, note: Note) -> HttpResponse:
    return render(request, "assessments/note_locked.html", {"note": note}, status=409)


EPISODE_PAGE_SIZE = 50


@staff_required
@require_GET
def episode_list(request: StaffRequest) -> HttpResponse:
    episodes = (
        Episode.objects.visible_to(request.user)
        .active()
        .select_related("patient")
        .order_by("patient__last_name", "patient__first_name", "id")
    )
    record_read(by=request.user, detail="active episode list")
    context = {"episodes": page_of(request, episodes, EPISODE_PAGE_SIZE), "query": ""}
    return render(request, "assessments/episode_list.html", context)


@staff_required
@require_GET
def episode_detail(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Charting is a panel of the one episode page now; old links land there."""
    episode = get_object_or_404(Episode.objects.visible_to(request.user), pk=episode_id)
    return redirect(episode_url(episode))


@therapist_required
@require_POST
@submitted_once
def note_start(request: StaffRequest, episode_id: int, kind: str) -> HttpResponse:
    episode = get_object_or_404(Episode.objects.visible_to(request.user), pk=episode_id)
    if kind not in Note.Kind.values:
        return HttpResponse(status=404)
    note, resumed = open_or_start_note(
        episode=episode, kind=kind, by=request.user, copy_forward=bool(request.POST.get("copy"))
    )
    if resumed:
        messages.info(
            request,
            f"You started this {note.get_kind_display().lower()} today and have not saved it "
            "yet: here it is, so the visit has one note.",
        )
    return redirect("assessments:note_edit", pk=note.pk)


@therapist_required
@require_http_methods(["GET", "POST"])
def note_edit(request: StaffRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if note.is_signed:
        return _locked(request, note)
    patient = note.episode.patient
    if request.method == "POST":
        built = build_forms(note, user=request.user, data=request.POST)
        form = built.form
        previewing = "preview_units" in request.POST  # work the units out, save nothing
        if built.is_valid() and not previewing:
            save_note(
                note=note,
                content=content_from_forms(built),
                visit_date=form.cleaned_data["visit_date"],
                by=request.user,
                pain_now=form.cleaned_data.get("nprs_now", form.cleaned_data.get("pain_now")),
                outcomes={code: f.answers() for code, f in built.started_outcomes()},
            )
            messages.success(request, "Saved. Review it, then sign to lock it.")
            return redirect("assessments:note_detail", pk=note.pk)
    else:
        built = build_forms(note, user=request.user)
        form = built.form
        record_read(by=request.user, patient=patient, obj=note)
    selected = (
        set(form["pain_regions"].value() or []) & REGION_CODES
        if "pain_regions" in form.fields
        else set()
    )
    return render(
        request,
        "assessments/note_form.html",
        {
            "note": note,
            "patient": patient,
            "form": form,
            "formsets": built.formsets,
            "outcomes": built.outcomes,
            "error_summary": built.error_summary() if request.method == "POST" else [],
            "units_preview": preview_sections(built),
            "restored": built.restored,
            "bodychart": render_body_chart(
                selected, title="Body chart: click a region to mark pain"
            )
            if "pain_regions" in form.fields
            else "",
            "instruments": INSTRUMENTS,
            "modalities": Modality.objects.visible_to(request.user).only(
                "name", "contraindications", "precautions"
            )
            if note.kind == Note.Kind.DAILY
            else [],
        },
    )


@therapist_required
@require_POST
def note_draft(request: StaffRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if note.is_signed:
        return HttpResponse("Signed notes cannot be changed.", status=409)
    # PostgreSQL's jsonb cannot hold a NUL character, and nobody types one: drop it.
    data = {
        k.replace("\x00", ""): [v.replace("\x00", "") for v in values]
        for k, values in request.POST.lists()
        if k != "csrfmiddlewaretoken"
    }
    if sum(len(k) + sum(map(len, values)) for k, values in data.items()) > NOTE_DRAFT_CHARS:
        return HttpResponse("This draft is too large to keep; shorten the note.", status=413)
    save_draft(note=note, by=request.user, data=data)
    return HttpResponse(status=204)


@staff_required
@require_GET
def note_detail(request: StaffRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        _notes(request.user).prefetch_related(
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
            "outcome_responses",
        ),
        pk=pk,
    )
    record_read(by=request.user, patient=note.episode.patient, obj=note)
    main = note.content.get("main", {})
    regions = set(main.get("pain_regions", [])) & REGION_CODES
    changes = []
    if note.kind in (Note.Kind.PROGRESS, Note.Kind.REEVAL, Note.Kind.DISCHARGE):
        # Baseline (first score in the episode) against the latest score up to this visit.
        upto = OutcomeResponse.objects.filter(
            episode=note.episode, taken_on__lte=note.visit_date
        ).select_related("note")
        clinic = note.episode.patient.clinic
        trends = outcome_trends(
            upto, mcid_table(clinic.pk), today=clinic.today(), reviewing=note.pk
        )
        changes = [t for t in trends if t.baseline is not None]
    return render(
        request,
        "assessments/note_detail.html",
        {
            "note": note,
            "patient": note.episode.patient,
            "sections": note_sections(note),
            "bodychart": render_body_chart(regions, title="Pain location") if regions else "",
            "hash_ok": note.hash_matches() if note.is_signed else None,
            "changes": changes,
            "goals": note_goals(note),
            "instruments": INSTRUMENTS,
            "withhold_form": WithholdForm(),
            "strike_form": StrikeOutcomeForm(),
            "summary_form": PatientSummaryForm(
                initial=note.patient_summary or draft_patient_summary(note.content)
            ),
        },
    )


@therapist_required
@recent_auth_required
@require_http_methods(["GET", "POST"])
def note_sign(request: StaffRequest, pk: int) -> HttpResponse:
    """GET: what signing will lock, and a confirmation button. POST: sign."""
    note = get_object_or_404(_notes(request.user).prefetch_related("outcome_responses"), pk=pk)
    if note.is_signed:
        return _locked(request, note)
    unsaved = NoteDraft.objects.filter(note=note, user=request.user.pk).exists()
    if note.saved_at is None or unsaved:
        messages.error(
            request, "Save the note (your latest changes are only a draft) before signing."
        )
        return redirect("assessments:note_edit", pk=note.pk)
    if request.method == "GET":
        return render(
            request,
            "assessments/note_sign_confirm.html",
            {
                "note": note,
                "patient": note.episode.patient,
                "sections": note_sections(note),
                "goals": note_goals(note),
            },
        )
    sign_note(note=note, by=request.user)
    messages.success(request, "Signed and locked.")
    return redirect("assessments:note_detail", pk=note.pk)


@therapist_required
@require_POST
def note_patient_summary(request: StaffRequest, pk: int) -> HttpResponse:
    """Accept (as drafted or edited) the plain-language summary the patient reads first."""
    note = get_object_or_404(_notes(request.user), pk=pk)
    form = PatientSummaryForm(request.POST)
    if not note.is_signed:
        messages.error(request, "Sign the note first; the summary is written from it.")
    elif form.is_valid():
        set_patient_summary(note=note, by=request.user, summary=form.cleaned_data)
        messages.success(request, "Summary saved: the patient sees it first in the portal.")
    else:
        messages.error(request, "Fill in all three parts of the summary.")
    return redirect("assessments:note_detail", pk=note.pk)


@therapist_required
@require_http_methods(["GET", "POST"])
@submitted_once
def addendum_create(request: StaffRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if not note.is_signed:
        return redirect("assessments:note_edit", pk=note.pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        add_addendum(note=note, by=request.user, **form.cleaned_data)
        messages.success(request, "Addendum added.")
        return redirect("assessments:note_detail", pk=note.pk)
    return render(
        request,
        "assessments/addendum_form.html",
        {"note": note, "patient": note.episode.patient, "form": form},
    )


@therapist_required
@require_POST
def note_release(request: StaffRequest, pk: int) -> HttpResponse:
    """Withhold a signed note from the patient portal with a reason, or release it."""
    note = get_object_or_404(_notes(request.user), pk=pk)
    if not note.is_signed:
        messages.error(request, "Only signed notes reach the portal; sign the note first.")
        return redirect("assessments:note_detail", pk=note.pk)
    if request.POST.get("release"):
        set_portal_release(note=note, by=request.user, withhold=False)
    else:
        form = WithholdForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give a reason for withholding the note.")
            return redirect("assessments:note_detail", pk=note.pk)
        set_portal_release(
            note=note, by=request.user, withhold=True, reason=form.cleaned_data["reason"]
        )
    return redirect("assessments:note_detail", pk=note.pk)


@any_role
@require_GET
def csrf_token(request: AuthedRequest) -> JsonResponse:
    """The current CSRF token, so a note form left open across a new sign-in can keep saving
    its draft (the token cookie is HttpOnly). Holds no patient data."""
    return JsonResponse({"token": get_token(request)})
