"""The inbox pulls survey comments and first customer messages once each; labels corrected."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from frontline.desk.services import ticket_reply
from frontline.insights import services
from frontline.insights.models import FeedbackItem, Source
from frontline.surveys import services as survey_services
from frontline.surveys.models import ResponseVia
from tests import factories as f

from .conftest import item, sent_survey

pytestmark = pytest.mark.django_db


def _answered(comment: str, score: int = 2):  # type: ignore[no-untyped-def]
    ticket = f.ticket(body="My parcel is late again")
    survey = sent_survey(ticket)
    survey_services.survey_answer(survey=survey, score=score, comment=comment, via=ResponseVia.EMAIL)
    return ticket, survey


def test_sync_brings_comments_and_first_messages_once() -> None:
    ticket, _survey = _answered("The courier never rings")
    agent = f.agent()
    ticket_reply(ticket=ticket, author=agent, body="Sorry about that")
    first = services.feedback_sync()
    assert first == {"added": 2, "updated": 0}
    by_source = {i.source: i for i in FeedbackItem.objects.all()}
    assert by_source[Source.SURVEY].text == "The courier never rings"
    assert (by_source[Source.SURVEY].score, by_source[Source.SURVEY].ticket_id) == (2, ticket.pk)
    assert by_source[Source.TICKET].text == "My parcel is late again"
    assert services.feedback_sync() == {"added": 0, "updated": 0}


def test_a_changed_comment_updates_its_item_and_clears_machine_labels() -> None:
    _ticket, survey = _answered("Slow")
    services.feedback_sync()
    FeedbackItem.objects.filter(source=Source.SURVEY).update(kind="complaint", sentiment="negative")
    survey_services.survey_answer(survey=survey, score=5, comment="Actually great", via=ResponseVia.EMAIL)
    assert services.feedback_sync()["updated"] == 1
    changed = FeedbackItem.objects.get(source=Source.SURVEY)
    assert (changed.text, changed.score, changed.kind) == ("Actually great", 5, "")


def test_correcting_a_label_marks_it_as_a_person_s() -> None:
    feedback = item("Please add dark mode")
    manager = f.manager()
    services.feedback_label_correct(item=feedback, actor=manager, kind="suggestion")
    feedback.refresh_from_db()
    assert (feedback.kind, feedback.kind_corrected, feedback.sentiment_corrected) == ("suggestion", True, False)
    assert feedback.corrected_by == manager


@pytest.mark.parametrize(("kind", "sentiment", "field"), [("rant", None, "kind"), (None, "angry", "sentiment"),
                                                          (None, None, "kind")])
def test_a_label_outside_the_choices_is_refused(kind: str | None, sentiment: str | None, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.feedback_label_correct(item=item(), actor=f.manager(), kind=kind, sentiment=sentiment)
    assert field in error.value.message_dict
