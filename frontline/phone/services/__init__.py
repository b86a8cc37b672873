"""Writes of the phone channel: calls agents log, call events from a telephony webhook, connectors.

Every call is on a desk ticket (channel ``phone`` when the call opens it). Definitions (the same in
docs/phone.md):

- **talk time**: answered to hung up (given, or computed from the call's times);
- **wrap-up time**: after the call, finishing its notes and follow-up (given by the agent or the system);
- **handle time of a call** = talk + wrap-up. It is stored as the handle time of the agent message
  that records the call (an internal note, or the first message of a ticket the call opened), so the
  desk's handle time and every metric built on it count calls like any other work;
- **missed call**: an inbound call that rang out unanswered (no agent picked up, voicemail);
  **abandoned call**: the caller hung up while waiting, before an agent answered. Both write a
  ``call_missed`` event (``reason`` says which) and leave the ticket open for a call back.

The customer on the other end is found by number (``customer_for_number``): a customer whose
``phone`` has the same digits, else one made for that number.

Package map: ``numbers`` (``number_normalise``, ``customer_for_number``), ``calls`` (calls agents
log and change), ``webhook`` (the telephony webhook's events), ``connectors``, and ``_common`` (what
they share). Import from ``frontline.phone.services``.
"""

from __future__ import annotations

from ._common import (
    NAME_MAX,
    NOTES_MAX,
    PLACEHOLDER_DOMAIN,
    ROTATION_GRACE,
)
from .calls import (
    CallInput,
    call_input_clean,
    call_log,
    call_log_new_ticket,
    call_update,
    may_change_call,
)
from .connectors import (
    ConnectorWithSecret,
    connector_create,
    connector_rotate_secret,
    connector_update,
)
from .numbers import (
    customer_for_number,
    number_normalise,
)
from .webhook import (
    EVENT_TYPES,
    CallEvent,
    CallEventResult,
    Replayed,
    call_event_apply,
    call_event_parse,
    url_clean,
)

__all__ = [
    "EVENT_TYPES",
    "NAME_MAX",
    "NOTES_MAX",
    "PLACEHOLDER_DOMAIN",
    "ROTATION_GRACE",
    "CallEvent",
    "CallEventResult",
    "CallInput",
    "ConnectorWithSecret",
    "Replayed",
    "call_event_apply",
    "call_event_parse",
    "call_input_clean",
    "call_log",
    "call_log_new_ticket",
    "call_update",
    "connector_create",
    "connector_rotate_secret",
    "connector_update",
    "customer_for_number",
    "may_change_call",
    "number_normalise",
    "url_clean",
]
