"""Therapist pages: the program builder, versions, adherence and clinic templates.

The patient's pages are in `programs/home/portal_views.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exercises.models import Exercise, Modality
from patients.models import Episode, Patient
from programs.home import queries, services, template_services
from programs.home.charts import adherence_bars
from programs.home.forms import (
    AddModalityForm,
    LibrarySearchForm,
    ProgramDetailsForm,
    ProgramItemForm,
    StartProgramForm,
    TemplateNameForm,
    crispy_unbound,
)
from programs.home.models import HomeProgram
from programs.home.revision import draft_revision
from rehab_clinic.accounts.decorators import (
    staff_required,
    therapist_required,
)
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

SEARCH_LIMIT = 20


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _program(user: User, pk: int) -> HomeProgram:
    programs = HomeProgram.objects.visible_to(user).select_related(
        "episode__patient__clinic", "episode__patient__user"
    )
    return get_object_or_404(programs, pk=pk)


def _library_results(user: User, data: Any) -> list[Exercise]:
    form = LibrarySearchForm(data)
    exercises = Exercise.objects.visible_to(user).for_listing().order_by("name", "id")
    if form.is_valid():
        # With words to search for, the order is the search's own: best match first.
        exercises = exercises.search(form.cleaned_data["q"])
        if form.cleaned_data["category"]:
            exercises = exercises.filter(category=form.cleaned_data["category"])
    return list(exercises[:SEARCH_LIMIT])


def _home_modalities(user: User) -> Any:
    return Modality.objects.visible_to(user).filter(home_use=True).order_by("name")


def _builder_context(
    request: StaffRequest,
    program: HomeProgram,
    bound: ProgramItemForm | None = None,
    details_form: ProgramDetailsForm | None = None,
) -> dict[str, Any]:
    items = list(program.items.select_related("exercise"))
    modalities = list(program.modalities.select_related("modality"))
    forms = [
        bound
        if bound is not None and bound.instance.pk == item.pk
        else ProgramItemForm(instance=item)
        for item in items
    ]
    versions = list(program.versions.defer("snapshot").select_related("published_by"))
    modality_form = AddModalityForm(modalities=_home_modalities(request.user))
    modality_form.show_choices(list(_home_modalities(request.user)))
    details_form = details_form or ProgramDetailsForm(instance=program)
    template_form = TemplateNameForm()
    return {
        "program": program,
        "episode": program.episode,
        "patient": program.episode.patient,
        "item_forms": forms,
        "modalities": modalities,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "unpublished": not versions or program.updated_at > versions[0].published_at,
        "search_form": LibrarySearchForm(),
        "results": _library_results(request.user, {}),
        "modality_form": modality_form,
        "details_form": details_form,
        "template_form": template_form,
        # Each drawn as {{ form|crispy }} would, from a cache while unchanged.
        "drawn_forms": {
            "modality": crispy_unbound(modality_form),
            "details": crispy_unbound(details_form),
            "template": crispy_unbound(template_form),
        },
        "revision": draft_revision(program, items, modalities),
        "needs_invitation": bool(versions) and not _has_portal(program.episode.patient),
    }


def _has_portal(patient: Patient) -> bool:
    """The patient can sign in to the portal and see a published program."""
    user = patient.user if patient.user_id else None
    return bool(user is not None and user.is_active)


REVISION_HEADER = "X-Draft-Revision"


def _with_revision(response: HttpResponse, program: HomeProgram) -> HttpResponse:
    """Every edit's answer carries the new draft revision; the builder's script puts it in the
    publish form, so Publish sends the revision of the draft on screen."""
    response[REVISION_HEADER] = draft_revision(program)
    return response


def _items_or_redirect(
    request: StaffRequest, program: HomeProgram, notice: str = ""
) -> HttpResponse:
    if _is_htmx(request):
        context = {**_builder_context(request, program), "notice": notice}
        return _with_revision(
            render(request, "programs/home/_builder_items.html", context), program
        )
    if notice:
        messages.error(request, notice)
    return redirect("programs:builder", pk=program.pk)


# ---- Therapist: start, build, publish ------------------------------------------------------


@therapist_required
@require_http_methods(["GET", "POST"])
def program_start(request: StaffRequest, episode_pk: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient"), pk=episode_pk
    )
    form = StartProgramForm(request.POST or None, clinic=request.user.home_clinic)
    if request.method == "POST" and form.is_valid():
        program = services.create_home_program(
            episode=episode,
            by=request.user,
            template=form.cleaned_data["template"],
            token=form.cleaned_data["token"],
        )
        messages.success(request, "Home program started. Add exercises, then publish.")
        return redirect("programs:builder", pk=program.pk)
    record_read(by=request.user, patient=episode.patient, obj=episode)
    context = {"form": form, "episode": episode, "patient": episode.patient}
    return render(request, "programs/home/program_start.html", context)


@staff_required
@require_GET
def program_builder(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    record_read(by=request.user, patient=program.episode.patient, obj=program)
    return render(request, "programs/home/program_builder.html", _builder_context(request, program))


@therapist_required
@require_GET
def library_search(request: StaffRequest, pk: int) -> HttpResponse:
    # Library entries are not patient data; the program lookup only proves the user may edit it.
    program = _program(request.user, pk)
    results = _library_results(request.user, request.GET)
    context = {"program": program, "results": results}
    return render(request, "programs/home/_library_results.html", context)


@therapist_required
@require_POST
def item_add(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    posted = request.POST.get("exercise", "")
    exercise = get_object_or_404(
        Exercise.objects.visible_to(request.user),
        pk=int(posted) if posted.isascii() and posted.isdigit() else 0,
    )
    try:
        services.add_program_item(program=program, exercise=exercise, by=request.user)
    except services.ProgramError as refused:
        return _items_or_redirect(request, program, notice=str(refused))
    return _items_or_redirect(request, program)


@therapist_required
@require_POST
def item_update(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    item = get_object_or_404(program.items.select_related("exercise"), pk=item_pk)
    form = ProgramItemForm(request.POST, instance=item)
    saved = form.is_valid()
    if saved:
        item = services.save_program_item(
            item=form.save(commit=False), changed=form.changed_data, by=request.user
        )
        form = ProgramItemForm(instance=item)
    if _is_htmx(request):
        order = list(program.items.values_list("pk", flat=True))
        context = {
            "form": form,
            "program": program,
            "saved": saved,
            "first": order[0] == item.pk,
            "last": order[-1] == item.pk,
        }
        return _with_revision(render(request, "programs/home/_builder_item.html", context), program)
    if saved:
        messages.success(request, f"Dosage of {item.exercise.name} saved.")
        return redirect("programs:builder", pk=program.pk)
    messages.error(request, f"The dosage of {item.exercise.name} was not saved: see the errors.")
    context = _builder_context(request, program, bound=form)
    return render(request, "programs/home/program_builder.html", context, status=400)


@therapist_required
@require_POST
def item_remove(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    item = get_object_or_404(program.items.select_related("exercise"), pk=item_pk)
    services.remove_program_item(item=item, by=request.user)
    return _items_or_redirect(request, program)


@therapist_required
@require_POST
def item_move(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    item = get_object_or_404(program.items.all(), pk=item_pk)
    up = request.POST.get("direction") == "up"
    services.move_program_item(item=item, up=up, by=request.user)
    return _items_or_redirect(request, program)


@therapist_required
@require_POST
def modality_add(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    form = AddModalityForm(request.POST, modalities=_home_modalities(request.user))
    if form.is_valid():
        try:
            services.add_program_modality(
                program=program,
                modality=form.cleaned_data["modality"],
                instructions=form.cleaned_data["instructions"],
                by=request.user,
            )
        except services.ProgramError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{form.cleaned_data['modality'].name} added.")
    else:
        messages.error(request, "Choose a home modality from the list.")
    return redirect(reverse("programs:builder", args=[program.pk]) + "#modalities")


@therapist_required
@require_POST
def modality_remove(request: StaffRequest, pk: int, entry_pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    entry = get_object_or_404(program.modalities.select_related("modality"), pk=entry_pk)
    services.remove_program_modality(entry=entry, by=request.user)
    messages.success(request, f"{entry.modality.name} removed.")
    return redirect(reverse("programs:builder", args=[program.pk]) + "#modalities")


@therapist_required
@require_POST
def program_details(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    form = ProgramDetailsForm(request.POST, instance=program)
    if form.is_valid():
        services.save_program_details(
            program=form.save(commit=False), changed=form.changed_data, by=request.user
        )
        messages.success(request, "Title, note and print settings saved.")
        return redirect("programs:builder", pk=program.pk)
    messages.error(request, "The title and note were not saved: see the errors.")
    context = _builder_context(request, program, details_form=form)
    return render(request, "programs/home/program_builder.html", context, status=400)


@therapist_required
@require_POST
@submitted_once
def program_publish(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    before = program.versions.order_by("-number").values_list("number", flat=True).first()
    try:
        version = services.publish_home_program(
            program=program,
            by=request.user,
            # The builder always sends it; a post without one (a script) skips the check.
            revision=request.POST.get("revision"),
        )
    except services.ProgramError as error:
        messages.error(request, str(error))
        return redirect("programs:builder", pk=program.pk)
    patient = program.episode.patient
    if version.number == before:
        messages.info(request, f"Nothing changed since version {version.number}: not republished.")
    elif _has_portal(patient):
        messages.success(
            request, f"Version {version.number} published. {patient.first_name} sees it now."
        )
    else:
        messages.warning(
            request,
            f"Version {version.number} published, but {patient.first_name} has no portal account "
            "yet and cannot see it online: send the invitation below, or print the PDF.",
        )
    return redirect("programs:builder", pk=program.pk)


@therapist_required
@require_POST
def program_save_template(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    form = TemplateNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the template a name.")
        return redirect("programs:builder", pk=program.pk)
    try:
        template = template_services.save_as_template(
            program=program, name=form.cleaned_data["name"], by=request.user
        )
    except services.ProgramError as error:
        messages.error(request, str(error))
        return redirect("programs:builder", pk=program.pk)
    messages.success(request, f"Saved as the clinic template “{template.name}”.")
    return redirect("programs:template", pk=template.pk)


@staff_required
@require_GET
def version_detail(request: StaffRequest, pk: int, number: int) -> HttpResponse:
    program = _program(request.user, pk)
    version = get_object_or_404(program.versions.select_related("published_by"), number=number)
    record_read(by=request.user, patient=program.episode.patient, obj=version)
    context = {
        "program": program,
        "patient": program.episode.patient,
        "version": version,
        "entries": queries.entries_for(version),
    }
    return render(request, "programs/home/version_detail.html", context)


@staff_required
@require_GET
def program_adherence(request: StaffRequest, pk: int) -> HttpResponse:
    program = _program(request.user, pk)
    record_read(by=request.user, patient=program.episode.patient, obj=program, detail="adherence")
    result = queries.adherence_for_programs([program], program.episode.patient.clinic)
    context = {
        "program": program,
        "patient": program.episode.patient,
        "result": result,
        "week_chart": adherence_bars(
            result.weeks, title="Done vs prescribed per week", chart_id="wk"
        ),
        "exercise_chart": adherence_bars(
            result.exercises, title="Done vs prescribed per exercise", chart_id="ex"
        ),
        "feel_trends": queries.feel_trends(program),
    }
    return render(request, "programs/home/program_adherence.html", context)
