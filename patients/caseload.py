"""The caseload: every patient the therapist can see, with what tells them who needs care.

Columns, filters and sort keys beyond the patient's own come from the apps that own the data
(`patients.hooks.register_caseload_*`). Each runs a fixed number of queries for the page's rows,
so the page's query count does not grow with the number of patients.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from patients.forms import CaseloadSearchForm
from patients.hooks import registry, render_panels
from patients.models import Episode, Patient
from rehab_clinic.accounts.decorators import therapist_required
from rehab_clinic.accounts.paging import page_of
from rehab_clinic.accounts.requests import StaffRequest

CASELOAD_PAGE_SIZE = 25

# Sort keys of the patient's own fields; apps add theirs (last visit) through the registry.
OWN_SORTS = {
    "name": ("Name", ("last_name", "first_name", "id")),
    "mrn": ("Record number", ("mrn", "id")),
    "next_visit": ("Next visit", ("next_visit", "last_name", "id")),
}


def _sorted(patients: QuerySet[Patient], sort: str) -> tuple[QuerySet[Patient], str]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key in OWN_SORTS:
        first, *rest = OWN_SORTS[key][1]
        # Patients without a next visit sort last either way.
        order = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True)
        return patients.order_by(order, *rest), sort
    if key in registry.caseload_sorts:
        return registry.caseload_sorts[key].apply(patients, descending), sort
    return patients.order_by(*OWN_SORTS["name"][1]), "name"


def _active_episodes(patients: list[Patient]) -> dict[int, list[Episode]]:
    episodes: dict[int, list[Episode]] = defaultdict(list)
    for episode in Episode.objects.filter(
        patient__in=patients, status=Episode.Status.ACTIVE
    ).order_by("-created_at", "-id"):
        episodes[episode.patient_id].append(episode)
    return episodes


@therapist_required
@require_GET
def caseload(request: StaffRequest) -> HttpResponse:
    user = request.user
    today = user.home_clinic.today()
    search = CaseloadSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    next_visit = (
        Episode.objects.filter(patient=OuterRef("pk"), status=Episode.Status.ACTIVE)
        .order_by()
        .values("patient")
        .annotate(first=Min("next_visit"))
        .values("first")
    )
    patients: QuerySet[Patient] = (
        Patient.objects.visible_to(user)
        .search(query)
        .select_related("primary_therapist")
        .annotate(next_visit=Subquery(next_visit))
    )
    mine = request.GET.get("mine") == "1"
    if mine:
        patients = patients.filter(primary_therapist=user)
    active_filters = {"mine": mine}
    for key, choice in registry.caseload_filters.items():
        active_filters[key] = request.GET.get(key) == "1"
        if active_filters[key]:
            patients = choice.apply(patients, user, today)
    patients, sort = _sorted(patients, request.GET.get("sort", "name"))
    # Counted no further than a look-ahead past the page: the clinic's whole list is 10,000
    # patients at a large clinic, and a count of them all is a scan on every visit.
    page = page_of(request, patients, CASELOAD_PAGE_SIZE)
    rows = list(page.object_list)
    episodes = _active_episodes(rows)
    columns: dict[int, dict[str, Any]] = defaultdict(dict)
    for provider in registry.caseload_columns:
        for pk, values in provider(user, rows, today).items():
            columns[pk].update(values)
    kept = {"q": search.data.get("q", "")[:100], "sort": sort}
    kept |= {key: "1" for key, on in active_filters.items() if on}
    context = {
        "page": page,
        "rows": [
            {"patient": p, "episode": next(iter(episodes[p.pk]), None), **columns[p.pk]}
            for p in rows
        ],
        "query": kept["q"],
        "search_error": search.errors.get("q"),
        "mine": mine,
        "sort": sort,
        "filters": [
            {"key": key, "label": choice.label, "on": active_filters[key]}
            for key, choice in registry.caseload_filters.items()
        ],
        "sorts": [(k, label) for k, (label, _) in OWN_SORTS.items()]
        + [(k, c.label) for k, c in registry.caseload_sorts.items()],
        "page_query": urlencode({k: v for k, v in kept.items() if v}),
        "panels": render_panels(registry.dashboard, user),
    }
    template = "patients/_caseload_results.html" if request.htmx else "patients/caseload.html"
    return render(request, template, context)
