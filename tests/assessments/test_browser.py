"""What a therapist sees in Chromium: charting an intake, signing, the lock, an addendum beside
the original, drafts that survive a reload and a new sign-in, and axe checks."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Note
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import EpisodeFactory

# serialized_rollback puts back rows created by data migrations (library vocabulary) after the
# flush that ends each transactional test, so later tests still find them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_therapist_charts_a_full_intake_signs_it_and_adds_an_addendum(
    live_server, page, login, therapist, patient
):
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/{patient.pk}/episodes/new/")
    page.get_by_label("Clinical label").fill("Achilles tendinopathy, right")
    page.get_by_label("ICD-10-CM code").fill("M76.61")
    page.get_by_label("Side").select_option("right")
    page.get_by_role("button", name="Save episode").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Episodes", exact=True).click()
    page.get_by_role("link", name="Achilles tendinopathy, right").click()
    expect(page.get_by_role("heading", name="Achilles tendinopathy, right")).to_be_visible()
    episode = patient.episodes.get()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Start intake evaluation").click()
    expect(page.get_by_role("heading", name="Initial evaluation")).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_label("Runs per week").fill("4")
    page.get_by_label("Training change details").fill("More hills for a half marathon")
    page.get_by_label("Pain now (NPRS 0-10)").select_option("5")
    page.get_by_label("Best in last 24 h").select_option("2")
    page.get_by_label("Worst in last 24 h").select_option("7")
    page.locator('.bodychart [data-region="back-achilles-r"]').click()
    expect(page.get_by_label("Achilles, right (back)")).to_be_checked()
    page.get_by_label("Heel raises to fatigue, right").fill("14")
    page.get_by_label("Pain-free single-leg hops, right").fill("12")
    page.get_by_label("Pain-free single-leg hops, left").fill("20")
    page.get_by_label("Cadence (steps/min)").fill("158")
    page.get_by_label("Foot strike").select_option("rearfoot")
    page.get_by_label("Contralateral pelvic drop").select_option("mild")
    page.get_by_label("Short-term goals").fill("Morning pain 2/10 or less")
    page.get_by_label("Movement, row 1").select_option("ankle_dorsiflexion")
    page.get_by_label("Position or notes, row 1").fill("Knee bent")
    page.get_by_label("Right (°), row 1").fill("32")
    page.get_by_label("Test, row 1").select_option("arc_sign")
    page.get_by_label("Result, row 1").select_option("positive")
    page.get_by_role("button", name="Save note").click()

    expect(page.get_by_text("Draft: not signed.")).to_be_visible()
    expect(page.get_by_text("Pain-free single-leg hops, right")).to_be_visible()
    # A pain-free hop count is not a hop-for-distance: no symmetry index is made of it.
    expect(page.get_by_text("symmetry index")).to_have_count(0)
    page.get_by_role("link", name="Add Lower Extremity Functional Scale").click()
    for n in range(1, 21):
        page.locator(f'input[name="q{n}"][value="3"]').check()
    page.get_by_role("button", name="Score and save").click()
    expect(page.get_by_text("total 60")).to_be_visible()

    page.get_by_role("link", name="Review and sign").click()
    expect(page.get_by_role("heading", name="What will be locked")).to_be_visible()
    expect(page.get_by_role("region", name="What will be locked")).to_contain_text("Cadence")
    expect(page.get_by_role("region", name="What will be locked")).to_contain_text(
        "Lower Extremity Functional Scale"
    )
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.locator("#signature")).to_contain_text("Signed and locked by Terry Therapist")
    expect(page.locator("#signature")).to_contain_text("matches the stored content")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    note = Note.objects.get(episode=episode)
    page.goto(f"{live_server.url}/assessments/notes/{note.pk}/edit/")
    expect(page.get_by_role("heading", name="This note is signed")).to_be_visible()

    page.goto(f"{live_server.url}/assessments/notes/{note.pk}/")
    page.get_by_role("link", name="Add addendum").click()
    page.get_by_label("Kind").select_option("late_entry")
    page.get_by_label("Reason").fill("Hop test repeated after rest")
    page.get_by_label("Text").fill("Left hops 22 after a rest.")
    page.get_by_role("button", name="Add addendum").click()
    addendum = page.get_by_role("complementary", name=re.compile("Late entry by Terry"))
    expect(addendum).to_contain_text("Hop test repeated after rest")
    expect(page.get_by_role("region", name="Original note")).to_contain_text("Cadence")
    note.refresh_from_db()
    assert note.hash_matches()

    page.goto(f"{live_server.url}/assessments/episodes/{episode.pk}/")  # the old address
    expect(page).to_have_url(re.compile(rf"/patients/episodes/{episode.pk}/#charting$"))
    expect(page.locator("svg.score-chart")).to_have_count(2)
    assert_no_serious_axe_violations(page)


def test_a_draft_survives_a_reload_and_a_new_sign_in(live_server, page, login, therapist, patient):
    episode = EpisodeFactory(patient=patient)
    login(page, therapist)
    page.goto(f"{live_server.url}/assessments/episodes/{episode.pk}/")
    page.get_by_role("button", name="Start intake evaluation").click()
    page.get_by_label("Gait notes").fill("Crossover at faster paces")
    page.get_by_label("Cadence (steps/min)").fill("162")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=15000)

    page.reload()
    expect(page.get_by_text("Your unsaved draft was restored.")).to_be_visible()
    expect(page.get_by_label("Gait notes")).to_have_value("Crossover at faster paces")

    page.get_by_label("Aggravating factors").fill("Hills")
    # Signing out waits for the draft holding the last words to be stored.
    page.get_by_role("button", name=therapist.full_name).click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    page.wait_for_load_state("networkidle")
    login(page, therapist)
    note = Note.objects.get(episode=episode)
    page.goto(f"{live_server.url}/assessments/notes/{note.pk}/edit/")
    expect(page.get_by_label("Gait notes")).to_have_value("Crossover at faster paces")
    expect(page.get_by_label("Cadence (steps/min)")).to_have_value("162")
    expect(page.get_by_label("Aggravating factors")).to_have_value("Hills")


def test_typing_after_the_session_expired_is_saved_once_signed_in_again(
    live_server, page, login, therapist, patient
):
    episode = EpisodeFactory(patient=patient)
    login(page, therapist)
    page.goto(f"{live_server.url}/assessments/episodes/{episode.pk}/")
    page.get_by_role("button", name="Start intake evaluation").click()
    edit_url = page.url
    page.context.clear_cookies()  # the session has ended on the server's side
    page.get_by_label("Easing factors").fill("Typed after the session ended")
    expect(page.locator("#autosave-status")).to_contain_text("not saved yet", timeout=15000)

    other = page.context.new_page()
    login(other, therapist)
    other.close()
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=15000)
    page.get_by_label("Pain now (NPRS 0-10)").select_option("3")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Draft: not signed.")).to_be_visible()
    page.goto(edit_url)
    expect(page.get_by_label("Easing factors")).to_have_value("Typed after the session ended")
