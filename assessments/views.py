"""Charting pages for therapists. Every read of a patient's record and every change is audited;
every record is fetched through ``visible_to`` scoping, so another clinic's record is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.bodychart import REGION_CODES, render_body_chart
from assessments.forms import (
    FORMS,
    FORMSETS,
    AddendumForm,
    AssignOutcomeForm,
    McidForm,
    WithholdForm,
    outcome_form_class,
    to_json,
)
from assessments.instruments import INSTRUMENTS
from assessments.models import (
    Addendum,
    Note,
    NoteDraft,
    OutcomeAssignment,
    OutcomeResponse,
    mcid_table,
)
from assessments.scoring import ScoringError
from assessments.services import (
    add_addendum,
    assign_outcome,
    record_outcome,
    save_draft,
    save_note,
    set_clinic_mcids,
    set_portal_release,
    sign_note,
    start_note,
)
from assessments.summaries import (
    PROGRESS_REPORT_EVERY,
    note_sections,
    outcome_trends,
    visits_since_progress_report,
)
from exercises.models import Modality
from patients.scoping import visible_episodes
from rehab_clinic.accounts.decorators import (
    any_role,
    clinic_admin_required,
    staff_required,
    therapist_required,
)
from rehab_clinic.accounts.limits import NOTE_DRAFT_CHARS
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event


def _notes(user: Any) -> Any:
    return Note.objects.visible_to(user).select_related(
        "episode__patient__clinic", "author", "signed_by", "withheld_by"
    )


def _locked(request: HttpRequest, note: Note) -> HttpResponse:
    return render(request, "assessments/note_locked.html", {"note": note}, status=409)


@staff_required
def episode_list(request: HttpRequest) -> HttpResponse:
    episodes = visible_episodes(request.user).active().select_related("patient")
    record_event(request=request, action=AuditEvent.Action.VIEW, detail="active episode list")
    return render(request, "assessments/episode_list.html", {"episodes": episodes})


@staff_required
def episode_detail(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_object_or_404(
        visible_episodes(request.user).select_related("patient"), pk=episode_id
    )
    notes = list(
        Note.objects.filter(episode=episode)
        .select_related("author", "signed_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .order_by("-visit_date", "-id")
    )
    responses = list(OutcomeResponse.objects.filter(episode=episode))
    trends = outcome_trends(responses, mcid_table(episode.patient.clinic_id))
    record_event(
        request=request, action=AuditEvent.Action.VIEW, patient=episode.patient, obj=episode
    )
    return render(
        request,
        "assessments/episode_detail.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "notes": notes,
            "has_intake": any(n.kind == Note.Kind.INTAKE for n in notes),
            "visits_since_report": visits_since_progress_report(notes),
            "report_every": PROGRESS_REPORT_EVERY,
            "trends": [(t, mark_safe(t.svg)) for t in trends],  # our own SVG, values escaped
            "responses": responses,
            "assignments": OutcomeAssignment.objects.filter(episode=episode),
            "assign_form": AssignOutcomeForm(instruments=INSTRUMENTS),
            "kinds": Note.Kind,
        },
    )


@therapist_required
@require_POST
@submitted_once
def note_start(request: HttpRequest, episode_id: int, kind: str) -> HttpResponse:
    episode = get_object_or_404(visible_episodes(request.user), pk=episode_id)
    if kind not in Note.Kind.values:
        return HttpResponse(status=404)
    note = start_note(
        episode=episode, kind=kind, by=request.user, copy_forward=bool(request.POST.get("copy"))
    )
    return redirect("assessments:note_edit", pk=note.pk)


def _initial_from_data(form_class: Any, data: QueryDict, prefix: str | None = None) -> dict:
    form = form_class(prefix=prefix)
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


def _build_forms(
    note: Note, *, request: HttpRequest, data: QueryDict | None = None
) -> tuple[Any, list[tuple[str, str, Any]], bool]:
    """The main form and formsets for ``note``: bound to ``data`` on POST; otherwise filled from
    the user's autosaved draft when there is one, else from the saved content."""
    form_class = FORMS[note.kind]
    specs = FORMSETS.get(note.kind, [])
    unit = note.episode.patient.clinic.distance_unit
    if data is not None:
        return (
            form_class(data, unit=unit),
            [
                (key, title, fs(data, prefix=key, form_kwargs={"user": request.user}))
                for key, title, fs in specs
            ],
            False,
        )
    draft = NoteDraft.objects.filter(note=note, user=request.user.pk).first()
    if draft is not None and note.saved_at is not None and draft.saved_at < note.saved_at:
        # Someone saved the note after this draft was typed: theirs wins, the draft is stale.
        draft.delete()
        draft = None
    if draft is not None:
        raw = QueryDict(mutable=True)
        for name, values in draft.data.items():
            raw.setlist(name, values)
        main_initial = _initial_from_data(form_class, raw)
        formsets = []
        for key, title, fs in specs:
            total = raw.get(f"{key}-TOTAL_FORMS", "0")
            count = min(int(total), 30) if total.isdigit() else 0
            rows = [_initial_from_data(fs.form, raw, f"{key}-{i}") for i in range(count)]
            formsets.append(
                (key, title, fs(prefix=key, initial=rows, form_kwargs={"user": request.user}))
            )
        return form_class(initial=main_initial, unit=unit), formsets, True
    main_initial = form_class.initial_from_content(note.content.get("main", {}), unit)
    main_initial.setdefault("visit_date", note.visit_date)
    return (
        form_class(initial=main_initial, unit=unit),
        [
            (key, title, fs(prefix=key, initial=note.content.get(key, [])))
            for key, title, fs in specs
        ],
        False,
    )


def _content(form: Any, formsets: list[tuple[str, str, Any]]) -> dict[str, Any]:
    content: dict[str, Any] = {"main": form.to_content(form.cleaned_data, form.unit)}
    for key, _title, formset in formsets:
        rows = []
        for f in formset.forms:
            data = f.cleaned_data
            if not data or all(v in (None, "", [], False) for v in data.values()):
                continue
            row = {k: to_json(v) for k, v in data.items()}
            # Keep the library item's name as it was on the day, beside its id.
            row.update({f"{k}_name": str(v) for k, v in data.items() if hasattr(v, "pk")})
            rows.append(row)
        content[key] = rows
    return content


@therapist_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if note.is_signed:
        return _locked(request, note)
    patient = note.episode.patient
    if request.method == "POST":
        form, formsets, restored = _build_forms(note, request=request, data=request.POST)
        if form.is_valid() and all(fs.is_valid() for _k, _t, fs in formsets):
            save_note(
                note=note,
                content=_content(form, formsets),
                visit_date=form.cleaned_data["visit_date"],
                by=request.user,
                pain_now=form.cleaned_data.get("nprs_now", form.cleaned_data.get("pain_now")),
            )
            messages.success(request, "Saved. Review it, then sign to lock it.")
            return redirect("assessments:note_detail", pk=note.pk)
    else:
        form, formsets, restored = _build_forms(note, request=request)
        record_event(request=request, action=AuditEvent.Action.VIEW, patient=patient, obj=note)
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
            "formsets": formsets,
            "restored": restored,
            "bodychart": mark_safe(  # our own SVG; codes filtered, title escaped
                render_body_chart(selected, title="Body chart: click a region to mark pain")
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
def note_draft(request: HttpRequest, pk: int) -> HttpResponse:
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
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        _notes(request.user).prefetch_related(
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
            "outcome_responses",
        ),
        pk=pk,
    )
    record_event(
        request=request, action=AuditEvent.Action.VIEW, patient=note.episode.patient, obj=note
    )
    main = note.content.get("main", {})
    regions = set(main.get("pain_regions", [])) & REGION_CODES
    changes = []
    if note.kind in (Note.Kind.PROGRESS, Note.Kind.REEVAL, Note.Kind.DISCHARGE):
        # Baseline (first score in the episode) against the latest score up to this visit.
        upto = OutcomeResponse.objects.filter(episode=note.episode, taken_on__lte=note.visit_date)
        trends = outcome_trends(upto, mcid_table(note.episode.patient.clinic_id))
        changes = [t for t in trends if t.baseline is not None]
    return render(
        request,
        "assessments/note_detail.html",
        {
            "note": note,
            "patient": note.episode.patient,
            "sections": note_sections(note),
            "bodychart": mark_safe(render_body_chart(regions, title="Pain location"))
            if regions
            else "",
            "hash_ok": note.hash_matches() if note.is_signed else None,
            "changes": changes,
            "instruments": INSTRUMENTS,
            "withhold_form": WithholdForm(),
        },
    )


@therapist_required
@require_POST
def note_sign(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if note.is_signed:
        return _locked(request, note)
    unsaved = NoteDraft.objects.filter(note=note, user=request.user.pk).exists()
    if note.saved_at is None or unsaved:
        messages.error(
            request, "Save the note (your latest changes are only a draft) before signing."
        )
        return redirect("assessments:note_edit", pk=note.pk)
    sign_note(note=note, by=request.user)
    messages.success(request, "Signed and locked.")
    return redirect("assessments:note_detail", pk=note.pk)


@therapist_required
@require_http_methods(["GET", "POST"])
@submitted_once
def addendum_create(request: HttpRequest, pk: int) -> HttpResponse:
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
@require_http_methods(["GET", "POST"])
@submitted_once
def note_outcome(request: HttpRequest, pk: int, instrument: str) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if instrument not in INSTRUMENTS:
        return HttpResponse(status=404)
    if note.is_signed:
        return _locked(request, note)
    definition = INSTRUMENTS[instrument]
    form = outcome_form_class(definition)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "taken_on"}
        try:
            record_outcome(
                episode=note.episode,
                instrument_code=instrument,
                answers=answers,
                by=request.user,
                note=note,
                taken_on=form.cleaned_data.get("taken_on"),
            )
        except ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{definition.name} recorded.")
            return redirect("assessments:note_detail", pk=note.pk)
    return render(
        request,
        "assessments/outcome_form.html",
        {"note": note, "patient": note.episode.patient, "form": form, "instrument": definition},
    )


@therapist_required
@require_POST
def note_release(request: HttpRequest, pk: int) -> HttpResponse:
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


@therapist_required
@require_POST
@submitted_once
def outcome_assign(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_object_or_404(visible_episodes(request.user), pk=episode_id)
    form = AssignOutcomeForm(request.POST, instruments=INSTRUMENTS)
    if form.is_valid():
        assign_outcome(
            episode=episode,
            instrument_code=form.cleaned_data["instrument"],
            by=request.user,
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(request, "Questionnaire assigned; the patient sees it in the portal.")
    else:
        messages.error(request, "Choose a questionnaire.")
    return redirect("assessments:episode_detail", episode_id=episode.pk)


def _mcid_rows(clinic_id: int) -> list[dict[str, Any]]:
    current = mcid_table(clinic_id)
    return [
        {
            "key": f"{code}__{subscale.code}",
            "instrument": instrument,
            "subscale": subscale,
            "default": instrument.default_mcid[subscale.code],
            "value": current[(code, subscale.code)],
        }
        for code, instrument in INSTRUMENTS.items()
        for subscale in instrument.subscales
    ]


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def instrument_settings(request: HttpRequest) -> HttpResponse:
    """Clinic admins review the change thresholds (MCIDs) used on every chart."""
    user: Any = request.user
    rows = _mcid_rows(user.clinic_id)
    form = McidForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        values = {}
        for row in rows:
            value = form.cleaned_data[row["key"]]
            same_as_default = value is not None and float(value) == row["default"]
            values[(row["instrument"].code, row["subscale"].code)] = (
                None if same_as_default else value
            )
        set_clinic_mcids(clinic=user.clinic, by=user, values=values)
        messages.success(request, "Change thresholds saved.")
        return redirect("assessments:instrument_settings")
    return render(request, "assessments/instrument_settings.html", {"form": form})


@any_role
@require_GET
def csrf_token(request: HttpRequest) -> JsonResponse:
    """The current CSRF token, so a note form left open across a new sign-in can keep saving
    its draft (the token cookie is HttpOnly). Holds no patient data."""
    return JsonResponse({"token": get_token(request)})
