"""Writes of automations: macros (save, apply), rules (save, run on events, run on a schedule).

How rules run (docs/automations.md):

* The desk hook ``automations_on_ticket_event`` sees every event in the writer's transaction and,
  when an event rule exists, enqueues ``automations.run`` for it after commit (never re-entering
  the desk's services from inside one). The events one service call wrote together (same ticket,
  time and actor) are one *change*: the task for the first of them handles them all.
* Active rules whose trigger the change matches run in ``position`` order; each sees the ticket
  as the rules before it left it. A rule that matches fires: its actions go through the desk's
  services as the system (actor None), each action an ``automation_fired`` event naming the rule.
* Loop guard: the events a firing writes carry its *chain* (depth, rules fired). A rule never
  fires again in a chain it already fired in; a chain deeper than AUTOMATION_MAX_CHAIN stops with
  an ``automation_cut`` event naming the rule that would have run.
* Schedule rules run from the periodic ``automations.schedule``: once per ticket, armed again
  when a person or the customer touches the ticket after the firing.

Package map: ``macros``, ``rules`` (saving), ``running`` (event rules, the loop guard, ``rule_fire``),
``schedule`` (``automations_run_schedule``), and ``_common`` (what they share). Import from
``frontline.automations.services``.
"""

from __future__ import annotations

from ._common import (
    EVENT_TRIGGERS,
    IGNORED_KINDS,
    NAME_MAX,
    TRIGGER_OF_KIND,
    _event,
    log,
)
from .macros import (
    MacroPreview,
    macro_apply,
    macro_delete,
    macro_preview,
    macro_save,
)
from .rules import (
    rule_conditions_validate,
    rule_delete,
    rule_save,
    rule_webhook_secret_rotate,
)
from .running import (
    Chain,
    automations_on_ticket_event,
    automations_run_for_event,
    rule_fire,
    triggers_of,
)
from .schedule import (
    automations_run_schedule,
)

__all__ = [
    "EVENT_TRIGGERS",
    "IGNORED_KINDS",
    "NAME_MAX",
    "TRIGGER_OF_KIND",
    "Chain",
    "MacroPreview",
    "_event",
    "automations_on_ticket_event",
    "automations_run_for_event",
    "automations_run_schedule",
    "log",
    "macro_apply",
    "macro_delete",
    "macro_preview",
    "macro_save",
    "rule_conditions_validate",
    "rule_delete",
    "rule_fire",
    "rule_save",
    "rule_webhook_secret_rotate",
    "triggers_of",
]
