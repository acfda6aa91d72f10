"""The staff member's notifications: the list, one click to the page, marking read, choices."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehab_clinic.accounts.decorators import staff_required
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.notifications import services
from rehab_clinic.notifications.forms import AlertPreferenceForm
from rehab_clinic.notifications.models import Notification

PAGE_SIZE = 50


def _own(request: StaffRequest, pk: int) -> Notification:
    """Another person's, another clinic's, or an archived patient's: 404, as if none existed."""
    return get_object_or_404(services.visible_notifications(request.user), pk=pk)


@staff_required
@require_GET
def notification_list(request: StaffRequest) -> HttpResponse:
    notifications = services.visible_notifications(request.user).select_related("patient")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": services.unread_count(request.user)},
    )


@staff_required
@require_POST
def notification_open(request: StaffRequest, pk: int) -> HttpResponse:
    """Mark read and go to the page that shows what happened: one click from the list. A POST,
    since it writes (the email links to the list, which a GET only reads)."""
    notification = _own(request, pk)
    services.mark_read(notification=notification, by=request.user)
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.link)


@staff_required
@require_POST
def notification_read(request: StaffRequest, pk: int) -> HttpResponse:
    services.mark_read(notification=_own(request, pk), by=request.user)
    return redirect("notifications:list")


@staff_required
@require_POST
def notification_read_all(request: StaffRequest) -> HttpResponse:
    services.mark_all_read(by=request.user)
    messages.success(request, "All notifications are marked read.")
    return redirect("notifications:list")


@staff_required
@require_http_methods(["GET", "POST"])
def preferences(request: StaffRequest) -> HttpResponse:
    preference = services.preference_of(request.user)
    form = AlertPreferenceForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            user=request.user,
            deliveries=form.deliveries(),
            digest_hour=form.cleaned_data["digest_hour"],
        )
        messages.success(request, "Your alert choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
