"""Playing a scripted ticket history into the database, two ways that give the same rows.

``ServiceReplayer`` calls ``desk.services`` for each step: the reference, used by tests and by
``demo --engine services``. ``BulkReplayer`` mirrors those services step by step in memory and
writes tickets, messages, events and tags in bulk: about ten times faster. Neither sends
anything: history is replayed with ``notify=False`` (no emails to demo customers). ``tests/demo/test_replay.py`` replays the same
histories both ways and asserts identical tickets, messages and events (kinds, order, actors,
times and payloads), so a change to a service that the mirror misses fails the suite.

Package map: ``service`` (``Op``, ``ops_in_order``, ``ServiceReplayer``), ``bulk`` (``BulkReplayer``).
"""

from __future__ import annotations

from .bulk import BulkReplayer
from .service import BATCH, Op, ServiceReplayer, ops_in_order

__all__ = ["BATCH", "BulkReplayer", "Op", "ServiceReplayer", "ops_in_order"]
