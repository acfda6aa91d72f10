"""Page benchmark: every page of the issue-21 table against a bare Django page, in one run.

    python bench/pages.py                 # build the database, serve both, measure, print
    python bench/pages.py --no-build      # reuse the database built last time
    python bench/pages.py --seconds 5 --pages caseload,chart

1. Builds the database (PostgreSQL, BENCH_DATABASE_URL, default .../rehab_pages): migrate,
   `seed_demo --patients N` (10,000 with histories by default).
2. Serves the app (rehab_clinic.wsgi) and the bare page (bench/bare: startproject's middleware,
   one view, a 50-row table from the same database) with the same gunicorn settings: 2 sync
   workers each.
3. For each page, alternately: the bare page, then the app page, each for `--seconds` after a
   one-second warm-up, with 8 concurrent connections signed in as the account that uses it.
4. Prints req/s, p50, p95 and the ratio to the bare page's req/s measured just before it, and
   the load average; writes bench/out/pages.json.

The load generator is this script: 8 threads, each with its own keep-alive http.client
connection (gunicorn's sync workers close after each response; the connection reopens). Not
wrk (not installed) and not locust (gevent and its own statistics cost a core's share on a
two-core machine, and it paces users rather than driving a closed loop as `wrk -c8` does).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = os.environ.get("PY", str(ROOT / ".venv" / "bin" / "python"))
PASSWORD = "demo-pass-123"  # noqa: S105  (the documented demo password)
APP_PORT, BARE_PORT = 8897, 8898
CONNECTIONS = 8
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENV = {
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50),
    "DJANGO_DEBUG": "false",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_MANIFEST_STATIC": "false",
    "DJANGO_HSTS_SECONDS": "0",
    "AXES_ENABLED": "false",
    "SITE_URL": f"http://127.0.0.1:{APP_PORT}",
    "LOG_LEVEL": "WARNING",
}
THERAPIST, ADMIN, MAYA = "therapist@demo.clinic", "admin@demo.clinic", "patient@demo.clinic"


@dataclass
class Result:
    page: str
    path: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _env() -> dict[str, str]:
    env = {**os.environ, **ENV}
    env["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rehab_pages"
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    return env


def build(env: dict[str, str], patients: int) -> None:
    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    psql = ["psql", "-h", url.hostname or "127.0.0.1", "-U", url.username or "postgres", "-q"]
    subprocess.run([*psql, "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)  # noqa: S603
    subprocess.run([*psql, "-c", f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [PY, "manage.py", "seed_demo", "--patients", str(patients)], cwd=ROOT, env=env, check=True
    )
    print(f"seed_demo --patients {patients}: {time.perf_counter() - started:.1f} s")


TARGETS = """
import json
from django.urls import reverse
from patients.models import Patient
from programs.running.models import ReturnToRunPlan
p = Patient.objects.get(mrn="SYN-0000000")
episode = p.episodes.get(status="active")
plan = ReturnToRunPlan.objects.get(episode=episode, status="active")
program = episode.home_programs.get()
print(json.dumps({
    "today": reverse("patients:today"),
    "caseload": reverse("patients:caseload"),
    "plan list": reverse("programs:rtr_plan_list"),
    "audit report": reverse("audit:report"),
    "program builder": reverse("programs:builder", args=[program.pk]),
    "episode page": reverse("patients:episode", args=[episode.pk]),
    "plan page": reverse("programs:rtr_plan_detail", args=[plan.pk]),
    "patient chart": reverse("patients:chart", args=[p.pk]),
    "exercise library": reverse("exercises:list"),
    "portal home": reverse("portal:home"),
    "portal today": reverse("programs:portal_today"),
    "my details": reverse("portal:contact"),
}))
"""
WHO = {
    "audit report": ADMIN,
    "portal home": MAYA,
    "portal today": MAYA,
    "my details": MAYA,
}


def targets(env: dict[str, str]) -> dict[str, str]:
    out = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [PY, "manage.py", "shell", "-c", TARGETS],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def serve(module: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    # A long timeout: a slow page is measured, not killed at gunicorn's default 30 s.
    command = [PY, "-m", "gunicorn", module, "--workers", "2", "--worker-class", "sync",
               "--timeout", "300", "--bind", f"127.0.0.1:{port}",
               "--access-logfile", "/dev/null"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our arguments
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz" if port == APP_PORT else "/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{module} did not start on port {port}")


def sign_in(email: str) -> str:
    """The session cookie of `email`, signed in through the real form."""
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
    connection.request("GET", "/accounts/login/")
    page = connection.getresponse()
    body = page.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
    token = CSRF.search(body)
    if csrf_cookie is None or token is None:
        raise SystemExit("The sign-in form has no CSRF token")
    form = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                   "csrfmiddlewaretoken": token.group(1)})  # fmt: skip
    connection.request("POST", "/accounts/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie.group(1)}",
        "Referer": f"http://127.0.0.1:{APP_PORT}/accounts/login/",
    })  # fmt: skip
    answer = connection.getresponse()
    answer.read()
    session = re.search(r"sessionid=([^;]+)", answer.getheader("Set-Cookie") or "")
    if answer.status != 302 or session is None:
        raise SystemExit(f"Signing in as {email} failed ({answer.status})")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie.group(1)}"


def drive(port: int, path: str, cookie: str, seconds: float) -> tuple[list[float], int]:
    """CONNECTIONS threads in a closed loop for `seconds`: latencies (s) and errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def loop() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            mine.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=loop) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def measure(page: str, port: int, path: str, cookie: str, seconds: float) -> Result:
    drive(port, path, cookie, 1.0)  # warm-up
    started = time.perf_counter()
    latencies, errors = drive(port, path, cookie, seconds)
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(page, path, len(latencies), errors, elapsed,
                  quantiles[49] * 1000, quantiles[94] * 1000)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true", help="reuse the database")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and server")
    parser.add_argument("--pages", default="", help="comma-separated subset of the pages")
    args = parser.parse_args()
    env = _env()
    if not args.no_build:
        build(env, args.patients)
    pages = targets(env)
    if args.pages:
        pages = {name: path for name, path in pages.items() if name in args.pages.split(",")}
    bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"}
    servers = [serve("rehab_clinic.wsgi", APP_PORT, env),
               serve("bench.bare.wsgi", BARE_PORT, bare_env)]  # fmt: skip
    load = [os.getloadavg()[0]]
    rows = []
    try:
        cookies = {email: sign_in(email) for email in {THERAPIST, *WHO.values()}}
        for page, path in pages.items():
            bare = measure("bare", BARE_PORT, "/", "", args.seconds)
            app = measure(page, APP_PORT, path, cookies[WHO.get(page, THERAPIST)], args.seconds)
            load.append(os.getloadavg()[0])
            rows.append((app, bare))
            print(f"{page:<18} {app.rate:7.1f} req/s  p50 {app.p50_ms:7.1f} ms  "
                  f"p95 {app.p95_ms:7.1f} ms  errors {app.errors:<4} bare {bare.rate:6.1f} "
                  f"req/s (p95 {bare.p95_ms:.1f} ms)  ratio {app.rate / bare.rate:.3f}  "
                  f"load {load[-1]:.1f}", flush=True)  # fmt: skip
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print(f"\nload average (1 min) from {min(load):.1f} to {max(load):.1f}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")  # fmt: skip
    print("| page | req/s | p50 | p95 | bare req/s | ratio to bare |")
    print("|---|---|---|---|---|---|")
    for app, bare in rows:
        print(f"| {app.page} | {app.rate:.1f} | {app.p50_ms:.0f} ms | {app.p95_ms:.0f} ms | "
              f"{bare.rate:.1f} | {app.rate / bare.rate:.2f} |")  # fmt: skip
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps({
        "load": load,
        "pages": [{**asdict(a), "rate": a.rate, "bare": {**asdict(b), "rate": b.rate}}
                  for a, b in rows],
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
