"""Clinic program templates: list, detail, edit, archive (the builder's views are in views.py)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from programs.home import services
from programs.home.forms import TemplateForm
from programs.home.models import ProgramTemplate
from rehab_clinic.accounts.decorators import clinic_admin_required, staff_required
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

# ---- Clinic templates -----------------------------------------------------------------------


def _templates(user: Any) -> Any:
    return ProgramTemplate.objects.filter(clinic_id=user.clinic_id, archived_at__isnull=True)


@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    templates = _templates(request.user).select_related("created_by")
    return render(request, "programs/home/template_list.html", {"templates": templates})


@staff_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request.user), pk=pk)
    context = {
        "template": template,
        "items": template.items.select_related("exercise"),
        "modalities": template.modalities.select_related("modality"),
    }
    return render(request, "programs/home/template_detail.html", context)


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request.user), pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_event(
            request=request,
            action=AuditEvent.Action.CHANGE,
            obj=template,
            detail=", ".join(form.changed_data),
        )
        messages.success(request, "Template saved.")
        return redirect("programs:template", pk=template.pk)
    return render(request, "programs/home/template_form.html", {"form": form, "template": template})


@clinic_admin_required
@require_POST
def template_archive(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request.user), pk=pk)
    services.archive_template(template=template, by=request.user, request=request)
    messages.success(request, f"Template “{template.name}” archived.")
    return redirect("programs:templates")
