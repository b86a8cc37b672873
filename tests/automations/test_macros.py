"""Macros: placeholders refused on save and rendered safely, actions validated and applied through
the desk, the macro_applied event, usage counted, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.automations import placeholders, services
from frontline.automations.models import Macro, MacroUse, Visibility
from frontline.desk.errors import TransitionNotAllowed
from frontline.desk.models import EventKind, Message, Ticket
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Hi {{ customer.first_name }},\n\nAbout {{ ticket.reference }} (*{{ ticket.subject }}*): done.\n\n{{ agent.first_name }}"


def shared(manager, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("body", BODY)
    kw.setdefault("actions", [{"type": "set_status", "value": "pending"}, {"type": "add_tags", "value": ["refund"]}])
    return services.macro_save(macro=None, actor=manager, name=kw.pop("name", "Refund issued"),
                               visibility=Visibility.SHARED, **kw)


def test_unknown_placeholders_and_bad_actions_are_refused_with_their_fields(manager) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.macro_save(macro=None, actor=manager, name="x", body="Hi {{ customer.password }} {{ ticket.id }}",
                            actions=[{"type": "set_priority", "value": "extreme"}, {"type": "rm_rf"}],
                            visibility=Visibility.SHARED)
    errors = caught.value.message_dict
    assert set(errors) == {"body", "actions.0.value", "actions.1.type"}
    assert "{{ customer.password }}" in errors["body"][0]
    assert Macro.objects.count() == 0


def test_rendering_substitutes_only_the_whitelist_and_escapes_values(manager, agent) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer()
    customer.name = "<script>alert(1)</script> [click](javascript:alert(2)) **Bob**"
    customer.save()
    ticket = f.ticket(requester=customer, subject="<img src=x onerror=alert(3)>")
    macro = shared(manager, body=BODY + " {{ customer.name }} {{ ticket.subject }}")
    preview = services.macro_preview(macro=macro, ticket=ticket, agent=agent)
    assert preview.text.startswith("Hi <script>alert(1)</script>,")
    assert f"#{ticket.pk}" in preview.text and preview.text.rstrip().endswith("<img src=x onerror=alert(3)>")
    assert "<script" not in preview.html and "<img" not in preview.html and "href" not in preview.html
    assert "<strong>Bob</strong>" not in preview.html  # a customer's Markdown stays text
    assert "<em>" in preview.html  # the macro's own Markdown renders
    assert preview.actions == ["Status → Pending", "Add tags refund"]
    assert placeholders.render_text("{{ nope }} {{ticket.id}}", {"ticket.id": "7"}) == "{{ nope }} 7"


def test_apply_sends_the_reply_runs_the_actions_and_counts_the_use(manager, agent) -> None:  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    macro = shared(manager)
    text = services.macro_preview(macro=macro, ticket=ticket, agent=agent).text
    services.macro_apply(macro=macro, ticket=ticket, actor=agent, reply=text)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status_category == "pending"
    assert set(ticket.tags.values_list("name", flat=True)) == {"refund"}
    reply = Message.objects.filter(ticket=ticket, author_user=agent).get()
    assert reply.is_public and "<em>" in reply.body_html  # unedited: the Markdown rendered
    event = ticket.events.get(kind=EventKind.MACRO_APPLIED)
    assert event.actor == agent
    assert event.payload["summary"] == "Macro “Refund issued”: reply sent; Status → Pending; Add tags refund"
    macro.refresh_from_db()
    assert (macro.usage_count, macro.last_used_by) == (1, agent)
    assert MacroUse.objects.get().sent_reply


def test_an_edited_reply_goes_out_as_plain_text(manager, agent) -> None:  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    macro = shared(manager, actions=[])
    services.macro_apply(macro=macro, ticket=ticket, actor=agent, reply="Edited *by hand* <b>x</b>")
    reply = Message.objects.get(ticket=ticket, author_user=agent)
    assert reply.body_html == "<p>Edited *by hand* &lt;b&gt;x&lt;/b&gt;</p>"


def test_actions_only_and_a_refused_action_changes_nothing(manager, agent) -> None:  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    solved = shared(manager, name="Close", actions=[{"type": "set_status", "value": "closed"}])
    with pytest.raises(TransitionNotAllowed):
        services.macro_apply(macro=solved, ticket=ticket, actor=agent, reply="A reply that must not go out")
    assert not Message.objects.filter(ticket=ticket, author_user=agent).exists()
    assert not ticket.events.filter(kind=EventKind.MACRO_APPLIED).exists()
    assert Macro.objects.get(pk=solved.pk).usage_count == 0
    note = shared(manager, name="Note", body="", actions=[{"type": "add_note", "value": "Checked by {{ agent.first_name }}"},
                                                           {"type": "assign", "value": "me"}])
    services.macro_apply(macro=note, ticket=ticket, actor=agent, reply=None)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.assignee == agent
    assert Message.objects.get(ticket=ticket, is_public=False).body_text == "Checked by Ana"


def test_visibility_personal_team_shared(manager, lead, agent, team) -> None:  # type: ignore[no-untyped-def]
    other_team = f.team(name="Other")
    outsider = f.agent(teams=[other_team])
    mine = services.macro_save(macro=None, actor=agent, name="Mine", body="x", actions=[], visibility=Visibility.PERSONAL)
    team_macro = services.macro_save(macro=None, actor=lead, name="Team", body="x", actions=[],
                                     visibility=Visibility.TEAM, team=team)
    everyone = shared(manager)
    from frontline.automations.selectors import macros_for_viewer

    def seen(user):  # type: ignore[no-untyped-def]
        return set(macros_for_viewer(viewer=user).values_list("name", flat=True))

    assert seen(agent) == {"Mine", "Team", "Refund issued"}
    assert seen(outsider) == {"Refund issued"}
    assert seen(lead) == {"Team", "Refund issued"}
    assert seen(manager) == {"Team", "Refund issued"}  # personal macros are personal, even to managers
    assert seen(f.customer(with_login=True).user) == set()
    with pytest.raises(PermissionDenied):
        services.macro_apply(macro=mine, ticket=f.ticket(), actor=outsider, reply="x")
    with pytest.raises(PermissionDenied):  # an agent cannot edit a team's or a shared macro
        services.macro_save(macro=team_macro, actor=agent, name="Hijack", body="x", actions=[], visibility=Visibility.TEAM,
                            team=team)
    with pytest.raises(PermissionDenied):
        services.macro_save(macro=None, actor=agent, name="Shared", body="x", actions=[], visibility=Visibility.SHARED)
    with pytest.raises(PermissionDenied):  # a lead only for the teams they lead
        services.macro_save(macro=None, actor=lead, name="T", body="x", actions=[], visibility=Visibility.TEAM,
                            team=other_team)
    with pytest.raises(PermissionDenied):
        services.macro_delete(macro=everyone, actor=lead)
    services.macro_delete(macro=team_macro, actor=lead)
