"""The demo's phone and messaging history, written after the tickets (the same for both writers).

Phone: a telephony connector ("Office PBX") and, for every phone ticket of the history, the call
it was filed from, as the PBX reported it: the ring wait, talk and wrap-up (talk + wrap-up is the
handle time the ticket's first message already carries; wrap-up takes 12-30 % of it), the agent
who filed it, and a ``call_logged`` event. Before about one phone ticket in eight, the same
customer's earlier attempt that did not get through: abandoned (they hung up after a minute or
so in the queue) or missed (it rang out), with a ``call_missed`` event.

Messaging: two connectors (WhatsApp and Messenger) whose outbound webhook is Frontline's own test
receiver (``/webhooks/messages/<slug>/echo/``: it checks the signature and answers 200), so replies
written in the demo are really delivered by the task worker. The social tickets of the last 21
days become their conversations: a contact per customer and platform, the customer messages as
received messages, and each public agent reply as a delivery — most delivered at the first try,
some after one or two failed tries (HTTP 502 / 503, a timeout), and a few recent ones failed
after every try.

Deterministic from the seed (``{seed}-channels``); event payloads carry no database ids, so the
demo's snapshot compares equal across runs.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from frontline.core import formats, webhooks
from frontline.desk.models import (
    AuthorKind,
    Channel,
    EventKind,
    Message,
    Queue,
    Ticket,
    TicketEvent,
)
from frontline.messaging.models import (
    Contact,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    InboundMessage,
    MessagingConnector,
    MessagingReceipt,
    Platform,
    Thread,
)
from frontline.phone.models import (
    Call,
    CallSource,
    CallState,
    Direction,
    Disposition,
    PhoneConnector,
    PhoneReceipt,
)

MESSAGING_DAYS = 21
DISPOSITIONS = ((Disposition.RESOLVED, 55), (Disposition.FOLLOW_UP, 25), (Disposition.CALLBACK, 10),
                (Disposition.ESCALATED, 6), (Disposition.OTHER, 4))


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _duration(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return min(max(round(rng.lognormvariate(math.log(median), sigma)), low), high)


def _number(customer_id: int, phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return digits or f"+44790{customer_id % 1_000_000:06d}"


def demo_phone(*, anchor: datetime, seed: int = 7) -> dict[str, int]:
    """The connector and the calls of the phone tickets; returns counts for the summary."""
    rng = random.Random(f"{seed}-channels-phone")
    queue = Queue.objects.filter(name="Orders").first()
    connector = PhoneConnector.objects.create(name="Office PBX", slug="office-pbx", secret=webhooks.secret_new(),
                                              queue=queue, created_at=anchor - timedelta(days=120))
    firsts = (Message.objects.filter(ticket__channel=Channel.PHONE, author_kind=AuthorKind.AGENT)
              .order_by("ticket_id", "created_at", "id")
              .values_list("ticket_id", "id", "author_user_id", "handle_seconds", "created_at",
                           "ticket__requester_id", "ticket__requester__phone"))
    seen: set[int] = set()
    calls: list[Call] = []
    events: list[TicketEvent] = []
    for ticket_id, message_id, agent_id, handle, created, customer_id, phone in firsts.iterator(chunk_size=2000):
        if ticket_id in seen:
            continue
        seen.add(ticket_id)
        handle = handle if handle is not None else _duration(rng, 420, 0.6, 40, 5400)
        wrap = round(handle * rng.uniform(0.12, 0.3))
        talk = handle - wrap
        wait = _duration(rng, 25, 0.8, 3, 600)
        started = created - timedelta(seconds=wait + talk + wrap)
        number = _number(customer_id, phone)
        if rng.random() < 0.125:  # an earlier try by the same customer that did not get through
            abandoned = rng.random() < 0.65
            waited = _duration(rng, 70 if abandoned else 35, 0.6, 5, 900)
            before = started - timedelta(minutes=rng.uniform(3, 45))
            state = CallState.ABANDONED if abandoned else CallState.MISSED
            calls.append(Call(ticket_id=ticket_id, connector=connector, external_id=f"pbx-{ticket_id}-0",
                              source=CallSource.WEBHOOK, direction=Direction.INBOUND, state=state,
                              customer_id=customer_id, number=number, started_at=before,
                              ended_at=before + timedelta(seconds=waited), wait_seconds=waited, created_at=before))
            summary = (f"Abandoned call: {number} hung up after {formats.duration(waited)} waiting." if abandoned
                       else f"Missed call from {number}: not answered after {formats.duration(waited)}.")
            events.append(TicketEvent(ticket_id=ticket_id, kind=EventKind.CALL_MISSED, created_at=created, payload={
                "reason": state, "direction": Direction.INBOUND, "wait_seconds": waited, "number": number,
                "summary": summary}))
        disposition = _weighted(rng, DISPOSITIONS)
        calls.append(Call(ticket_id=ticket_id, connector=connector, external_id=f"pbx-{ticket_id}-1",
                          source=CallSource.WEBHOOK, direction=Direction.INBOUND, state=CallState.ENDED,
                          customer_id=customer_id, number=number, agent_id=agent_id, started_at=started,
                          answered_at=started + timedelta(seconds=wait),
                          ended_at=started + timedelta(seconds=wait + talk), talk_seconds=talk, wrap_seconds=wrap,
                          wait_seconds=wait, disposition=disposition, message_id=message_id, created_at=started))
        label = dict(Disposition.choices)[disposition].lower()
        events.append(TicketEvent(ticket_id=ticket_id, kind=EventKind.CALL_LOGGED, actor_id=agent_id, created_at=created,
                                  payload={"direction": Direction.INBOUND, "source": CallSource.WEBHOOK,
                                           "talk_seconds": talk, "wrap_seconds": wrap, "handle_seconds": handle,
                                           "disposition": disposition,
                                           "summary": f"Inbound call, {formats.duration(talk)} talk + "
                                                      f"{formats.duration(wrap)} wrap-up ({label})"}))
    Call.objects.bulk_create(calls, batch_size=2000)
    TicketEvent.objects.bulk_create(events, batch_size=2000)
    PhoneReceipt.objects.bulk_create(_receipts(connector, calls), batch_size=2000)
    return {"calls": len(calls), "missed or abandoned calls": sum(c.state != CallState.ENDED for c in calls)}


def echo_url(slug: str) -> str:
    return f"{settings.FRONTLINE_BASE_URL.rstrip('/')}/webhooks/messages/{slug}/echo/"


def demo_messaging(*, anchor: datetime, seed: int = 7) -> dict[str, int]:
    """Two connectors, the recent social tickets as their conversations, and the replies' deliveries."""
    rng = random.Random(f"{seed}-channels-messaging")
    queue = Queue.objects.filter(name="Orders").first()
    connectors = {
        Platform.WHATSAPP: MessagingConnector.objects.create(
            name="Shop WhatsApp", slug="shop-whatsapp", platform=Platform.WHATSAPP, secret=webhooks.secret_new(),
            outbound_url=echo_url("shop-whatsapp"), queue=queue, created_at=anchor - timedelta(days=60)),
        Platform.MESSENGER: MessagingConnector.objects.create(
            name="Shop Messenger", slug="shop-messenger", platform=Platform.MESSENGER, secret=webhooks.secret_new(),
            outbound_url=echo_url("shop-messenger"), queue=queue, created_at=anchor - timedelta(days=60)),
    }
    tickets = list(Ticket.objects.filter(channel=Channel.SOCIAL, created_at__gte=anchor - timedelta(days=MESSAGING_DAYS))
                   .order_by("created_at", "id").values_list("id", "requester_id", "requester__name", "created_at"))
    contacts: dict[tuple[str, int], Contact] = {}
    threads: list[Thread] = []
    for ticket_id, customer_id, name, created in tickets:
        platform = Platform.WHATSAPP if rng.random() < 0.7 else Platform.MESSENGER
        key = (platform, customer_id)
        if key not in contacts:
            user_id = f"44790{customer_id % 1_000_000:06d}" if platform == Platform.WHATSAPP else f"{7_100_000_000 + customer_id * 7919}"
            contacts[key] = Contact(platform=platform, external_user_id=user_id, display_name=name,
                                    customer_id=customer_id, created_at=created)
        threads.append(Thread(connector=connectors[platform], external_conversation_id=f"{platform}-{ticket_id}",
                              contact=contacts[key], ticket_id=ticket_id, created_at=created, last_inbound_at=created))
    Contact.objects.bulk_create(list(contacts.values()), batch_size=1000)
    for thread in threads:
        thread.contact_id = thread.contact.pk
    Thread.objects.bulk_create(threads, batch_size=1000)
    by_ticket = {t.ticket_id: t for t in threads}
    inbound: list[InboundMessage] = []
    deliveries: list[Delivery] = []
    tries: list[list[DeliveryAttempt]] = []
    messages = (Message.objects.filter(ticket_id__in=list(by_ticket), is_public=True)
                .exclude(author_kind=AuthorKind.SYSTEM).order_by("ticket_id", "created_at", "id")
                .values_list("id", "ticket_id", "author_kind", "created_at"))
    for message_id, ticket_id, kind, at in messages:
        thread = by_ticket[ticket_id]
        if kind == AuthorKind.CUSTOMER:
            inbound.append(InboundMessage(thread=thread, message_id=message_id, external_message_id=f"m{message_id}",
                                          sent_at=at - timedelta(seconds=rng.randint(1, 4)), received_at=at))
            thread.last_inbound_at = at
            continue
        delivery, attempts = _delivery(rng, thread, message_id, at, anchor)
        deliveries.append(delivery)
        tries.append(attempts)
    InboundMessage.objects.bulk_create(inbound, batch_size=2000)
    Delivery.objects.bulk_create(deliveries, batch_size=2000)
    for delivery, attempts in zip(deliveries, tries, strict=True):
        for attempt in attempts:
            attempt.delivery_id = delivery.pk
    DeliveryAttempt.objects.bulk_create([a for attempts in tries for a in attempts], batch_size=2000)
    for thread in threads:
        Thread.objects.filter(pk=thread.pk).update(last_inbound_at=thread.last_inbound_at)
    return {"messaging conversations": len(threads), "replies delivered": sum(d.status == DeliveryStatus.DELIVERED
                                                                             for d in deliveries)}


def _delivery(rng: random.Random, thread: Thread, message_id: int, at: datetime,
              anchor: datetime) -> tuple[Delivery, list[DeliveryAttempt]]:
    roll = rng.random()
    failures = 0 if roll < 0.86 else 1 if roll < 0.95 else 2
    gave_up = anchor - at < timedelta(days=4) and rng.random() < 0.06
    attempts: list[DeliveryAttempt] = []
    when = at + timedelta(seconds=rng.uniform(0.3, 2.5))
    for number in range(1, (6 if gave_up else failures + 1) + 1):
        failed = gave_up or number <= failures
        if failed:
            code, error = rng.choice(((502, "HTTP 502"), (503, "HTTP 503"), (None, "TimeoutError: timed out")))
            latency = 10_000 if code is None else _duration(rng, 240, 0.5, 20, 5000)
        else:
            code, error, latency = 200, "", _duration(rng, 160, 0.45, 25, 3000)
        attempts.append(DeliveryAttempt(number=number, started_at=when, status_code=code, latency_ms=latency,
                                        ok=not failed, error=error))
        when += timedelta(seconds=30 * 2 ** (number - 1) + latency / 1000)
    last = attempts[-1]
    delivery = Delivery(thread=thread, message_id=message_id, attempts=len(attempts), created_at=at,
                        status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.DELIVERED,
                        delivered_at=None if gave_up else last.started_at, last_error=last.error)
    return delivery, attempts


def _receipts(connector: PhoneConnector, calls: list[Call]) -> list[PhoneReceipt]:
    """The webhook events the PBX sent for the calls (ringing, then answered and ended, or missed or
    abandoned), so the connector's page lists what it received as after real traffic."""
    receipts = []
    for call in calls:
        assert call.ended_at is not None
        steps = [("ringing", call.started_at)]
        if call.answered_at is not None:
            steps += [("answered", call.answered_at), ("ended", call.ended_at)]
        else:
            steps.append((str(call.state), call.ended_at))
        receipts += [PhoneReceipt(connector=connector, event_id=f"{call.external_id}-{step}", received_at=at)
                     for step, at in steps]
    return receipts


def channels_reset() -> None:
    """Delete the demo's calls, conversations and connectors (before its tickets and customers go)."""
    DeliveryAttempt.objects.all().delete()
    Delivery.objects.all().delete()
    InboundMessage.objects.all().delete()
    Thread.objects.all().delete()
    Contact.objects.filter(Q(customer__email__endswith=".example") | Q(customer__email__endswith=".invalid")).delete()
    MessagingReceipt.objects.all().delete()
    MessagingConnector.objects.filter(slug__in=["shop-whatsapp", "shop-messenger"]).delete()
    Call.objects.all().delete()
    PhoneReceipt.objects.all().delete()
    PhoneConnector.objects.filter(slug="office-pbx").delete()
