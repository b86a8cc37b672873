"""The macros and automations API: staff list and apply the macros they see (404 for others', and for
tickets they may not see); managers create, change, delete and dry-run rules (403 for others); a
refused condition or action is a 422 whose field is its path."""

from __future__ import annotations

import json

import pytest

from frontline.automations import services
from frontline.automations.models import Rule, Visibility
from frontline.desk.models import Ticket
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db

RULE = {"name": "VIP urgent", "trigger": "ticket_created",
        "conditions": {"all": [{"field": "requester.tier", "op": "in", "value": ["gold", "platinum"]}]},
        "actions": [{"type": "set_priority", "value": "urgent"}]}


def test_rules_crud_and_dry_run_for_managers(manager, agent, lead, team) -> None:  # type: ignore[no-untyped-def]
    api = ApiClient(manager)
    created = api.post("/automations", RULE)
    assert created.status_code == 201, created.content
    rule_id = created.json()["id"]
    assert api.get("/automations").json()[0]["name"] == "VIP urgent"
    changed = api.client.put(f"/api/v1/automations/{rule_id}", json.dumps({**RULE, "name": "VIP first"}),
                             content_type="application/json", headers=api.headers)
    assert changed.status_code == 200 and changed.json()["name"] == "VIP first"
    ticket = f.ticket(team=team, subject="Refund for invoice 7")
    dry = api.post("/automations/dry-run", {"conditions": {"all": [
        {"field": "ticket.subject", "op": "contains", "value": "invoice"}]}})
    assert dry.status_code == 200
    assert dry.json()["ticket_ids"] == [ticket.pk] and dry.json()["desk_url"].endswith(f"ids={ticket.pk}")
    for user in (agent, lead):
        other = ApiClient(user)
        assert other.get("/automations").status_code == 403
        assert other.post("/automations", RULE).status_code == 403
        assert other.post("/automations/dry-run", {"conditions": {"all": []}}).status_code == 403
        assert other.get(f"/automations/{rule_id}").status_code == 403
    deleted = api.client.delete(f"/api/v1/automations/{rule_id}", headers=api.headers)
    assert deleted.status_code == 204 and not Rule.objects.exists()
    assert api.get(f"/automations/{rule_id}").status_code == 404


@pytest.mark.parametrize(("body", "fields"), [
    ({**RULE, "conditions": {"all": [{"field": "ticket.mood", "op": "eq", "value": "sad"}]}}, {"conditions.all.0.field"}),
    ({**RULE, "conditions": {"any": [{"field": "ticket.priority", "op": "eq", "value": 3}]}}, {"conditions.any.0.value"}),
    ({**RULE, "actions": [{"type": "delete_ticket"}]}, {"actions.0.type"}),
    ({**RULE, "actions": []}, {"actions"}),
    ({**RULE, "trigger": "sometimes"}, {"trigger"}),
    ({**RULE, "conditions": "priority == 'high'"}, {"conditions"}),
    ({**RULE, "actions": [{"type": "notify", "to": "nobody", "subject": "{{ ticket.secret }}", "body": "x"}]},
     {"actions.0.to", "actions.0.subject"}),
])
def test_bad_rules_are_422_naming_the_path(manager, body, fields) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(manager).post("/automations", body)
    assert response.status_code == 422
    assert fields_of(response) == fields
    assert not Rule.objects.exists()


def test_macros_list_preview_apply(manager, agent, team) -> None:  # type: ignore[no-untyped-def]
    macro = services.macro_save(macro=None, actor=manager, name="Refund issued", visibility=Visibility.SHARED,
                                body="Hi {{ customer.first_name }}, refunded.", actions=[{"type": "set_status", "value": "solved"}])
    mine = services.macro_save(macro=None, actor=manager, name="Manager's own", body="x", actions=[],
                               visibility=Visibility.PERSONAL)
    ticket = f.ticket(team=team)
    api = ApiClient(agent)
    assert [m["name"] for m in api.get("/macros").json()] == ["Refund issued"]
    preview = api.get(f"/macros/{macro.pk}/preview", {"ticket_id": ticket.pk}).json()
    assert preview["text"] == "Hi Customer, refunded." and preview["actions"] == ["Status → Solved"]
    applied = api.post(f"/macros/{macro.pk}/apply", {"ticket_id": ticket.pk, "reply": preview["text"]})
    assert applied.status_code == 200 and applied.json()["sent_reply"] is True
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"
    assert api.post(f"/macros/{mine.pk}/apply", {"ticket_id": ticket.pk}).status_code == 404
    hidden = f.ticket(team=f.team(name="Elsewhere"))
    assert api.post(f"/macros/{macro.pk}/apply", {"ticket_id": hidden.pk}).status_code == 404
    assert api.post(f"/macros/{macro.pk}/apply", {"ticket_id": "x"}).status_code == 422
    customer = f.customer(with_login=True)
    assert ApiClient(customer.user).get("/macros").status_code == 403
