"""How `seed_demo --patients N` writes its copies fast without changing what they are: the stored
return-to-run flags are copied, not rebuilt, and the tables' secondary indexes are rebuilt after
the copy exactly as the migrations made them."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from programs.running.flag_models import PlanFlag
from rehab_clinic.demo import synthetic
from rehab_clinic.demo.copies import write_copies as copy
from rehab_clinic.demo.indexes import secondary_indexes
from rehab_clinic.demo.people import MRN_PREFIX

pytestmark = pytest.mark.django_db


def _flag_rows() -> set[tuple[Any, ...]]:
    return set(
        PlanFlag.objects.filter(plan__episode__patient__mrn__startswith=MRN_PREFIX).values_list(
            "plan", "clinic", "kind", "date", "message", "runner_wrote", "shown_from",
            "shown_until", "position",
        )
    )  # fmt: skip


def test_the_copied_flag_rows_are_what_the_rebuild_computes() -> None:
    call_command("seed_demo")
    synthetic.seed_histories(30, per_therapist=10, demo_share=8, sample_size=2)
    copied = _flag_rows()
    plans = {row[0] for row in copied}
    assert len(plans) == 30  # every synthetic runner's plan is flagged, copies included

    PlanFlag.objects.filter(plan__in=plans).delete()
    out = io.StringIO()
    call_command("rebuild_rtr_flags", stdout=out)
    assert _flag_rows() == copied
    assert "30 plans rewritten" in out.getvalue()


def _schema() -> set[tuple[str, ...]]:
    """Every index and constraint of the public schema, as PostgreSQL prints them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
        found = {tuple(row) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        )
        return found | {("constraint", *row) for row in cursor.fetchall()}


def test_the_seed_copies_without_secondary_indexes_and_ends_with_the_same_schema(
    monkeypatch: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the indexes are only set aside on PostgreSQL")
    call_command("seed_demo")
    before = _schema()
    tables = [model._meta.db_table for model in synthetic.WRITTEN]
    during: list[int] = []

    def write_copies(copies: Any) -> Any:
        during.append(len(secondary_indexes(tables)))
        return copy(copies)

    monkeypatch.setattr(synthetic, "write_copies", write_copies)
    synthetic.seed_histories(4, per_therapist=10, demo_share=2, sample_size=1)
    assert during == [0]
    assert len(secondary_indexes(tables)) > 40
    assert _schema() == before
