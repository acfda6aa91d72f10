"""Every page the demo accounts reach is valid HTML by the Nu HTML Checker (vnu-jar from npm).

Seeds the demo data, signs in as each demo account with the test client, walks the links from its
landing page breadth-first (same origin, GET only, bounded) and saves each HTML page; one checker
run then reads them all. htmx's `hx-*` attributes are the one thing allowed (the checker does not
know them). `make lint` runs this test (HTML_CHECK_REQUIRED=1) and so CI does; without Java or the
jar (`npm ci`) it is skipped with one line, and fails instead when the check is required.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from rehab_clinic.accounts.models import User

pytestmark = [pytest.mark.html_check, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker does not know htmx; the pattern must match a whole message (see TOOLING-2.md §6).
HTMX_ONLY = ".*hx-.*"
# None: signed out, from the sign-in page (sign-in, password reset).
DEMO_ACCOUNTS: list[str | None] = [
    None,
    "admin@demo.clinic",
    "therapist@demo.clinic",
    "patient@demo.clinic",
    "patient2@demo.clinic",
    "therapist@other.clinic",
    "patient@other.clinic",
]
# Pages per account, at most. One page per URL shape (ids replaced): /patients/7/ stands for all.
MAX_PAGES_PER_ACCOUNT = 60
LOGIN = "/accounts/login/"
# The crawl must reach these (chart, episode, note form, plan, program builder, portal, library,
# audit report, staff, clinic settings, sign-in), so a broken link cannot shrink the check unseen.
MAIN_PAGES = {
    "/patients/N/",
    "/patients/episodes/N/",
    "/assessments/notes/N/edit/",
    "/programs/rtr/N/",
    "/programs/N/",
    "/patients/episodes/N/charts/",
    "/portal/",
    "/portal/today/",
    "/portal/reminders/",
    "/library/",
    "/audit/",
    "/clinic/staff/",
    "/clinic/",
    LOGIN,
}
# Links not to follow: they end the session, or answer with something other than a page.
SKIP = re.compile(
    r"^/(accounts/logout|static/|media/|admin/)|\.(pdf|csv|ics|png|jpe?g|svg|fit|gpx)$"
)

# Known findings in files another change is editing now, one (page shape, message start) each,
# each one listed so that nothing else can hide behind it. The coordinator empties this list.
KNOWN: list[tuple[str, str]] = []


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def shape(path: str) -> str:
    """The URL with its ids and dates replaced, so one of each kind of page is enough."""
    return re.sub(r"=\d+", "=N", re.sub(r"/[0-9a-f-]*\d[0-9a-f-]*(?=/|$|\?)", "/N", path))


def same_origin_path(base: str, href: str) -> str | None:
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(parts.path) else path


def crawl(client: Client, start: str = "/") -> dict[str, str]:
    """Breadth-first from the landing page: {path: html} for each page shape, GET only."""
    pages: dict[str, str] = {}
    seen_shapes: set[str] = set()
    queue = deque([start])
    while queue and len(pages) < MAX_PAGES_PER_ACCOUNT:
        path = queue.popleft()
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        response = client.get(path)
        if response.status_code in (301, 302, 303, 307, 308):
            target = same_origin_path(path, response["Location"])
            if target:
                queue.appendleft(target)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            target = same_origin_path(path, href)
            if target and shape(target) not in seen_shapes:
                queue.append(target)
    return pages


def checker_or_skip() -> list[str]:
    """The command that runs the checker; skipped (failed when required) without Java or jar."""
    java = shutil.which("java")
    missing = [
        what
        for what, ok in (
            ("java (apt-get install default-jre-headless)", java),
            (f"{VNU_JAR.relative_to(ROOT)} (npm ci)", VNU_JAR.is_file()),
        )
        if not ok
    ]
    if missing:
        message = "no Nu HTML Checker: missing " + " and ".join(missing) + "; CI never skips it"
        required = (
            os.environ.get("CI_REQUIRE_SERVICES") == "1"
            or os.environ.get("HTML_CHECK_REQUIRED") == "1"
        )
        if required:
            pytest.fail(message + " (required by CI_REQUIRE_SERVICES or HTML_CHECK_REQUIRED)")
        pytest.skip(message)
    return [str(java), "-jar", str(VNU_JAR)]


# Markup printed as text: a chart or fragment escaped by a template that should have drawn it
# (the episode chart page once printed its adherence bars as "<svg ..."), or escaped twice.
MARKUP_AS_TEXT = re.compile(
    r"&lt;/?(svg|div|span|p|a|table|tr|td|ul|li|strong|em|br|button|form|input|title|rect|"
    r"circle|path|polyline|text|g)[\s>/]|&amp;(amp|lt|gt|quot|#\d+);"
)


def test_pages_the_demo_accounts_reach_are_valid_html(tmp_path: Path) -> None:
    command = checker_or_skip()
    call_command("seed_demo", verbosity=0)
    files: dict[str, str] = {}
    for email in DEMO_ACCOUNTS:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        who = email or "signed out"
        for number, (path, html) in enumerate(crawl(client, "/" if email else LOGIN).items()):
            name = tmp_path / f"{len(files):03d}-{number:02d}.html"
            name.write_text(html, encoding="utf-8")
            files[name.name] = f"{who} {path}"
    reached = {shape(where.rsplit(" ", 1)[-1]) for where in files.values()}
    assert not MAIN_PAGES - reached, f"the crawl missed {sorted(MAIN_PAGES - reached)}"
    as_text = [
        f"{files[name]}: {found.group(0)!r}"
        for name in files
        if (found := MARKUP_AS_TEXT.search((tmp_path / name).read_text(encoding="utf-8")))
    ]
    assert not as_text, "markup shown as text:\n" + "\n".join(as_text)

    options = ["--errors-only", "--filterpattern", HTMX_ONLY, "--format", "json", "--stdout"]
    # The command is ours (java and the jar's path); the arguments are the files just written.
    result = subprocess.run(  # noqa: S603
        [*command, *options, *sorted(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    messages: list[dict[str, Any]] = json.loads(result.stdout)["messages"]
    errors = []
    for message in messages:
        url = message.get("url", "")
        where = files.get(url.rsplit("/", 1)[-1], url)
        text = message.get("message", "")
        page = shape(where.rsplit(" ", 1)[-1])
        if any(page == known_page and text.startswith(start) for known_page, start in KNOWN):
            continue
        errors.append(f"{where} line {message.get('lastLine')}: {text}")
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
