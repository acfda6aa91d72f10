"""Load test of the pages people use all day, against gunicorn (see bench/run_pages.sh).

Therapists open the caseload, search it and open charts; patients open the portal home and today's
exercises. Each simulated user signs in once through the real form.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "demo-pass-123"  # noqa: S105  (the documented demo password)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _sign_in(user: HttpUser, email: str) -> None:
    page = user.client.get("/accounts/login/", name="login form")
    token = CSRF.search(page.text).group(1)
    user.client.post(
        "/accounts/login/",
        {"email": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": user.host + "/accounts/login/"},
        name="sign in",
    )


class Therapist(HttpUser):
    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _sign_in(self, "therapist@demo.clinic")
        caseload = self.client.get("/patients/", name="caseload").text
        self.chart_ids = [int(pk) for pk in re.findall(r'href="/patients/(\d+)/"', caseload)] or [1]

    @task(3)
    def caseload(self) -> None:
        self.client.get("/patients/", name="caseload")

    @task(2)
    def search(self) -> None:
        self.client.get(
            "/patients/?q=" + random.choice(["Kim", "Novak", "Okafor", "SYN-00001"]),
            name="caseload search",
        )

    @task(3)
    def chart(self) -> None:
        self.client.get(f"/patients/{random.choice(self.chart_ids)}/", name="patient chart")

    @task(1)
    def library(self) -> None:
        self.client.get("/library/", name="library")


class Patient(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _sign_in(self, random.choice(["patient@demo.clinic", "patient2@demo.clinic"]))

    @task(3)
    def portal_home(self) -> None:
        self.client.get("/portal/", name="portal home")

    @task(2)
    def today(self) -> None:
        self.client.get("/portal/today/", name="portal today")
