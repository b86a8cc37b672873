"""Writes of the inbox: pull survey comments and first customer messages in, correct labels.

Sync is idempotent: an item's ``dedupe_key`` names what it came from (``survey:<response id>``,
``ticket:<ticket id>``), so running it twice adds nothing; a changed survey comment updates its
item (and clears its machine labels, which are recomputed).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core import background
from frontline.desk.models import AuthorKind, Message
from frontline.people.models import User
from frontline.surveys import selectors as survey_selectors

from ..models import FeedbackItem, Kind, Sentiment, Source
from .text import text_clean

SYNC_BATCH = 2000


def _ticket_first_messages(since: datetime | None) -> list[Message]:
    """The first public customer message of each ticket created at or after ``since``."""
    messages = (Message.objects.filter(author_kind=AuthorKind.CUSTOMER, is_public=True)
                .select_related("ticket", "author_customer").order_by("ticket_id", "created_at", "id"))
    if since is not None:
        messages = messages.filter(ticket__created_at__gte=since)
    first: dict[int, Message] = {}
    for message in messages.iterator(chunk_size=SYNC_BATCH):
        first.setdefault(message.ticket_id, message)
    return list(first.values())


def feedback_sync(*, since: datetime | None = None, at: datetime | None = None,
                  tickets_since: datetime | None = None) -> dict[str, int]:
    """Bring survey comments answered since ``since`` and the first customer message of tickets
    created since ``since`` (or ``tickets_since`` when given) into the inbox (everything when
    ``since`` is None).

    Returns ``{"added": n, "updated": n}``; new and changed items are queued for labelling and
    topic assignment (``insights.label``).
    """
    at = at or timezone.now()
    added = updated = 0
    with transaction.atomic():
        existing = {key: (pk, text) for key, pk, text in FeedbackItem.objects.filter(
            source__in=[Source.SURVEY, Source.TICKET]).values_list("dedupe_key", "pk", "text")}
        new: list[FeedbackItem] = []
        for c in survey_selectors.comments(since=since):
            key = f"survey:{c.response_id}"
            text = text_clean(c.comment)
            if not text:
                continue
            if key in existing:
                pk, old = existing[key]
                if old != text:
                    FeedbackItem.objects.filter(pk=pk).update(
                        text=text, score=c.score, created_at=c.answered_at, kind="", sentiment="", language="",
                        kind_corrected=False, sentiment_corrected=False, topic=None, topic_similarity=None,
                        topic_run=None)
                    updated += 1
                elif FeedbackItem.objects.filter(pk=pk).exclude(score=c.score).update(score=c.score):
                    updated += 1
                continue
            new.append(FeedbackItem(source=Source.SURVEY, source_name=c.survey.upper(), external_id=str(c.response_id),
                                    dedupe_key=key, text=text, created_at=c.answered_at, added_at=at, score=c.score,
                                    score_scale=c.survey, customer_id=c.customer_id, ticket_id=c.ticket_id))
        for m in _ticket_first_messages(tickets_since or since):
            key = f"ticket:{m.ticket_id}"
            text = text_clean(m.body_text)
            if key in existing or not text:
                continue
            customer = m.author_customer
            new.append(FeedbackItem(source=Source.TICKET, source_name=m.ticket.get_channel_display(),
                                    external_id=str(m.ticket_id), dedupe_key=key, text=text,
                                    created_at=m.created_at, added_at=at, customer=customer,
                                    customer_name=customer.name if customer else "",
                                    customer_email=customer.email if customer else "", ticket_id=m.ticket_id))
        FeedbackItem.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        added = len(new)
        if added or updated:
            background.enqueue_on_commit("insights.label")
    return {"added": added, "updated": updated}


def feedback_label_correct(*, item: FeedbackItem, actor: User, kind: str | None = None,
                           sentiment: str | None = None, at: datetime | None = None) -> FeedbackItem:
    """A person's label for ``item`` (kind, sentiment or both); it becomes a training and
    evaluation example, and the classifier is retrained in the background."""
    errors: dict[str, list[str]] = {}
    if kind is not None and kind not in Kind.values:
        errors["kind"] = [f"One of {', '.join(Kind.values)}."]
    if sentiment is not None and sentiment not in Sentiment.values:
        errors["sentiment"] = [f"One of {', '.join(Sentiment.values)}."]
    if kind is None and sentiment is None:
        errors["kind"] = ["Give a kind or a sentiment."]
    if errors:
        raise ValidationError(errors)
    fields = ["corrected_by", "corrected_at"]
    with transaction.atomic():
        item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
        if kind is not None:
            item.kind, item.kind_corrected = kind, True
            fields += ["kind", "kind_corrected"]
        if sentiment is not None:
            item.sentiment, item.sentiment_corrected = sentiment, True
            fields += ["sentiment", "sentiment_corrected"]
        item.corrected_by, item.corrected_at = actor, at or timezone.now()
        item.save(update_fields=fields)
        background.enqueue_on_commit("insights.train")
    return item
