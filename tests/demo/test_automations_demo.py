"""The demo's macros and automation rules: a dozen of each kind, all valid as on their pages, the
macros' recent use counted with its events, the schedule rules matching the demo's tickets, reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.automations import selectors, services
from frontline.automations.models import Macro, MacroUse, Rule, RuleFiring, Trigger
from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import EventKind, TicketEvent
from frontline.engine import rules as engine
from frontline.people.models import User

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return demo_generate(seed=3, days=36, scale=0.15, anchor=ANCHOR)


def test_macros_rules_usage_and_reset(demo) -> None:  # type: ignore[no-untyped-def]
    assert Macro.objects.count() >= 10 and Rule.objects.count() >= 12
    registry = selectors.field_registry()
    assert all(engine.validate(r.conditions, registry) == [] for r in Rule.objects.all())
    used = MacroUse.objects.count()
    assert used == demo.counts["macro uses"] > 20
    assert TicketEvent.objects.filter(kind=EventKind.MACRO_APPLIED).count() == used
    assert sum(Macro.objects.values_list("usage_count", flat=True)) == used
    agent = User.objects.get(username="agent")
    assert "My sign-off" in set(selectors.macros_for_viewer(viewer=agent).values_list("name", flat=True))
    manager = User.objects.get(username="manager")
    pending = Rule.objects.get(name="Pending → solved after 5 days")
    dry = selectors.rule_dry_run(conditions=pending.conditions, viewer=manager, now=ANCHOR + timedelta(days=6))
    assert dry.matched > 0
    created_rules_fired_on_the_history(demo)
    assert services.automations_run_schedule(now=ANCHOR)  # runs on the demo without errors
    assert {r.trigger for r in Rule.objects.all()} >= {Trigger.TICKET_CREATED, Trigger.SLA_BREACHED, Trigger.SCHEDULE}
    demo_reset()
    assert not Macro.objects.exists() and not Rule.objects.exists() and not MacroUse.objects.exists()


def created_rules_fired_on_the_history(demo) -> None:  # type: ignore[no-untyped-def]
    """Every "ticket created" rule fired on the history, recorded as a live firing is, and the engine's reading
    of each creation agrees with what the simulation did to the ticket as it arrived."""
    created = Rule.objects.filter(trigger=Trigger.TICKET_CREATED, active=True)
    assert all(r.fire_count > 0 and r.last_fired_at is not None for r in created)
    assert RuleFiring.objects.count() == sum(r.fire_count for r in created) == demo.counts["rule firings"]
    vip = created.get(name="VIP customers first")
    fired = set(RuleFiring.objects.filter(rule=vip).values_list("ticket_id", flat=True))
    raised = set(TicketEvent.objects.filter(kind=EventKind.PRIORITY_CHANGED, actor__isnull=True,
                                            payload__to="high").values_list("ticket_id", flat=True))
    assert fired == raised
    billing = created.get(name="Auto-tag billing by keywords")
    tagged = set(TicketEvent.objects.filter(kind=EventKind.TAGGED, actor__isnull=True).values_list("ticket_id", flat=True))
    assert set(RuleFiring.objects.filter(rule=billing).values_list("ticket_id", flat=True)) <= tagged
    assert (TicketEvent.objects.filter(kind=EventKind.AUTOMATION_FIRED).count()
            == sum(r.fire_count * len(r.actions) for r in created))
