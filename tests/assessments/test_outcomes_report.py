"""The clinic admin's outcomes report: its figures on a seeded clinic, small groups suppressed,
only its own clinic counted, a formula-safe CSV, who may open it, and a query count that does
not grow with the number of episodes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import InstrumentSetting
from assessments.reports.figures import change_summary, diagnosis_group
from patients.outcome_report import SUPPRESSED
from rehab_clinic.accounts.models import User
from tests.builders import LEFS_72, discharged_episode
from tests.factories import EpisodeFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

# LEFS 55 of 80: 5 above the intake's 50, short of the MCID of 9.
LEFS_55 = {f"q{n}": (3 if n <= 15 else 2) for n in range(1, 21)}
URL = reverse("assessments:outcomes_report")
CSV_URL = reverse("assessments:outcomes_report_csv")


def _days(clinic: Any) -> tuple[dt.date, dt.date, dt.date]:
    """(intake, discharge, period start): discharged on the last day of the previous month."""
    discharge = clinic.today().replace(day=1) - dt.timedelta(days=1)
    return discharge - dt.timedelta(days=40), discharge, discharge.replace(day=1)


def _query(clinic: Any, **extra: Any) -> dict[str, Any]:
    _, _, start = _days(clinic)
    return {"start": start.isoformat(), "end": clinic.today().isoformat(), **extra}


def _seed(clinic: Any, therapist: Any, *, achilles: int = 6) -> None:
    """`achilles` Achilles episodes (LEFS 50 → 72, the first 50 → 55; pain 6 → 2), every third
    with a completed run plan and a home program; two ITBS episodes measured once only."""
    intake_day, discharge, _ = _days(clinic)
    patient = PatientFactory(clinic=clinic, primary_therapist=therapist)
    for n in range(achilles):
        discharged_episode(
            patient,
            therapist,
            intake_day=intake_day,
            discharge_day=discharge,
            lefs_final=LEFS_55 if n == 0 else LEFS_72,
            run_plan=n % 3 == 0,
            program=n % 3 == 0,
        )
    for _ in range(2):
        discharged_episode(
            patient,
            therapist,
            code="M76.31",
            intake_day=intake_day,
            discharge_day=discharge,
            lefs_final=None,
            pain_final=None,
        )


def _table(html: str, key: str) -> list[list[str]]:
    section = re.search(rf'id="report-{key}".*?</section>', html, flags=re.S)
    assert section, key
    body = re.search(r"<tbody>(.*?)</tbody>", section.group(0), flags=re.S)
    assert body
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), flags=re.S)
    ]


def test_diagnosis_groups_and_the_change_summary_are_plain_arithmetic() -> None:
    assert diagnosis_group("M76.61") == "Achilles tendinopathy"
    assert diagnosis_group("M84.361") == "Bone stress injury"
    assert diagnosis_group("Z99.9") == "Other"
    summary = change_summary([(6, 2), (6, 5), (5, 3)], mcid=2, higher_is_better=False)
    assert summary is not None
    assert (summary.episodes, summary.reached_mcid, round(summary.mean_change, 2)) == (
        3,
        2,
        -2.33,
    )


def test_the_report_shows_the_seeded_clinics_figures(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any, other_therapist: Any
) -> None:
    _seed(clinic, therapist)
    # Not counted: another clinic's discharges and an episode still active.
    _seed(other_therapist.clinic, other_therapist)
    EpisodeFactory(patient=PatientFactory(clinic=clinic))
    _, discharge, _ = _days(clinic)
    month = f"{discharge:%Y-%m}"
    client.force_login(clinic_admin)
    response = client.get(URL, _query(clinic))
    assert response.status_code == 200
    html = response.content.decode()
    discharges = _table(html, "discharges")
    assert [month, "All groups", "8"] in discharges
    assert [month, "Achilles tendinopathy", "6"] in discharges
    assert [month, "Iliotibial band syndrome", SUPPRESSED] in discharges
    assert ["Whole period", "All groups", "8"] in discharges
    lefs, nprs = _table(html, "outcomes")
    # LEFS: (50 → 55) once and (50 → 72) five times; the MCID of 9 reached by five of six.
    assert lefs[1:] == ["6", "50.0", "69.2", "19.2", "83%", "9"]
    assert nprs[1:] == ["6", "6.0", "2.0", "-4.0", "100%", "2"]
    # Two run plans and two programs: too few to show.
    assert _table(html, "return_to_run") == [[SUPPRESSED] * 4]
    assert _table(html, "adherence") == [[SUPPRESSED] * 3]
    assert "Tester" not in html  # the patients' surname: numbers only, never names
    assert '<svg class="bar-chart"' in html


def test_the_clinics_own_mcid_is_used(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    _seed(clinic, therapist)
    InstrumentSetting.objects.create(clinic=clinic, instrument="lefs", subscale="total", mcid=25)
    client.force_login(clinic_admin)
    lefs, _ = _table(client.get(URL, _query(clinic)).content.decode(), "outcomes")
    assert lefs[5:] == ["0%", "25"]


def test_groups_under_five_are_suppressed_everywhere(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    _seed(clinic, therapist, achilles=3)
    client.force_login(clinic_admin)
    html = client.get(URL, _query(clinic)).content.decode()
    _, discharge, _ = _days(clinic)
    assert [f"{discharge:%Y-%m}", "All groups", "5"] in _table(html, "discharges")
    assert [f"{discharge:%Y-%m}", "Achilles tendinopathy", SUPPRESSED] in _table(html, "discharges")
    for row in _table(html, "outcomes"):
        assert row[1:6] == [SUPPRESSED] * 5
    assert not [row for row in _table(html, "discharges") if row[2] in {"1", "2", "3", "4"}]


def test_the_therapist_filter_counts_only_that_therapists_patients(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    _seed(clinic, therapist)
    colleague = UserFactory(clinic=clinic, role=User.Role.THERAPIST)
    client.force_login(clinic_admin)
    html = client.get(URL, _query(clinic, therapist=colleague.pk)).content.decode()
    assert ["Whole period", "All groups", "0"] in _table(html, "discharges")


def test_bad_filters_are_explained_beside_the_field(client: Any, clinic_admin: Any) -> None:
    client.force_login(clinic_admin)
    html = client.get(URL, {"start": "2026-05-01", "end": "2026-04-01"}).content.decode()
    assert "The period cannot end before it starts." in html
    assert 'value="2026-05-01"' in html
    assert 'id="report-' not in html
    html = client.get(URL, {"start": "soon", "end": "2026-04-01"}).content.decode()
    assert "Enter a valid date." in html
    html = client.get(URL, {"start": "0001-01-01", "end": "2026-04-01"}).content.decode()
    assert "Check the year" in html
    assert client.get(CSV_URL, {"start": "2026-05-01", "end": "2026-04-01"}).status_code == 400


def test_the_csv_holds_the_same_figures_and_is_formula_safe(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    _seed(clinic, therapist)
    client.force_login(clinic_admin)
    response = client.get(CSV_URL, _query(clinic))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Section"
    nprs = next(row for row in rows if row[1].startswith("NPRS") or "Numeric" in row[1])
    assert nprs[5] == "'-4.0"  # a cell starting with "-" is written as text
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_only_the_clinic_admin_opens_the_report(
    client: Any, therapist: Any, patient_user: Any, other_admin: Any, clinic: Any
) -> None:
    for user in (therapist, patient_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(CSV_URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
    _seed(clinic, therapist)
    client.force_login(other_admin)  # another clinic's admin sees none of this clinic
    html = client.get(URL, _query(clinic)).content.decode()
    assert ["Whole period", "All groups", "0"] in _table(html, "discharges")


def _queries(client: Any, clinic: Any) -> int:
    query = {"start": "2020-01-01", "end": clinic.today().isoformat()}
    client.get(URL, query)  # warm: the session and any first-request caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, query).status_code == 200
    return len(queries)


def test_the_report_query_count_does_not_grow_with_the_episodes(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    _seed(clinic, therapist, achilles=4)  # 6 episodes
    small = _queries(client, clinic)
    _seed(clinic, therapist, achilles=22)  # 30 episodes
    assert _queries(client, clinic) == small
    html = client.get(URL, _query(clinic)).content.decode()
    # Now ten plans, all completed the day before discharge, 41 days after the first run.
    assert _table(html, "return_to_run") == [["10", "10", "100%", "39"]]
    assert _table(html, "adherence") == [["10", "0%", "0%"]]  # prescribed, never ticked
