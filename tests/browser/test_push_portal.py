"""In Chromium at phone width: the portal is an installable web app (its manifest is linked and
names the clinic, its service worker registers for /portal/ and becomes ready), and the
"Notifications on this phone" page is usable and passes axe."""

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from rehab_clinic.push.models import PushSubscription
from rehab_clinic.push.services import new_vapid_keys
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import browser_push_keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_portal_links_its_manifest_and_its_service_worker_becomes_ready(
    page: Any, live_server: Any, login: Any, patient_user: Any
) -> None:
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/")

    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/portal/manifest.webmanifest"
    manifest = page.evaluate(
        "(href) => fetch(href, {credentials: 'include'}).then((r) => r.json())", href
    )
    assert manifest["name"] == patient_user.clinic.name
    scope = page.evaluate("navigator.serviceWorker.ready.then((reg) => reg.scope)")
    assert scope == f"{live_server.url}/portal/"
    script = page.evaluate("navigator.serviceWorker.ready.then((reg) => reg.active.scriptURL)")
    assert script == f"{live_server.url}/portal/sw.js"


def test_the_notifications_page_offers_to_turn_them_on_at_phone_width(
    page: Any, live_server: Any, login: Any, patient_user: Any, settings: Any
) -> None:
    keys = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = keys.public, keys.private
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="Phone notifications").click()
    page.get_by_role("heading", name="Notifications on this phone").wait_for()

    # The worker is ready and this browser has no subscription yet: "on" is offered.
    status = page.get_by_role("status").filter(has_text="this phone")
    expect(status).to_have_text("Notifications are off for this phone.")
    expect(page.get_by_role("button", name="Turn on notifications on this phone")).to_be_enabled()
    expect(page.get_by_role("button", name="Turn off")).to_be_disabled()
    # The iPhone steps are always there, folded.
    page.locator("summary", has_text="On an iPhone or iPad").click()
    expect(page.get_by_text('Tap the Share button, then "Add to Home Screen".')).to_be_visible()
    assert_no_serious_axe_violations(page)


# Headless Chromium reaches no push service, so subscribe() is answered here with what a
# browser would give; everything else (permission, the key, the posts, CSRF) is the page's own.
FAKE_PUSH_MANAGER = """
(subscription) => {
  let current = null;
  PushManager.prototype.subscribe = function (options) {
    window.pushOptions = {
      userVisibleOnly: options.userVisibleOnly,
      keyLength: options.applicationServerKey.byteLength,
    };
    current = {
      endpoint: subscription.endpoint,
      toJSON: () => subscription,
      unsubscribe: () => { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
}
"""


def test_a_patient_turns_notifications_on_and_off_on_a_phone(
    page: Any, live_server: Any, login: Any, patient_user: Any, settings: Any
) -> None:
    keys = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = keys.public, keys.private
    _, p256dh, _, auth = browser_push_keys()
    endpoint = "https://fcm.googleapis.com/fcm/send/browser-test"
    subscription = {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": p256dh, "auth": auth},
    }
    page.add_init_script(f"({FAKE_PUSH_MANAGER})({json.dumps(subscription)})")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/notifications/")
    status = page.locator("#push-status")
    expect(status).to_have_text("Notifications are off for this phone.")

    page.get_by_role("button", name="Turn on notifications on this phone").click()

    expect(status).to_have_text("Notifications are on for this phone.")
    # The VAPID public key reached the browser as its 65 bytes.
    assert page.evaluate("window.pushOptions") == {"userVisibleOnly": True, "keyLength": 65}
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.endpoint, saved.p256dh) == (patient_user, endpoint, p256dh)

    page.get_by_role("button", name="Turn off").click()
    expect(status).to_have_text("Notifications are off for this phone.")
    assert not PushSubscription.objects.exists()
