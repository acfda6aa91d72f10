"""The clinic's home-program templates: list, read, edit and archive (a program is saved as
one from its builder, `views.program_save_template`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.home import template_services
from programs.home.forms import TemplateForm
from programs.home.models import ProgramTemplate
from rehab_clinic.accounts.decorators import clinic_admin_required, staff_required
from rehab_clinic.accounts.paging import page_of, query_without_page
from rehab_clinic.accounts.requests import StaffRequest

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

LIST_PAGE_SIZE = 50


def _templates(user: User) -> Any:
    return ProgramTemplate.objects.filter(clinic=user.home_clinic, archived_at__isnull=True)


@staff_required
@require_GET
def template_list(request: StaffRequest) -> HttpResponse:
    templates = _templates(request.user).select_related("created_by").order_by("name", "id")
    context = {
        "templates": page_of(request, templates, LIST_PAGE_SIZE),
        "query": query_without_page(request),
    }
    return render(request, "programs/home/template_list.html", context)


@staff_required
@require_GET
def template_detail(request: StaffRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request.user), pk=pk)
    context = {
        "template": template,
        "items": template.items.select_related("exercise"),
        "modalities": template.modalities.select_related("modality"),
    }
    return render(request, "programs/home/template_detail.html", context)


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request: StaffRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request.user), pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        template_services.save_template(
            template=form.save(commit=False), changed=form.changed_data, by=request.user
        )
        messages.success(request, "Template saved.")
        return redirect("programs:template", pk=template.pk)
    return render(request, "programs/home/template_form.html", {"form": form, "template": template})


@clinic_admin_required
@require_POST
def template_archive(request: StaffRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request.user), pk=pk)
    template_services.archive_template(template=template, by=request.user)
    messages.success(request, f"Template “{template.name}” archived.")
    return redirect("programs:templates")
