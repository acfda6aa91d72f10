"""The runner's calendar feed: valid RFC 5545 (checked with a small parser written here), the
planned runs and rest days of their active plan only, at a secret link that can be revoked."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from programs.running import services
from programs.running.calendar_feed import FEED_DAYS
from programs.running.calendar_models import CalendarFeed, hash_feed_token
from programs.running.calendar_services import make_calendar_link, revoke_calendar_link
from programs.running.ical import escape_text, fold_line
from programs.running.wording import stage_summary
from rehab_clinic.audit.models import AuditEvent
from tests.builders import log_run, make_plan
from tests.factories import EpisodeFactory, make_patient_user

# --- A small RFC 5545 reader: enough to check what we write, strict where we must be ----------


def _physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n"), "the last line ends in CRLF too"
    lines = body[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line, "bare LF"
        assert b"\r" not in line, "bare CR"
        assert len(line) <= 75, f"a line of {len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold never cuts a character in two
    return lines


def _unfold(body: bytes) -> list[str]:
    logical: list[str] = []
    for line in _physical_lines(body):
        text = line.decode("utf-8")
        if text.startswith((" ", "\t")):
            assert logical, "a continuation before any line"
            logical[-1] += text[1:]
        else:
            logical.append(text)
    return logical


def _unescape(value: str) -> str:
    out, chars = "", iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            assert following in "\\;,nN", f"unknown escape \\{following}"
            out += "\n" if following in "nN" else following
        else:
            assert char not in ";,", f"an unescaped {char!r} in a TEXT value: {value!r}"
            out += char
    return out


def parse_calendar(body: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The calendar's own properties and its events, as {"NAME;PARAMS": value}."""
    lines = _unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    calendar: dict[str, str] = {}
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[A-Z0-9-]+)*", name), line
        if line == "BEGIN:VEVENT":
            assert current is None, "nested VEVENT"
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        else:
            target = current if current is not None else calendar
            assert name not in target, f"{name} twice"
            target[name] = value
    assert current is None
    return calendar, events


# --- The writer on its own -------------------------------------------------------------------


def test_text_values_escape_backslash_semicolon_comma_and_newline() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert _unescape(escape_text("Walk 5 min, then run; rest \\ repeat\n")) == (
        "Walk 5 min, then run; rest \\ repeat\n"
    )


@pytest.mark.parametrize("text", ["x" * 200, "é" * 120, "Run: " + "5 × (run 1 min) " * 12])  # noqa: RUF001
def test_long_lines_fold_at_75_octets_and_unfold_to_the_same(text: str) -> None:
    folded = (fold_line("SUMMARY:" + text) + "\r\n").encode("utf-8")
    assert _unfold(folded) == ["SUMMARY:" + text]
    assert len(_physical_lines(folded)) > 1


# --- The feed ---------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _feed_url(token: str) -> str:
    return reverse("programs:rtr_calendar_feed", args=[token])


@pytest.fixture
def plan(episode: Any, therapist: Any) -> Any:
    today = episode.patient.clinic.today()
    return make_plan(episode, therapist, started_on=today - dt.timedelta(days=10))


def _expected(plan: Any, first_run: dt.date) -> dict[dt.date, str]:
    stage = plan.stages.get(number=plan.current_stage)
    run = "Run: " + stage_summary(stage, plan.kind, plan.episode.patient.clinic)
    today = plan.episode.patient.clinic.today()
    every = stage.rest_days_between + 1
    expected = {}
    for offset in range(FEED_DAYS):
        day = today + dt.timedelta(days=offset)
        is_run = day >= first_run and (day - first_run).days % every == 0
        expected[day] = run if is_run else "Rest day"
    return expected


def _days(events: list[dict[str, str]]) -> dict[dt.date, str]:
    found = {}
    for event in events:
        start = dt.date.fromisoformat(event["DTSTART;VALUE=DATE"])
        end = dt.date.fromisoformat(event["DTEND;VALUE=DATE"])
        assert end == start + dt.timedelta(days=1)
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
        assert event["UID"].startswith("rtr-")
        found[start] = _unescape(event["SUMMARY"])
    return found


def test_the_feed_lists_the_planned_runs_and_rest_days(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    today = patient.clinic.today()
    log_run(plan, patient_user, today)  # ran today: the next run is after the rest days
    plan.refresh_from_db()
    stage = plan.stages.get(number=plan.current_stage)
    assert stage.rest_days_between >= 1
    _feed, token = make_calendar_link(patient=patient, by=patient_user)

    response = client.get(_feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = parse_calendar(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["X-WR-TIMEZONE"] == str(patient.clinic.zone)
    found = _days(events)
    first_run = today + dt.timedelta(days=stage.rest_days_between + 1)
    assert found == _expected(plan, first_run)
    assert found[today] == "Rest day"
    assert set(found.values()) == {"Rest day", _expected(plan, first_run)[first_run]}
    assert "," in _expected(plan, first_run)[first_run]  # the escaping was exercised
    # Nothing clinical: not the plan's name, the episode or the pain scores.
    body = response.content.decode()
    assert plan.name not in body
    assert "pain" not in body.lower()
    # UIDs are one per plan and day, and the same on the next fetch.
    again = _days(parse_calendar(client.get(_feed_url(token)).content)[1])
    assert again == found
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    assert uids == [e["UID"] for e in parse_calendar(client.get(_feed_url(token)).content)[1]]


def test_the_days_are_the_clinics_days_in_another_time_zone(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    # Whichever of UTC+14 and UTC-11 has another date than UTC right now (one always has).
    utc_day = timezone.now().astimezone(dt.UTC).date()
    zone = next(
        name
        for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
        if timezone.localdate(timezone=zoneinfo.ZoneInfo(name)) != utc_day
    )
    clinic = patient.clinic
    clinic.timezone = zone
    clinic.save(update_fields=["timezone"])
    _feed, token = make_calendar_link(patient=patient, by=patient_user)
    calendar, events = parse_calendar(client.get(_feed_url(token)).content)
    assert calendar["X-WR-TIMEZONE"] == zone
    found = _days(events)
    clinic_today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    assert min(found) == clinic_today != utc_day
    assert found[clinic_today].startswith("Run: ")  # no run logged yet: today is a run day


def test_a_revoked_or_replaced_link_is_404(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    _feed, old = make_calendar_link(patient=patient, by=patient_user)
    assert client.get(_feed_url(old)).status_code == 200
    _feed, new = make_calendar_link(patient=patient, by=patient_user)
    assert client.get(_feed_url(old)).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200
    assert revoke_calendar_link(patient=patient, by=patient_user)
    assert client.get(_feed_url(new)).status_code == 404
    assert not revoke_calendar_link(patient=patient, by=patient_user)
    assert client.get(_feed_url("x" * 43)).status_code == 404
    assert client.get(_feed_url("short")).status_code == 404


def test_only_the_hash_is_stored(patient: Any, patient_user: Any) -> None:
    feed, token = make_calendar_link(patient=patient, by=patient_user)
    assert feed.token_hash == hash_feed_token(token)
    assert token not in str(list(CalendarFeed.objects.values_list()))


def test_a_token_reaches_its_own_patients_plan_only(
    client: Any, clinic: Any, therapist: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    other_user = make_patient_user(clinic, first_name="Otto", last_name="Other")
    other_plan = make_plan(EpisodeFactory(patient=other_user.patient), therapist)
    _feed, mine = make_calendar_link(patient=patient, by=patient_user)
    _feed, theirs = make_calendar_link(patient=other_user.patient, by=other_user)
    my_uids = {e["UID"] for e in parse_calendar(client.get(_feed_url(mine)).content)[1]}
    their_uids = {e["UID"] for e in parse_calendar(client.get(_feed_url(theirs)).content)[1]}
    assert my_uids
    assert all(uid.startswith(f"rtr-{plan.pk}-") for uid in my_uids)
    assert all(uid.startswith(f"rtr-{other_plan.pk}-") for uid in their_uids)


def test_an_archived_patients_link_is_404(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    _feed, token = make_calendar_link(patient=patient, by=patient_user)
    patient.archive(by=patient.primary_therapist, reason="moved away")
    assert client.get(_feed_url(token)).status_code == 404


def test_a_paused_plan_tells_the_calendar_no_runs(
    client: Any, patient: Any, patient_user: Any, therapist: Any, plan: Any
) -> None:
    services.pause_plan(plan=plan, by=therapist, note="Sore knee")
    _feed, token = make_calendar_link(patient=patient, by=patient_user)
    assert parse_calendar(client.get(_feed_url(token)).content)[1] == []


def test_fetching_the_feed_writes_nothing(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    _feed, token = make_calendar_link(patient=patient, by=patient_user)
    before = {m._meta.label: m.objects.count() for m in apps.get_models()}
    assert client.get(_feed_url(token)).status_code == 200
    assert client.get(_feed_url("nope" * 8)).status_code == 404
    assert before == {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_the_runner_makes_and_turns_off_the_link_on_the_portal(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    today_url = reverse("programs:rtr_portal_today")
    assert "Make my calendar link" in client.get(today_url).content.decode()
    made = client.post(reverse("programs:rtr_calendar_link"))
    assert made.status_code == 302  # then GET: a reload shows the link, never makes another
    response = client.get(made["Location"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the link is shown once, never cached
    url = re.search(r'value="(http[^"]+\.ics)"', response.content.decode())
    assert url is not None
    assert client.get(url.group(1)).status_code == 200
    assert "Your calendar link is on" in client.get(today_url).content.decode()
    assert AuditEvent.objects.filter(detail="Calendar link made", patient=patient).exists()

    assert client.get(reverse("programs:rtr_calendar_revoke")).status_code == 405
    off = client.post(reverse("programs:rtr_calendar_revoke"))
    assert "Your calendar link is off" in off.content.decode()
    assert client.get(url.group(1)).status_code == 404
    assert AuditEvent.objects.filter(detail="Calendar link turned off", patient=patient).exists()


def test_a_double_tap_on_turn_off_does_not_say_there_was_no_link(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    """The second tap's answer is the page the runner sees: it must not tell them there was no
    link on, when their first tap has just turned it off."""
    client.force_login(patient_user)
    client.post(reverse("programs:rtr_calendar_link"))
    client.post(reverse("programs:rtr_calendar_revoke"))
    second = client.post(reverse("programs:rtr_calendar_revoke")).content.decode()
    assert "there was no link on" not in second
    assert "calendars using it stop updating" in second
    assert AuditEvent.objects.filter(detail="Calendar link turned off").count() == 1
    # With no link ever made, the page says so.
    CalendarFeed.objects.all().delete()
    assert (
        "there was no link on"
        in client.post(reverse("programs:rtr_calendar_revoke")).content.decode()
    )


def test_a_reload_of_the_link_page_shows_the_same_link_and_keeps_it_working(
    client: Any, patient: Any, patient_user: Any, plan: Any
) -> None:
    """The runner adds the link to their calendar, then reloads the page (or comes Back to it):
    the same link again, still answering; it was a new link each time, which stopped the one
    just added."""
    client.force_login(patient_user)
    page = client.get(client.post(reverse("programs:rtr_calendar_link"))["Location"])
    first = re.search(r'value="(http[^"]+\.ics)"', page.content.decode())
    assert first is not None
    again = client.get(reverse("programs:rtr_calendar_link")).content.decode()
    assert first.group(1) in again
    assert client.get(first.group(1)).status_code == 200
    assert CalendarFeed.objects.count() == 1
    assert AuditEvent.objects.filter(detail="Calendar link made").count() == 1


def test_the_link_page_stops_showing_the_link_when_it_is_old_or_turned_off(
    client: Any, patient: Any, patient_user: Any, plan: Any, monkeypatch: Any
) -> None:
    from programs.running import calendar_views

    client.force_login(patient_user)
    client.post(reverse("programs:rtr_calendar_link"))
    url = reverse("programs:rtr_calendar_link")
    client.post(reverse("programs:rtr_calendar_revoke"))
    off = client.get(url).content.decode()
    assert 'data-testid="calendar-link-not-shown"' in off
    assert ".ics" not in off
    monkeypatch.setattr(calendar_views, "SHOWN_SECONDS", -1)
    client.post(url)  # shown until a moment ago
    old = client.get(url).content.decode()
    assert 'data-testid="calendar-link-not-shown"' in old
    assert ".ics" not in old
