"""Prepared querysets give what the ORM gives, with new values each call, on every database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F, Q
from django.utils import timezone

from frontline.core.prepared import Prepared
from frontline.desk.models import Ticket
from tests import factories as f

pytestmark = pytest.mark.django_db

BY_TEAM = Prepared(lambda team_id, pk: (Ticket.objects.filter(Q(team_id=team_id) | Q(pk=pk))
                                        .annotate(team_name=F("team__name")).order_by("created_at", "id")), 2)


def test_rows_values_and_types_equal_the_orms_for_any_values() -> None:
    teams = [f.team(name="Orders"), f.team(name="Billing")]
    tickets = [f.ticket(team=teams[i % 2], subject=f"T{i}") for i in range(5)]
    Ticket.objects.filter(pk=tickets[0].pk).update(created_at=timezone.now() - timedelta(days=3))
    for team, pk in [(teams[0], tickets[1].pk), (teams[1], 0), (teams[1], tickets[0].pk)]:
        orm = list(Ticket.objects.filter(Q(team_id=team.pk) | Q(pk=pk)).annotate(team_name=F("team__name"))
                   .order_by("created_at", "id"))
        got = BY_TEAM(team.pk, pk)
        assert [(t.pk, t.subject, t.created_at, t.status_category, t.team_name) for t in got] == [
            (t.pk, t.subject, t.created_at, t.status_category, t.team_name) for t in orm]
        assert all(t.created_at.tzinfo is not None for t in got)  # converted like the ORM's (SQLite stores text)


def test_only_whole_numbers_of_the_right_count_are_taken() -> None:
    with pytest.raises(TypeError):
        BY_TEAM(1)
    with pytest.raises(TypeError):
        BY_TEAM(1, "2")


def test_a_marker_that_never_reaches_the_parameters_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        Prepared(lambda team_id: Ticket.objects.all(), 1)(1)
