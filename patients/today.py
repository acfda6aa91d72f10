"""The therapist's Today page: one section per queue, each item one click from the fix.

The queues come from the apps that own the data (`patients.hooks.register_today_queue`); this
module owns the page, the "see all" page of one queue, and the one queue whose data is
patients' own: portal invitations not accepted (docs/therapist_day.md).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from patients.hooks import Queue, QueueItem, registry, take, today_queues
from patients.models import Patient
from rehab_clinic.accounts.decorators import therapist_required
from rehab_clinic.accounts.models import Invitation, User
from rehab_clinic.accounts.requests import StaffRequest

TODAY_TOP = 5
SEE_ALL_LIMIT = 500
INVITATION_WAIT_DAYS = 3


@therapist_required
@require_GET
def today(request: StaffRequest) -> HttpResponse:
    clinic_today = request.user.home_clinic.today()
    queues = today_queues(request.user, clinic_today, TODAY_TOP)
    context = {
        "queues": queues,
        "total": sum(q.count for q in queues),
        "today": clinic_today,
        "top": TODAY_TOP,
    }
    return render(request, "patients/today.html", context)


@therapist_required
@require_GET
def today_queue(request: StaffRequest, key: str) -> HttpResponse:
    if key not in registry.today:
        raise Http404
    _, provider = registry.today[key]
    queue = provider(request.user, request.user.home_clinic.today(), SEE_ALL_LIMIT)
    return render(request, "patients/today_queue.html", {"queue": queue, "limit": SEE_ALL_LIMIT})


def invitations_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    """Portal invitations sent more than 3 days ago that nobody accepted: resend from the chart
    (a new invitation replaces the old one, so the item goes once it is accepted or the
    patient has an account)."""
    cutoff = timezone.now() - dt.timedelta(days=INVITATION_WAIT_DAYS)
    patients = Patient.objects.visible_to(user).in_care_of(user).filter(user__isnull=True)
    newer = Invitation.objects.filter(
        patient=OuterRef("patient"), created_at__gt=OuterRef("created_at")
    )
    waiting = (
        Invitation.objects.filter(
            role=User.Role.PATIENT,
            patient__in=patients,
            used_at__isnull=True,
            revoked_at__isnull=True,
            created_at__lte=cutoff,
        )
        .exclude(Exists(newer))
        .select_related("patient")
        .order_by("created_at", "id")
    )
    rows, count = take(waiting, limit)
    return Queue(
        key="invitations",
        title="Portal invitations not accepted",
        rule=f"Sent more than {INVITATION_WAIT_DAYS} days ago and not accepted.",
        items=[
            QueueItem(
                patient=invitation.patient,
                title=f"Invited {invitation.created_at:%d %b} ({invitation.email})",
                url=reverse("patients:chart", args=[invitation.patient_id]),
                detail="Resend the invitation or check the email address.",
                when=invitation.created_at.date(),
            )
            for invitation in rows
        ],
        count=count,
    )
