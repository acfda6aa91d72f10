"""Adherence reads a published version's items from a summary kept per version (a version never
changes), so the pages that count adherence do not read every version's ~40 KB snapshot."""

from typing import Any

import pytest

from programs.home import queries, services
from programs.home.models import ProgramVersion
from tests.builders import make_program

pytestmark = pytest.mark.django_db


def test_the_kept_summary_is_the_snapshots_and_is_read_once(
    episode: Any, therapist: Any, django_assert_num_queries: Any
) -> None:
    program = make_program(episode, therapist, items=3)
    clinic = episode.patient.clinic
    full = list(ProgramVersion.objects.filter(program=program))
    expected = queries.item_plans(full, clinic)
    assert [p.name for p in expected] == [i["name"] for i in full[0].items]

    slim = list(ProgramVersion.objects.filter(program=program).defer("snapshot"))
    with django_assert_num_queries(1):  # the snapshot, the first time only
        assert queries.item_plans(slim, clinic) == expected
    with django_assert_num_queries(0):
        assert queries.item_plans(slim, clinic) == expected


def test_a_new_version_is_counted_with_its_own_items(episode: Any, therapist: Any) -> None:
    program = make_program(episode, therapist, items=2)
    clinic = episode.patient.clinic
    slim = list(ProgramVersion.objects.filter(program=program).defer("snapshot"))
    assert len(queries.item_plans(slim, clinic)) == 2

    item = program.items.first()
    assert item is not None
    services.remove_program_item(item=item, by=therapist)
    services.publish_home_program(program=program, by=therapist)
    slim = list(ProgramVersion.objects.filter(program=program).defer("snapshot"))
    assert len(queries.item_plans(slim, clinic)) == 1
