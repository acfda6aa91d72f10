"""Reads shared by the portal, the therapist pages and the panels. Each runs a fixed number of
queries whatever the program holds: items live in the version's JSON snapshot."""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from patients.models import Episode, Patient
from programs.home import adherence
from programs.home.charts import feel_trend
from programs.home.dosage import HoldTimer, describe_dosage, dosage_from_item, hold_timer
from programs.home.models import Completion, HomeProgram, ProgramVersion
from programs.home.services import LATE_COMPLETION_DAYS
from rehab_clinic.accounts.prepared import PreparedLookup

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User


def local_day(moment: Any, clinic: Clinic) -> date:
    return timezone.localtime(moment, clinic.zone).date()


def illustration_uri(svg: str) -> str:
    """An <img> source for the snapshot's SVG: an image cannot run scripts, inline SVG could."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _current_versions_of(patient_id: int) -> QuerySet[ProgramVersion]:
    latest = (
        ProgramVersion.objects.filter(program=OuterRef("program"))
        .order_by("-number")
        .values("number")[:1]
    )
    return (
        ProgramVersion.objects.filter(
            program__episode__patient=patient_id,
            program__episode__status=Episode.Status.ACTIVE,
            number=Subquery(latest),
        )
        .select_related("program__episode")
        .order_by("program__created_at", "program_id")
    )


# Every portal page (and the home's two panels) reads these: the SQL is compiled once.
_CURRENT_VERSIONS = PreparedLookup(_current_versions_of)


def current_versions(patient: Patient) -> list[ProgramVersion]:
    """The latest published version of each program on the patient's active episodes."""
    return _CURRENT_VERSIONS.all(patient.pk)


@dataclass
class DueItem:
    item: dict[str, Any]
    version: ProgramVersion
    sessions: list[tuple[int, bool]] = field(default_factory=list)
    # Sessions ticked today (they can still be undone) and sessions ticked on a later day.
    undoable: set[int] = field(default_factory=set)
    late: set[int] = field(default_factory=set)
    day: date | None = None

    @property
    def done(self) -> bool:
        return all(done for _, done in self.sessions)

    @property
    def done_count(self) -> int:
        return sum(1 for _, done in self.sessions if done)

    @property
    def session_rows(self) -> list[tuple[int, bool, str, bool]]:
        """Each session as (number, done, its label's suffix, undoable), for the tick forms:
        the suffix is " (session n)" when the item is due more than once that day."""
        several = len(self.sessions) > 1
        return [
            (n, done, f" (session {n})" if several else "", n in self.undoable)
            for n, done in self.sessions
        ]

    @property
    def illustration(self) -> str:
        return illustration_uri(self.item.get("illustration_svg", ""))

    @property
    def dosage(self) -> str:
        """Worded exactly as the printed PDF words it."""
        return describe_dosage(dosage_from_item(self.item))

    @property
    def hold_timer(self) -> HoldTimer | None:
        return hold_timer(self.item)


def entries_for(version: ProgramVersion) -> list[DueItem]:
    """Every item of a version, for read-only pages (no tick state)."""
    return [DueItem(item=item, version=version) for item in version.items]


Done = dict[tuple[int, str, date, int], date]


def _done_sessions(versions: list[ProgramVersion], first: date, last: date, clinic: Clinic) -> Done:
    """Each ticked session in the range, with the (clinic-local) day it was ticked on."""
    if not versions:
        return {}
    rows = Completion.objects.filter(
        program_id__in=[v.program_id for v in versions], day__range=(first, last)
    ).values_list("program_id", "item_key", "day", "session", "recorded_at")
    return {
        (program_id, str(key), day, session): local_day(recorded_at, clinic)
        for program_id, key, day, session, recorded_at in rows
    }


def due_on(
    versions: list[ProgramVersion], day: date, done: Done, today: date | None = None
) -> list[DueItem]:
    due = []
    for version in versions:
        for item in version.items:
            count = adherence.sessions_due(
                times_per_day=int(item["times_per_day"]),
                days_per_week=int(item["days_per_week"]),
                day=day,
            )
            if count:
                ticked = {
                    n: done[(version.program_id, item["key"], day, n)]
                    for n in range(1, count + 1)
                    if (version.program_id, item["key"], day, n) in done
                }
                sessions = [(n, n in ticked) for n in range(1, count + 1)]
                due.append(
                    DueItem(
                        item=item,
                        version=version,
                        sessions=sessions,
                        undoable={n for n, on in ticked.items() if on == today},
                        late={n for n, on in ticked.items() if on > day},
                        day=day,
                    )
                )
    return due


def today_for(patient: Patient) -> dict[str, Any]:
    today = patient.clinic.today()
    versions = current_versions(patient)
    first = today - timedelta(days=LATE_COMPLETION_DAYS)
    done = _done_sessions(versions, first, today, patient.clinic)
    items = due_on(versions, today, done, today)
    return {
        "today": today,
        "versions": versions,
        "items": items,
        "done_count": sum(1 for i in items if i.done),
        "sessions_done": sum(i.done_count for i in items),
        "sessions_due": sum(len(i.sessions) for i in items),
        "catch_up": _missed(versions, first, today, done, patient.clinic),
        "pain_scale": range(11),
        "modalities": [m for v in versions for m in v.modalities],
    }


def _missed(
    versions: list[ProgramVersion], first: date, today: date, done: Done, clinic: Clinic
) -> list[Any]:
    """The last week's days (newest first) with a session not ticked, from the day each
    program was started: what a patient who forgot can still tick, marked as late."""
    days = []
    for back in range(1, (today - first).days + 1):
        day = today - timedelta(days=back)
        started = [v for v in versions if local_day(v.program.created_at, clinic) <= day]
        items = [i for i in due_on(started, day, done, today) if not i.done]
        if items:
            days.append({"day": day, "items": items})
    return days


def week_for(patient: Patient) -> dict[str, Any]:
    today = patient.clinic.today()
    monday = adherence.week_start(today)
    versions = current_versions(patient)
    done = _done_sessions(versions, monday, monday + timedelta(days=6), patient.clinic)
    days = [
        {"day": day, "items": due_on(versions, day, done, today), "is_today": day == today}
        for day in (monday + timedelta(days=n) for n in range(7))
    ]
    return {"today": today, "versions": versions, "days": days}


# A version's items as adherence counts them: (key, name, times a day, days a week).
PlanItems = list[tuple[str, str, int, int]]


def _plan_key(version: ProgramVersion) -> str:
    stamp = version.published_at.timestamp()
    return f"home:plan-items:{version.pk}:{version.program_id}:{version.number}:{stamp}"


def plan_items(versions: list[ProgramVersion]) -> dict[int, PlanItems]:
    """Each version's items as adherence counts them, by version id. A version never changes
    once published, so this summary is kept in the process's cache: a version read without
    its snapshot costs its `counted` fields once, in one query for all."""
    found: dict[int, PlanItems] = {}
    keys: dict[int, str] = {}
    for version in versions:
        if "snapshot" in version.get_deferred_fields():
            keys[version.pk] = _plan_key(version)
        else:
            found[version.pk] = _items_of(version.snapshot.get("items", []))
    if keys:
        cached = cache.get_many(list(keys.values()))
        found.update({pk: cached[key] for pk, key in keys.items() if key in cached})
        missing = [pk for pk, key in keys.items() if key not in cached]
        if missing:
            read = ProgramVersion.objects.filter(pk__in=missing).values_list("pk", "counted")
            fresh = {pk: _items_of(counted) for pk, counted in read}
            cache.set_many({keys[pk]: items for pk, items in fresh.items()}, timeout=None)
            found.update(fresh)
    return found


def _items_of(items: list[dict[str, Any]]) -> PlanItems:  # a snapshot's items, or `counted`
    return [
        (item["key"], item["name"], int(item["times_per_day"]), int(item["days_per_week"]))
        for item in items
    ]


def item_plans(versions: list[ProgramVersion], clinic: Clinic) -> list[adherence.ItemPlan]:
    """The latest version's items, each counted from the day it first appeared."""
    if not versions:
        return []
    items = plan_items(versions)
    first_seen: dict[str, date] = {}
    for version in sorted(versions, key=lambda v: v.number):
        for key, *_ in items[version.pk]:
            first_seen.setdefault(key, local_day(version.published_at, clinic))
    latest = max(versions, key=lambda v: v.number)
    return [
        adherence.ItemPlan(
            key=key,
            name=name,
            times_per_day=times_per_day,
            days_per_week=days_per_week,
            start=first_seen[key],
        )
        for key, name, times_per_day, days_per_week in items[latest.pk]
    ]


@dataclass
class Adherence:
    weeks: list[adherence.Tally]
    exercises: list[adherence.Tally]
    first: date
    last: date

    @property
    def overall(self) -> int | None:
        return adherence.percent(
            sum(t.done for t in self.weeks), sum(t.prescribed for t in self.weeks)
        )


def adherence_for_programs(
    programs: list[HomeProgram], clinic: Clinic, *, weeks: int = 6
) -> Adherence:
    """Done versus prescribed over the last `weeks` weeks, across the given programs."""
    today = clinic.today()
    first = adherence.week_start(today) - timedelta(weeks=weeks - 1)
    versions_by_program: dict[int, list[ProgramVersion]] = defaultdict(list)
    read = ProgramVersion.objects.filter(program__in=programs).defer("snapshot")
    for version in read.order_by("number"):
        versions_by_program[version.program_id].append(version)
    plans = [
        plan for versions in versions_by_program.values() for plan in item_plans(versions, clinic)
    ]
    if plans:
        first = max(first, min(plan.start for plan in plans))
    completions = [
        (str(key), day)
        for key, day in Completion.objects.filter(
            program__in=programs, day__range=(first, today)
        ).values_list("item_key", "day")
    ]
    return Adherence(
        weeks=adherence.by_week(plans, completions, first, today),
        exercises=adherence.by_exercise(plans, completions, first, today),
        first=first,
        last=today,
    )


def versions_for_timeline(patient: Patient) -> list[ProgramVersion]:
    # Without the snapshot (the whole program with its drawings, ~40 KB a version): the
    # timeline shows the program's title, the number and who published it.
    return list(
        ProgramVersion.objects.filter(program__episode__patient=patient)
        .defer("snapshot")
        .select_related("published_by", "program")
        .order_by("-published_at")
    )


@dataclass(frozen=True)
class AttentionRow:
    patient: Patient
    inactive_days: int
    last_activity: date | None


def needing_attention(user: User, limit: int) -> tuple[list[AttentionRow], int]:
    """The user's patients (their own and the unassigned: `in_care_of`) with a published
    program on an active episode and no tick for 3+ clinic days: the `limit` longest idle and
    how many there are. The database filters, orders and counts (two queries), so the rows read
    are bounded by the panel, and the work by the therapist's own caseload, not the clinic's."""
    clinic = user.home_clinic
    today = clinic.today()
    # Idle for N+ clinic days <=> the last activity came before the start of day today-(N-1).
    cutoff = datetime.combine(
        today - timedelta(days=adherence.ATTENTION_AFTER_DAYS - 1), time.min, tzinfo=clinic.zone
    )
    active_versions = ProgramVersion.objects.filter(
        program__episode__patient=OuterRef("pk"),
        program__episode__status=Episode.Status.ACTIVE,
    )
    patients = (
        Patient.objects.visible_to(user)
        .in_care_of(user)
        .annotate(
            program_since=Subquery(
                active_versions.order_by("published_at").values("published_at")[:1]
            ),
            last_tick=Subquery(
                Completion.objects.filter(
                    patient=OuterRef("pk"), program__episode__status=Episode.Status.ACTIVE
                )
                .order_by("-recorded_at")
                .values("recorded_at")[:1]
            ),
        )
        .filter(program_since__isnull=False)
        .annotate(latest=Greatest("program_since", Coalesce("last_tick", "program_since")))
        .filter(latest__lt=cutoff)
        .select_related("primary_therapist")
        .order_by("latest", "last_name", "pk")
    )
    page, total = list(patients[:limit]), patients.count()
    rows = []
    for patient in page:
        # Both annotated by the query above (django-stubs cannot see annotations).
        last_tick, since_at = patient.last_tick, patient.program_since  # type: ignore[attr-defined]
        last = local_day(last_tick, clinic) if last_tick else None
        since = local_day(since_at, clinic)
        days = adherence.days_inactive(last_activity=last, active_since=since, today=today)
        rows.append(AttentionRow(patient=patient, inactive_days=days, last_activity=last))
    return rows, total


def feel_trends(program: HomeProgram) -> list[dict[str, Any]]:
    """Per exercise, the pain and difficulty the patient gave with the ticks (one query): what
    the therapist reads beside adherence. Exercises nothing was said about are left out."""
    names = {}
    latest = program.versions.order_by("-number").first()
    for item in latest.items if latest else []:
        names[item["key"]] = item["name"]
    said: dict[str, list[tuple[date, int | None, str]]] = defaultdict(list)
    rows = (
        Completion.objects.filter(program=program)
        .exclude(pain__isnull=True, difficulty="")
        .order_by("day", "session")
        .values_list("item_key", "day", "pain", "difficulty")
    )
    for key, day, pain, feel in rows:
        said[str(key)].append((day, pain, feel))
    return [
        {
            "name": names.get(key, "An earlier exercise"),
            "chart": feel_trend(
                points, title=f"Pain with each tick: {names.get(key, '')}", chart_id=f"feel-{n}"
            ),
        }
        for n, (key, points) in enumerate(said.items())
    ]
