"""What therapist and patient see in Chromium: build, publish, tick off, adherence, and a tick
that survives a dropped connection. Accessibility of the portal at phone size."""

import re
from typing import Any

import pytest

from programs.home.models import Completion, ProgramTemplate, TemplateItem, TemplateModality
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_program
from tests.factories import HomeModalityFactory, ProgramExerciseFactory

# serialized_rollback: put back the rows data migrations made (the library vocabulary), which
# the flush after a transactional test would otherwise remove for every later test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def _template(clinic: Any) -> ProgramTemplate:
    template = ProgramTemplate.objects.create(clinic=clinic, name="Patellofemoral pain, phase 1")
    for n, name in enumerate(["Straight leg raise", "Wall sit", "Side-lying hip abduction"]):
        TemplateItem.objects.create(
            template=template,
            exercise=ProgramExerciseFactory(name=name),
            position=n,
            sets=3,
            reps=12,
        )
    TemplateModality.objects.create(
        template=template,
        modality=HomeModalityFactory(name="Cold pack"),
        instructions="Ice 15 minutes after each run.",
    )
    ProgramExerciseFactory(name="Spanish squat")
    return template


def test_therapist_builds_publishes_and_sees_the_patient_tick_off(
    live_server: Any, browser: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    _template(therapist.clinic)
    desk = browser.new_page()
    login(desk, therapist)
    desk.goto(f"{live_server.url}/patients/episodes/{episode.pk}/")
    desk.get_by_role("link", name="New home program").click()
    desk.get_by_label("Start from a clinic template").select_option(
        label="Patellofemoral pain, phase 1"
    )
    desk.get_by_role("button", name="Start program").click()
    desk.get_by_role("heading", name="Patellofemoral pain, phase 1").wait_for()
    assert desk.locator("article.program-item").count() == 3

    # Edit a dosage in place (htmx swaps the card; no page load).
    card = desk.locator("article.program-item").first
    card.get_by_label("Sets").fill("4")
    card.get_by_label("Load or band colour").fill("red band")
    desk.evaluate("window.noReload = true")
    card.get_by_role("button", name="Save dosage").click()
    desk.locator("article.program-item").first.get_by_text("Saved.").wait_for()
    card = desk.locator("article.program-item").first
    card.get_by_label("Sets").fill("42")
    card.get_by_role("button", name="Save dosage").click()
    desk.get_by_text("less than or equal to 10").wait_for()
    # A card that is not saved holds back changes that would redraw it; fixed, it saves itself.
    card = desk.locator("article.program-item").first
    card.get_by_label("Sets").fill("4")
    card.get_by_label("Sets").blur()
    desk.locator("article.program-item").first.get_by_text("Saved.").wait_for()

    # Search the library inline and add an exercise.
    desk.get_by_label("Search the library").fill("spanish")
    desk.locator("#library-results").get_by_role("button", name="Add Spanish squat").wait_for()
    desk.get_by_role("button", name="Add Spanish squat").click()
    desk.locator("#program-items").get_by_role("heading", name="Spanish squat").wait_for()
    assert desk.evaluate("window.noReload") is True

    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Publish to patient").click()
    desk.get_by_text("Version 1 published").wait_for()
    desk.get_by_role("link", name="Adherence").first.click()
    assert desk.get_by_test_id("overall-adherence").inner_text() == "0%"

    phone_context = browser.new_context(viewport=PHONE)
    phone = phone_context.new_page()
    login(phone, patient_user)
    phone.get_by_role("heading", name="Today").wait_for()
    # Worded as the printed PDF words it (programs.home.dosage.describe_dosage).
    phone.get_by_text(re.compile(r"^4 sets of 12\b.* with red band")).wait_for()
    phone.get_by_role("button", name="Mark done: Straight leg raise", exact=True).click()
    phone.get_by_role("button", name="Done: Straight leg raise", exact=True).wait_for()
    phone.get_by_role("button", name="Mark done: Spanish squat", exact=True).click()
    phone.get_by_role("button", name="Done: Spanish squat", exact=True).wait_for()
    phone.reload()
    phone.get_by_role("button", name="Done: Straight leg raise", exact=True).wait_for()
    assert Completion.objects.count() == 2

    desk.reload()
    assert desk.get_by_test_id("overall-adherence").inner_text() == "50%"
    phone_context.close()


def _tick_offline(
    live_server: Any, browser: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> tuple[Any, Any, str]:
    """The patient ticks the one exercise of a fresh program while the tick cannot be sent."""
    make_program(episode, therapist, items=1)
    name = episode.home_programs.get().items.get().exercise.name
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/today/")
    page.route("**/done/", lambda route: route.abort())
    page.get_by_role("button", name=f"Mark done: {name}", exact=True).click()
    page.get_by_text("It will be sent when you are back online").wait_for()
    return context, page, name


def test_a_tick_made_offline_is_kept_and_sent_when_back_online(
    live_server: Any, browser: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    context, page, name = _tick_offline(
        live_server, browser, login, therapist, patient_user, episode
    )
    assert Completion.objects.count() == 0
    queued = page.evaluate("window.localStorage.getItem('programs.pendingTicks.v1')")
    assert name not in queued
    assert '"session":"1"' in queued

    # Still queued after a reload: never silently lost.
    page.reload()
    page.get_by_text("It will be sent when you are back online").wait_for()
    page.unroute("**/done/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_role("button", name=f"Done: {name}", exact=True).wait_for()
    assert Completion.objects.count() == 1
    assert page.evaluate("window.localStorage.getItem('programs.pendingTicks.v1')") == "[]"
    context.close()


def test_a_tick_queued_before_the_portal_moved_is_sent_to_the_new_path(
    live_server: Any, browser: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    """The old path answers a POST with 405 now; the queue must not keep retrying it forever."""
    context, page, name = _tick_offline(
        live_server, browser, login, therapist, patient_user, episode
    )
    # As a phone that queued the tick on the old page would have it.
    page.evaluate(
        """() => {
          const key = 'programs.pendingTicks.v1';
          const queue = JSON.parse(localStorage.getItem(key));
          queue.forEach((tick) => {
            tick.url = tick.url.replace('/portal/', '/programs/portal/');
          });
          localStorage.setItem(key, JSON.stringify(queue));
        }"""
    )
    assert "/programs/portal/" in page.evaluate("localStorage.getItem('programs.pendingTicks.v1')")
    page.unroute("**/done/")
    sent: list[str] = []
    page.on("request", lambda req: sent.append(req.url) if req.method == "POST" else None)

    page.reload()
    page.get_by_role("button", name=f"Done: {name}", exact=True).wait_for()

    assert Completion.objects.count() == 1
    assert sent
    assert all("/programs/portal/" not in url for url in sent)
    assert page.evaluate("window.localStorage.getItem('programs.pendingTicks.v1')") == "[]"
    context.close()


def test_portal_pages_have_no_serious_axe_violations_on_a_phone(
    live_server: Any, browser: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=3)
    item = program.items.first()
    item.hold_seconds, item.reps = 2, None
    item.save()
    from programs.home.services import publish_home_program

    version = publish_home_program(program=program, by=therapist)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, patient_user)
    for path in [
        "/portal/",
        "/portal/today/",
        "/portal/week/",
        "/portal/program/",
        f"/portal/versions/{version.pk - 1}/",
        "/portal/adherence/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_no_serious_axe_violations(page)

    # The hold timer starts (its sets, sides and pause: test_browser_hold_timer.py).
    page.goto(f"{live_server.url}/portal/today/")
    page.get_by_role("button", name=f"Start hold timer for {item.exercise.name}").click()
    page.get_by_role("button", name=f"Pause the hold timer for {item.exercise.name}").wait_for()
    page.get_by_test_id("hold-step").get_by_text("Get ready").wait_for()
    context.close()
