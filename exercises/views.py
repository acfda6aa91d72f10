"""Library pages: therapists and clinic admins browse; only clinic admins change."""

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exercises import services
from exercises.forms import (
    ExerciseForm,
    LibraryFilterForm,
    LibraryImportForm,
    ModalityForm,
    PhotoForm,
)
from exercises.models import Exercise, ExercisePhoto, HiddenExercise, LibraryTag, Modality
from exercises.transfer import LibraryImportError, export_library, import_library
from rehab_clinic.accounts.decorators import any_role, clinic_admin_required, staff_required
from rehab_clinic.accounts.paging import page_of, query_without_page
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read

PAGE_SIZE = 24
FILTERS = ("category", "difficulty", "region", "equipment", "injury")


def _filters(request: StaffRequest) -> dict[str, str]:
    form = LibraryFilterForm(request.GET)
    form.is_valid()
    chosen = {key: form.cleaned_data.get(key, "") for key in ("q", *FILTERS)}
    # "Show archived" is a clinic admin's: archived own rows and hidden shared ones.
    show = request.GET.get("show", "")
    chosen["show"] = "archived" if show == "archived" and request.user.is_clinic_admin else ""
    return chosen


@staff_required
@require_GET
def exercise_list(request: StaffRequest) -> HttpResponse:
    chosen = _filters(request)
    if chosen["show"]:
        exercises = Exercise.objects.put_away_by(request.user)
    else:
        exercises = Exercise.objects.visible_to(request.user)
    exercises = exercises.search(chosen["q"])
    for key in ("category", "difficulty"):
        if chosen[key]:
            exercises = exercises.filter(**{key: chosen[key]})
    for key, field in (("region", "regions"), ("equipment", "equipment"), ("injury", "injuries")):
        if chosen[key]:
            exercises = exercises.filter(**{f"{field}__slug": chosen[key]})
    exercises = exercises.for_listing().prefetch_related("regions", "equipment")
    if not chosen["q"]:
        exercises = exercises.order_by("name", "id")  # a search keeps its ranking
    page = Paginator(exercises, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in chosen.items() if v})
    context = {
        "page": page,
        "chosen": chosen,
        "query_string": query,
        "categories": Exercise.Category.choices,
        "difficulties": Exercise.Difficulty.choices,
        "tags": _tag_choices(),
        "hidden_ids": _hidden_ids(request, page),
    }
    partial = getattr(request, "htmx", False)
    template = "exercises/_exercise_results.html" if partial else "exercises/exercise_list.html"
    return render(request, template, context)


def _hidden_ids(request: StaffRequest, page: Any) -> set[int]:
    """Which shared rows on this page the clinic hid (one query, for the badges)."""
    clinic_id = request.user.clinic_id
    ids = [exercise.pk for exercise in page if exercise.clinic_id is None]
    if clinic_id is None or not ids:
        return set()
    return set(
        HiddenExercise.objects.filter(clinic_id=clinic_id, exercise_id__in=ids).values_list(
            "exercise_id", flat=True
        )
    )


def _tag_choices() -> dict[str, list[LibraryTag]]:
    grouped: dict[str, list[LibraryTag]] = {"region": [], "equipment": [], "injury": []}
    for tag in LibraryTag.objects.all():
        grouped[tag.kind].append(tag)
    return grouped


@staff_required
@require_GET
def exercise_detail(request: StaffRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(
        Exercise.objects.readable_by(request.user).select_related(
            "clinic", "regression", "progression"
        ),
        pk=pk,
    )
    user = request.user
    context = {
        "exercise": exercise,
        "photos": exercise.photos.all(),
        "is_hidden": exercise.is_shared
        and user.clinic_id is not None
        and HiddenExercise.objects.filter(clinic_id=user.clinic_id, exercise=exercise).exists(),
        "can_edit": request.user.is_clinic_admin and exercise.clinic_id == request.user.clinic_id,
    }
    return render(request, "exercises/exercise_detail.html", context)


@any_role
@require_GET
def exercise_illustration(request: AuthedRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.readable_by(request.user), pk=pk)
    if not exercise.illustration_svg:
        raise Http404("No illustration")
    response = HttpResponse(exercise.illustration_svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@any_role
@require_GET
def exercise_photo(request: AuthedRequest, pk: int, photo_pk: int, size: str) -> FileResponse:
    exercise = get_object_or_404(Exercise.objects.readable_by(request.user), pk=pk)
    photo = get_object_or_404(ExercisePhoto, pk=photo_pk, exercise=exercise)
    stored = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(stored.open("rb"), content_type="image/jpeg")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def exercise_create(request: StaffRequest) -> HttpResponse:
    form = ExerciseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        exercise = services.create_exercise(
            clinic=request.user.home_clinic, by=request.user, data=form.cleaned_data
        )
        messages.success(request, f"“{exercise.name}” was added to your clinic's library.")
        return redirect("exercises:detail", pk=exercise.pk)
    return render(request, "exercises/exercise_form.html", {"form": form, "exercise": None})


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def exercise_edit(request: StaffRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    form = ExerciseForm(request.POST or None, instance=exercise, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_exercise(exercise=exercise, by=request.user, data=form.cleaned_data)
        messages.success(request, "Changes saved.")
        return redirect("exercises:detail", pk=exercise.pk)
    return render(request, "exercises/exercise_form.html", {"form": form, "exercise": exercise})


@clinic_admin_required
@require_POST
def exercise_duplicate(request: StaffRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Exercise.objects.readable_by(request.user), pk=pk)
    copy = services.duplicate_exercise(
        exercise=source, clinic=request.user.home_clinic, by=request.user
    )
    messages.success(request, "A copy is now in your clinic's library; adapt it here.")
    return redirect("exercises:edit", pk=copy.pk)


@clinic_admin_required
@require_POST
def exercise_archive(request: StaffRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    if exercise.is_archived:
        services.restore_exercise(exercise=exercise, by=request.user)
        messages.success(request, "The exercise is back in the library.")
    else:
        services.archive_exercise(exercise=exercise, by=request.user)
        messages.success(
            request, "Archived: hidden from the library; programs that use it keep their copy."
        )
    return redirect("exercises:detail", pk=exercise.pk)


@clinic_admin_required
@require_POST
def exercise_hide(request: StaffRequest, pk: int) -> HttpResponse:
    """Hide a shared exercise for this clinic, or show it again (the form says which)."""
    exercise = get_object_or_404(
        Exercise.objects.readable_by(request.user).filter(clinic__isnull=True), pk=pk
    )
    clinic = request.user.home_clinic
    if request.POST.get("hidden") == "0":
        services.unhide_exercise(exercise=exercise, clinic=clinic, by=request.user)
        messages.success(request, "The exercise is back in your clinic's library.")
    else:
        services.hide_exercise(exercise=exercise, clinic=clinic, by=request.user)
        messages.success(
            request,
            "Hidden for your clinic: it no longer appears in the library or the program "
            "builder's search. Programs that use it keep it.",
        )
    return redirect("exercises:detail", pk=exercise.pk)


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def photo_upload(request: StaffRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_exercise_photo(
            exercise=exercise,
            photo=form.processed,
            alt_text=form.cleaned_data["alt_text"],
            by=request.user,
        )
        messages.success(request, "Photo added.")
        return redirect("exercises:detail", pk=exercise.pk)
    return render(request, "exercises/photo_form.html", {"form": form, "exercise": exercise})


@clinic_admin_required
@require_POST
def photo_delete(request: StaffRequest, pk: int, photo_pk: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    photo = get_object_or_404(ExercisePhoto, pk=photo_pk, exercise=exercise)
    services.remove_exercise_photo(photo=photo, by=request.user)
    messages.success(request, "Photo removed.")
    return redirect("exercises:detail", pk=exercise.pk)


# --- Modalities -----------------------------------------------------------------------------


@staff_required
@require_GET
def modality_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:40]
    modalities = Modality.objects.visible_to(request.user)
    modalities = modalities.search(query) if query else modalities.order_by("name", "id")
    context = {
        "modalities": page_of(request, modalities, PAGE_SIZE),
        "query_string": query_without_page(request),
        "kinds": Modality.Kind.choices,
        "query": query,
    }
    return render(request, "exercises/modality_list.html", context)


@staff_required
@require_GET
def modality_detail(request: StaffRequest, pk: int) -> HttpResponse:
    modality = get_object_or_404(Modality.objects.readable_by(request.user), pk=pk)
    form = ModalityForm(instance=modality, kind=modality.kind)
    context = {
        "modality": modality,
        "parameters": [
            (f.label, modality.parameters.get(f.name[6:], "")) for f in form.parameter_fields()
        ],
        "can_edit": request.user.is_clinic_admin and modality.clinic_id == request.user.clinic_id,
    }
    return render(request, "exercises/modality_detail.html", context)


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def modality_create(request: StaffRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Modality.Kind.values:
        return render(request, "exercises/modality_kind.html", {"kinds": Modality.Kind.choices})
    # Start from the shared entry of this kind so the safety checklist is never blank.
    template = Modality.objects.filter(clinic=None, kind=kind).first()
    modality = Modality(clinic=request.user.home_clinic, kind=kind)
    if template is not None:
        for field in ("contraindications", "precautions", "home_use", "home_instructions"):
            setattr(modality, field, getattr(template, field))
        modality.parameters = dict(template.parameters)
    return _modality_form(request, modality)


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def modality_edit(request: StaffRequest, pk: int) -> HttpResponse:
    modality = get_object_or_404(Modality.objects.editable_by(request.user), pk=pk)
    return _modality_form(request, modality)


def _modality_form(request: StaffRequest, modality: Modality) -> HttpResponse:
    form = ModalityForm(request.POST or None, instance=modality, kind=modality.kind)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "kind": modality.kind}
        saved = services.save_modality(modality=modality, by=request.user, data=data)
        messages.success(request, "Modality saved.")
        return redirect("exercises:modality_detail", pk=saved.pk)
    return render(request, "exercises/modality_form.html", {"form": form, "modality": modality})


@clinic_admin_required
@require_POST
def modality_duplicate(request: StaffRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Modality.objects.readable_by(request.user), pk=pk)
    copy = Modality(clinic=request.user.home_clinic, kind=source.kind)
    data = {f: getattr(source, f) for f in services.MODALITY_FIELDS}
    saved = services.save_modality(modality=copy, by=request.user, data=data)
    messages.success(request, "A copy is now in your clinic's library; adapt it here.")
    return redirect("exercises:modality_edit", pk=saved.pk)


@clinic_admin_required
@require_POST
def modality_archive(request: StaffRequest, pk: int) -> HttpResponse:
    modality = get_object_or_404(Modality.objects.editable_by(request.user), pk=pk)
    services.archive_modality(modality=modality, by=request.user)
    messages.success(request, "Modality archived.")
    return redirect("exercises:modality_list")


# --- Export / import ------------------------------------------------------------------------


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def library_transfer(request: StaffRequest) -> HttpResponse:
    form = LibraryImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_library(
                payload=form.payload, clinic=request.user.home_clinic, by=request.user
            )
        except LibraryImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"Library imported: {result.created} added, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
            return redirect("exercises:transfer")
    own = Exercise.objects.filter(clinic=request.user.home_clinic, archived_at__isnull=True).count()
    context = {"form": form, "errors": errors, "own_count": own}
    return render(
        request, "exercises/library_transfer.html", context, status=400 if errors else 200
    )


@clinic_admin_required
@require_GET
def library_export(request: StaffRequest) -> HttpResponse:
    clinic = request.user.home_clinic
    payload = export_library(clinic=clinic)
    record_read(by=request.user, action=AuditEvent.Action.EXPORT, detail="exercise library")
    response = HttpResponse(
        json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json"
    )
    day = clinic.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="library-{clinic.slug}-{day}.json"'
    return response
