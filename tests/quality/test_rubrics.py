"""The rubric builder: the text form round-trips, errors name the line, editing a used rubric makes a
new version through the page, and only managers and admins write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from frontline.quality import rubric_text
from frontline.quality.models import Rubric, RubricVersion

from .conftest import submitted_review

pytestmark = pytest.mark.django_db


def test_text_round_trip(world) -> None:  # type: ignore[no-untyped-def]
    text = rubric_text.render(world.version)
    assert "Shows empathy | 1-5/na | 2 | key: shows-empathy" in text
    assert "No data leak | yes/no | 1 | critical | key: no-data-leak" in text
    sections = rubric_text.parse(text)
    assert [s.title for s in sections] == ["Tone", "Resolution"]
    assert sections[1].criteria[1].auto_fail and sections[0].criteria[0].auto_check == "greeting"


def test_parse_errors_name_the_line() -> None:
    with pytest.raises(ValidationError) as caught:
        rubric_text.parse("# A\nGood | 1-10 | 1\nFine | yes/no\nOk | yes/no | x\nYes | yes/no | 1 | loud")
    assert caught.value.message_dict["text"] == [
        "Line 2: the scale is one of yes/no, yes/no/na, 1-5, 1-5/na.", "Line 3: write “label | scale | weight”.",
        "Line 4: the weight is a whole number.", "Line 5: “loud” is not critical, auto:, guidance: or key:."]


def test_pages_create_and_version(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.manager)
    assert client.get("/quality/rubrics/").status_code == 200
    assert client.get("/quality/rubrics/new/").status_code == 200
    bad = client.post("/quality/rubrics/new/", {"name": "Phone", "text": "Greets | maybe | 1"})
    assert bad.status_code == 422 and "Line 1" in bad.content.decode()
    made = client.post("/quality/rubrics/new/", {"name": "Phone", "text": "# Call\nGreets | yes/no | 1"})
    assert made.status_code == 302 and Rubric.objects.filter(name="Phone").exists()
    submitted_review(world, world.agent_a, world.lead_a)
    rubric = world.version.rubric
    text = rubric_text.render(world.version) + "\nOffers a follow-up | yes/no | 1"
    edited = client.post(f"/quality/rubrics/{rubric.pk}/edit/", {"text": text, "note": "Follow-up added"})
    assert edited.status_code == 302
    assert list(RubricVersion.objects.filter(rubric=rubric).values_list("number", "note")) == [
        (2, "Follow-up added"), (1, "")]


def test_only_managers_write(world, login) -> None:  # type: ignore[no-untyped-def]
    lead = login(world.lead_a)
    assert lead.get("/quality/rubrics/").status_code == 200
    assert lead.get("/quality/rubrics/new/").status_code == 403
    assert lead.post(f"/quality/rubrics/{world.version.rubric_id}/edit/", {"text": "x | yes/no | 1"}).status_code == 403
    assert login(world.agent_a).get("/quality/rubrics/").status_code == 403
    assert login(world.manager).get("/quality/rubrics/999999/edit/").status_code == 404
