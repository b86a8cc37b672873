"""``frontline sla_backfill``: clocks for tickets that predate the policies; safe to run again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from frontline.sla.models import SLAApplication, SLAClock, SLAPolicy
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("sla_backfill", *args, stdout=out)
    return out.getvalue()


def _tickets_before_the_policy(n: int) -> list[int]:
    policy = sf.policy(first_reply=60, next_reply=None, resolution=600)
    SLAPolicy.objects.filter(pk=policy.pk).update(active=False)
    ids = [f.ticket(at=T0 + timedelta(minutes=i)).pk for i in range(n)]
    SLAPolicy.objects.filter(pk=policy.pk).update(active=True)
    return ids


def test_it_gives_tickets_without_a_policy_their_clocks_and_says_how_many():
    ids = _tickets_before_the_policy(2)
    out = _run("--now", "2026-12-02T09:00+00:00")
    assert ("2 tickets got an SLA policy", SLAClock.objects.filter(ticket_id__in=ids).count()) == (out[:27], 4)


def test_a_second_run_changes_nothing():
    _tickets_before_the_policy(1)
    _run()
    clocks = list(SLAClock.objects.values_list("pk", "due_at", "state"))
    out = _run()
    assert (out[:29], list(SLAClock.objects.values_list("pk", "due_at", "state"))) == ("0 tickets got an SLA policy a", clocks)


def test_ticket_limits_it_to_those_tickets():
    _first, second = _tickets_before_the_policy(2)
    _run("--ticket", str(second))
    assert list(SLAApplication.objects.values_list("ticket_id", flat=True)) == [second]


def test_with_no_active_policy_it_says_what_to_do_and_writes_nothing():
    f.ticket(at=T0)
    out = _run()
    assert ("add one in the admin" in out, SLAApplication.objects.count()) == (True, 0)


@pytest.mark.parametrize("now", ["yesterday", "2026-12-02T09:00", "2999-01-01T00:00+00:00"])
def test_a_bad_now_is_a_usage_error_and_writes_nothing(now):  # type: ignore[no-untyped-def]
    _tickets_before_the_policy(1)
    with pytest.raises(CommandError) as error:
        _run("--now", now)
    assert (error.value.returncode, "--now" in str(error.value), SLAApplication.objects.count()) == (2, True, 0)
