"""Apps add nav entries without editing base.html; each role sees only its own, unresolvable ones are skipped."""

from __future__ import annotations

import pytest

from frontline.core import nav


@pytest.fixture
def entries():
    saved = dict(nav._ENTRIES)
    yield
    nav._ENTRIES.clear()
    nav._ENTRIES.update(saved)


def test_entries_for_a_role_in_order_and_only_resolvable(entries) -> None:
    nav.register("b", "Second", "desk:ticket_list", roles=nav.STAFF, order=20)
    nav.register("a", "First", "home", roles=nav.LEADS, order=10)
    nav.register("x", "Missing", "no_such:page", roles=nav.STAFF, order=5)
    labels = [e["label"] for e in nav.entries_for("team_lead")]
    assert labels.index("First") < labels.index("Second")
    assert "Missing" not in labels
    agent = [e["label"] for e in nav.entries_for("agent")]
    assert "Second" in agent and "First" not in agent
    assert nav.entries_for("customer") == [e for e in nav.entries_for("customer") if e["label"] not in {"First", "Second"}]


@pytest.mark.django_db
def test_the_entry_shows_on_pages_for_the_roles_named(entries, client, django_user_model) -> None:
    nav.register("probe", "Probe page", "desk:ticket_list", roles=nav.MANAGERS, order=99)
    manager = django_user_model.objects.create_user("m1", password="pw-123456789", role="manager")
    agent = django_user_model.objects.create_user("a1", password="pw-123456789", role="agent")
    client.force_login(manager)
    assert "Probe page" in client.get("/tickets/").content.decode()
    client.force_login(agent)
    assert "Probe page" not in client.get("/tickets/").content.decode()
