"""The forgiving portal in Chromium on a phone: undo a tick, tick yesterday, land signed in after
the invitation, enlarge a drawing (Escape closes it, focus goes back), and axe on each page."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.home.models import Completion, HomeProgram
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_program
from tests.factories import PatientFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _program(episode: Any, therapist: Any, days_ago: int = 0) -> tuple[HomeProgram, str]:
    program = make_program(episode, therapist, items=1)
    if days_ago:
        HomeProgram.objects.filter(pk=program.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return program, program.items.get().exercise.name


def test_a_patient_undoes_a_mistaken_tick(
    live_server: Any, phone: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    _, name = _program(episode, therapist)
    login(phone, patient_user)
    phone.goto(live_server.url + reverse("programs:portal_today"))
    phone.get_by_text("0 of 1 session done.").wait_for()
    phone.get_by_role("button", name=f"Mark done: {name}", exact=True).click()
    phone.get_by_role("button", name=f"Done: {name}", exact=True).wait_for()
    phone.reload()
    phone.get_by_text("1 of 1 session done.").wait_for()
    assert_no_serious_axe_violations(phone)
    phone.get_by_role("button", name=f"Undo the tick: {name}").click()
    phone.get_by_text("Tick undone.").wait_for()
    phone.get_by_role("button", name=f"Mark done: {name}", exact=True).wait_for()
    assert Completion.objects.count() == 0


def test_a_patient_ticks_yesterday_late(
    live_server: Any, phone: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    _, name = _program(episode, therapist, days_ago=3)
    yesterday = episode.patient.clinic.today() - timedelta(days=1)
    login(phone, patient_user)
    phone.goto(live_server.url + reverse("programs:portal_today"))
    phone.get_by_role("heading", name="Missed a day?").wait_for()
    assert_no_serious_axe_violations(phone)
    when = f"{yesterday:%A} {yesterday.day} {yesterday:%B}"
    phone.get_by_role("button", name=f"Mark done late: {name}, {when}").click()
    phone.get_by_role("button", name=f"Done: {name}, {when}").wait_for()
    assert Completion.objects.get().day == yesterday
    phone.goto(live_server.url + reverse("programs:portal_week"))
    if yesterday.weekday() < episode.patient.clinic.today().weekday():
        phone.get_by_text("ticked late").first.wait_for()
    assert_no_serious_axe_violations(phone)


@pytest.mark.usefixtures("eager_celery")  # the invitation email goes through the outbox
def test_a_patient_accepts_the_invitation_and_lands_signed_in(
    live_server: Any, phone: Any, therapist: Any, clinic: Any, mailoutbox: Any
) -> None:
    patient = PatientFactory(clinic=clinic, email="phone.runner@example.test")
    desk = Client()
    desk.force_login(therapist)
    desk.post(reverse("patients:invite", args=[patient.pk]))
    link = re.search(r"https?://[^/\s]+(/accounts/invite/[^/\s]+/)", mailoutbox[-1].body)
    assert link
    phone.goto(live_server.url + link.group(1))
    assert_no_serious_axe_violations(phone)
    phone.get_by_label("Choose a password").fill("Tempo-Tuesday-Hills-3")
    phone.get_by_label("Type it again").fill("Tempo-Tuesday-Hills-3")
    phone.get_by_role("button", name="Create my account").click()
    phone.get_by_text("Your account is ready. Welcome!").wait_for()
    assert "/accounts/login/" not in phone.url
    assert phone.get_by_role("link", name=clinic.name).first.is_visible()
    # A patient with no program yet is told so, not "Rest day." seven times.
    phone.goto(live_server.url + reverse("programs:portal_week"))
    phone.get_by_text("has not published a home program for you yet").wait_for()
    assert phone.get_by_text("Rest day.").count() == 0
    assert_no_serious_axe_violations(phone)


def test_a_patient_enlarges_a_drawing_and_escape_gives_focus_back(
    live_server: Any, phone: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    _, name = _program(episode, therapist)
    login(phone, patient_user)
    for page_name in ("programs:portal_today", "programs:portal_program"):
        phone.goto(live_server.url + reverse(page_name))
        picture = phone.get_by_role("img", name=f"Drawing of {name}", exact=True)
        picture.wait_for()
        # Large enough to follow on a phone: most of the screen's width.
        assert picture.bounding_box()["width"] >= 0.7 * PHONE["width"]
        button = phone.get_by_role("button", name=f"Enlarge the drawing of {name}")
        button.click()
        dialog = phone.get_by_role("dialog", name=name)
        dialog.wait_for()
        assert dialog.get_by_role("img", name=f"Drawing of {name}, enlarged").is_visible()
        assert_no_serious_axe_violations(phone)
        phone.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert button.evaluate("el => el === document.activeElement")


def test_a_patient_says_how_it_felt_and_the_therapist_sees_the_trend(
    live_server: Any,
    browser: Any,
    phone: Any,
    login: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
) -> None:
    program, name = _program(episode, therapist)
    login(phone, patient_user)
    phone.goto(live_server.url + reverse("programs:portal_today"))
    phone.get_by_text("How did it feel? (optional)").click()
    phone.get_by_label(f"Pain (0 to 10), {name}").select_option("3")
    phone.get_by_label(f"How hard, {name}").select_option("hard")
    assert_no_serious_axe_violations(phone)
    phone.get_by_role("button", name=f"Mark done: {name}", exact=True).click()
    phone.get_by_role("button", name=f"Done: {name}", exact=True).wait_for()
    assert list(Completion.objects.values_list("pain", "difficulty")) == [(3, "hard")]
    desk = browser.new_page()
    login(desk, therapist)
    desk.goto(live_server.url + reverse("programs:adherence", args=[program.pk]))
    desk.get_by_role("heading", name="How it felt, per exercise").wait_for()
    desk.get_by_role("img", name=f"Pain with each tick: {name}").wait_for()
    assert_no_serious_axe_violations(desk)
    desk.close()
