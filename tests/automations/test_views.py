"""Pages: rules for managers only (a bad field shown as a form error with its path, fixed, dry-run,
saved), macros by role, applying a macro from the ticket page (preview, edit, send), 403s and 404s."""

from __future__ import annotations

import json

import pytest

from frontline.automations import services
from frontline.automations.models import Macro, Rule, Visibility
from frontline.desk.models import EventKind, Message, Ticket
from tests import factories as f

pytestmark = pytest.mark.django_db


def rule_post(**kw):  # type: ignore[no-untyped-def]
    data = {"name": "Urgent VIP", "trigger": "ticket_created", "active": "on", "description": "",
            "conditions": json.dumps({"all": [{"field": "ticket.priority", "op": "eq", "value": "urgent"}]}),
            "actions": json.dumps([{"type": "add_tags", "value": ["vip"]}])}
    data.update(kw)
    return data


def test_rules_are_for_managers(login, agent, lead, manager) -> None:  # type: ignore[no-untyped-def]
    assert login(agent).get("/automations/").status_code == 403
    assert login(lead).get("/automations/rules/new/").status_code == 403
    assert login(lead).post("/automations/rules/new/", rule_post()).status_code == 403
    page = login(manager).get("/automations/")
    assert page.status_code == 200 and b"No rules yet" in page.content
    assert Rule.objects.count() == 0


def test_a_bad_field_is_a_form_error_then_dry_run_then_save(login, manager, team) -> None:  # type: ignore[no-untyped-def]
    urgent = f.ticket(team=team, priority="urgent")
    f.ticket(team=team)
    client = login(manager)
    bad = rule_post(conditions=json.dumps({"all": [{"field": "ticket.priorty", "op": "eq", "value": "urgent"}]}))
    page = client.post("/automations/rules/new/", {**bad, "save": "1"})
    assert page.status_code == 422
    assert "conditions.all.0.field: Unknown field &#x27;ticket.priorty&#x27;." in page.content.decode()
    broken = client.post("/automations/rules/new/", rule_post(conditions="{all: ["))
    assert broken.status_code == 422 and b"Not valid JSON" in broken.content
    dry = client.post("/automations/rules/new/", {**rule_post(), "dry_run": "1"}, follow=True)
    assert dry.redirect_chain[0][0].startswith("/automations/rules/new/?") and dry.status_code == 200
    assert f"?view=all&amp;ids={urgent.pk}".encode() in dry.content and b"1 open ticket</a>" in dry.content
    assert Rule.objects.count() == 0  # a dry run saves nothing
    saved = client.post("/automations/rules/new/", {**rule_post(), "save": "1"})
    assert saved.status_code == 302
    rule = Rule.objects.get()
    listing = client.get("/automations/").content.decode()
    assert "Urgent VIP" in listing and "Priority is urgent" in listing and "Add tags vip" in listing
    assert client.get(f"/automations/rules/{rule.pk}/").status_code == 200
    assert client.post(f"/automations/rules/{rule.pk}/delete/").status_code == 302
    assert client.get(f"/automations/rules/{rule.pk}/").status_code == 404


def test_apply_a_macro_from_the_ticket_page(login, manager, agent, team) -> None:  # type: ignore[no-untyped-def]
    macro = services.macro_save(macro=None, actor=manager, name="Password reset", visibility=Visibility.SHARED,
                                body="Hi {{ customer.first_name }}, use the *reset* link.",
                                actions=[{"type": "set_status", "value": "pending"}, {"type": "add_tags", "value": ["password"]}])
    ticket = f.ticket(team=team)
    client = login(agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="macros"' in page and "Password reset" in page
    preview = client.get(f"/automations/tickets/{ticket.pk}/macro/?macro={macro.pk}")
    assert preview.status_code == 200
    assert b"Status \xe2\x86\x92 Pending; Add tags password" in preview.content and b"<em>reset</em>" in preview.content
    partial = client.get(f"/automations/tickets/{ticket.pk}/macro/?macro={macro.pk}", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"macro-preview-body" in partial.content
    done = client.post(f"/automations/tickets/{ticket.pk}/macro/",
                       {"macro": macro.pk, "reply": "Hi Customer, use the reset link. Edited.", "public": "1", "send": "1"})
    assert done.status_code == 302 and done["Location"].endswith("?history=1#history")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status_category == "pending"
    assert Message.objects.get(ticket=ticket, author_user=agent).body_text == "Hi Customer, use the reset link. Edited."
    history = client.get(done["Location"]).content.decode()
    assert "Macro “Password reset”: reply sent; Status → Pending; Add tags password" in history
    assert ticket.events.filter(kind=EventKind.MACRO_APPLIED).count() == 1
    usage = login(manager).get(f"/automations/macros/{macro.pk}/").content.decode()
    assert f"<td>{agent.display_name}</td><td class=\"num\">1\u00d7</td>" in usage
    assert "1\u00d7" in login(manager).get("/automations/macros/").content.decode()


def test_macro_pages_refuse_what_a_role_may_not_do(login, agent, team, manager) -> None:  # type: ignore[no-untyped-def]
    other = f.agent()
    mine = services.macro_save(macro=None, actor=agent, name="Mine", body="x", actions=[], visibility=Visibility.PERSONAL)
    hidden_ticket = f.ticket(team=f.team(name="Far away"))
    assert login(other).get(f"/automations/macros/{mine.pk}/").status_code == 404
    assert login(other).post(f"/automations/macros/{mine.pk}/delete/").status_code == 404
    assert login(other).get(f"/automations/tickets/{f.ticket().pk}/macro/?macro={mine.pk}").status_code == 404
    assert login(agent).get(f"/automations/tickets/{hidden_ticket.pk}/macro/?macro={mine.pk}").status_code == 404
    assert "Mine" not in login(other).get("/automations/macros/").content.decode()
    refused = login(agent).post("/automations/macros/new/", {"name": "Everyone", "body": "x", "actions": "[]",
                                                              "visibility": "shared", "active": "on"})
    assert refused.status_code == 403
    customer = f.customer(with_login=True)
    assert login(customer.user).get("/automations/macros/").status_code == 403
    made = login(agent).post("/automations/macros/new/", {"name": "Bad", "body": "Hi {{ customer.ssn }}",
                                                           "actions": "[]", "visibility": "personal", "active": "on"})
    assert made.status_code == 422 and b"Unknown placeholder {{ customer.ssn }}" in made.content
    assert Macro.objects.count() == 1


def test_a_macro_made_with_the_plain_fields_saves_their_actions_and_reads_back_into_them(login, agent, team) -> None:  # type: ignore[no-untyped-def]
    client = login(agent)
    form = {"name": "Chase the carrier", "body": "Hi {{ customer.first_name }}", "set_status": "pending",
            "set_priority": "high", "add_tags": "Shipping, carrier , ", "assign": "me",
            "add_note": "Chased {{ ticket.reference }} with the carrier.",
            "actions": '[{"type": "set_type", "value": "problem"}]', "visibility": "personal", "active": "on"}
    saved = client.post("/automations/macros/new/", form)
    macro = Macro.objects.get()
    assert (saved.status_code, macro.actions) == (302, [
        {"type": "set_status", "value": "pending"}, {"type": "set_priority", "value": "high"},
        {"type": "add_tags", "value": ["carrier", "shipping"]}, {"type": "assign", "value": "me"},
        {"type": "add_note", "value": "Chased {{ ticket.reference }} with the carrier."},
        {"type": "set_type", "value": "problem"}])
    page = client.get(f"/automations/macros/{macro.pk}/").content.decode()
    assert '<option value="pending" selected>' in page and '<option value="high" selected>' in page
    assert 'value="carrier, shipping"' in page and '<option value="me" selected>' in page
    assert "Chased {{ ticket.reference }} with the carrier.</textarea>" in page
    assert "&quot;set_type&quot;" in page and "&quot;set_status&quot;" not in page  # only the rest stays JSON

    # Unassign is "nobody"; clearing a field drops its action; an assignee by username stays JSON.
    changed = client.post(f"/automations/macros/{macro.pk}/", {
        **form, "set_status": "", "add_note": "", "assign": "nobody",
        "actions": json.dumps([{"type": "assign", "value": agent.username}])})
    macro.refresh_from_db()
    assert (changed.status_code, macro.actions) == (302, [
        {"type": "set_priority", "value": "high"}, {"type": "add_tags", "value": ["carrier", "shipping"]},
        {"type": "assign", "value": ""}, {"type": "assign", "value": agent.username}])
    page = client.get(f"/automations/macros/{macro.pk}/").content.decode()
    assert '<option value="nobody" selected>' in page and f"&quot;{agent.username}&quot;" in page


def test_a_macro_form_error_lands_on_the_field_that_caused_it(login, agent) -> None:  # type: ignore[no-untyped-def]
    client = login(agent)
    refused = client.post("/automations/macros/new/", {
        "name": "Bad", "body": "x", "add_note": "About {{ customer.ssn }}", "set_status": "solved",
        "actions": '[{"type": "set_priority", "value": "asap"}]', "visibility": "personal", "active": "on"})
    page = refused.content.decode()
    note = page[page.index('id="id_add_note"'):page.index('id="id_actions"')]
    more = page[page.index('id="id_actions"'):]
    assert refused.status_code == 422 and Macro.objects.count() == 0
    assert "Unknown placeholder {{ customer.ssn }}" in note and "actions." not in note
    assert "actions.0.value: One of: low, normal, high, urgent." in more  # counted from the JSON list's start
    not_a_list = client.post("/automations/macros/new/", {"name": "Bad", "body": "x", "actions": '{"type": "x"}',
                                                          "visibility": "personal", "active": "on"})
    assert not_a_list.status_code == 422 and b"Give a JSON list of actions" in not_a_list.content


def test_a_rules_webhook_secret_is_shown_once_then_masked_and_can_be_replaced(login, manager) -> None:  # type: ignore[no-untyped-def]
    client = login(manager)
    hook = json.dumps([{"type": "webhook", "url": "https://crm.partner.example/hook"}])
    saved = client.post("/automations/rules/new/", {**rule_post(actions=hook), "save": "1"})
    rule = Rule.objects.get()
    secret = rule.webhook_secret
    first, again = client.get(saved.url), client.get(saved.url)
    assert (saved.url, secret.encode() in first.content, secret.encode() in again.content) == (
        f"/automations/rules/{rule.pk}/", True, False)
    assert f"••••••••{secret[-4:]}".encode() in again.content
    replaced = client.post(f"/automations/rules/{rule.pk}/secret/")
    rule.refresh_from_db()
    shown = client.get(replaced.url)
    assert (replaced.status_code, rule.webhook_secret != secret, rule.webhook_secret.encode() in shown.content) == (
        302, True, True)
    assert rule.webhook_secret.encode() not in client.get(replaced.url).content
    edited = client.post(f"/automations/rules/{rule.pk}/", {**rule_post(actions=hook, name="Renamed"), "save": "1"})
    assert edited.url == "/automations/" and Rule.objects.get().webhook_secret == rule.webhook_secret


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_only_managers_replace_a_rules_webhook_secret(login, manager, role) -> None:  # type: ignore[no-untyped-def]
    rule = services.rule_save(rule=None, actor=manager, name="Hook", trigger="ticket_created", conditions={"all": []},
                              actions=[{"type": "webhook", "url": "https://crm.partner.example/hook"}])
    user = {"agent": f.agent, "lead": f.lead}[role]()
    client = login(user)
    assert [client.post(f"/automations/rules/{rule.pk}/secret/").status_code,
            client.get(f"/automations/rules/{rule.pk}/").status_code] == [403, 403]
    assert Rule.objects.get().webhook_secret == rule.webhook_secret
    assert login(manager).post("/automations/rules/999999/secret/").status_code == 404


def test_the_fired_count_opens_the_tickets_the_rule_fired_on(login, manager, lead, team, run_tasks) -> None:  # type: ignore[no-untyped-def]
    """"Fired 2" on the rule list leads to the desk's list of those two tickets (each once, latest first);
    leads, who may not see rules, get 403; an unknown rule 404; a rule that never fired shows 0, no link."""
    import re

    from tests.automations.conftest import make_rule

    tagger = make_rule(manager, name="Tag invoices", conditions={"all": [
        {"field": "ticket.subject", "op": "contains", "value": ["invoice"]}]})
    idle = make_rule(manager, name="Never", conditions={"all": [{"field": "ticket.subject", "op": "contains",
                                                                  "value": ["zzz-nothing"]}]})
    with run_tasks():
        first = f.ticket(team=team, subject="Invoice 1")
        f.ticket(team=team, subject="Login")
        second = f.ticket(team=team, subject="Invoice 2")
    client = login(manager)
    page = client.get("/automations/").content.decode()
    assert f'<a href="/automations/rules/{tagger.pk}/tickets/" title="The tickets it fired on">2</a>' in page
    assert f"/automations/rules/{idle.pk}/tickets/" not in page
    opened = client.get(f"/automations/rules/{tagger.pk}/tickets/")
    assert opened.status_code == 302 and opened.url == f"/tickets/?view=all&ids={second.pk}%2C{first.pk}"
    listed = client.get(opened.url).content.decode()
    assert {int(i) for i in re.findall(r'href="/tickets/(\d+)/"', listed)} == {first.pk, second.pk}
    assert client.get(f"/automations/rules/{idle.pk}/tickets/").url == "/tickets/?view=all&ids=0"
    assert login(lead).get(f"/automations/rules/{tagger.pk}/tickets/").status_code == 403
    assert client.get("/automations/rules/999999/tickets/").status_code == 404
    detail = client.get(f"/automations/rules/{tagger.pk}/").content.decode()
    assert "Fired 2 times" in detail and f"/automations/rules/{tagger.pk}/tickets/" in detail
