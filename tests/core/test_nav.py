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


def test_an_entry_names_a_known_menu(entries) -> None:
    with pytest.raises(ValueError, match="group"):
        nav.register("x", "X", "home", group="elsewhere")


def test_menus_come_in_order_without_empty_ones() -> None:
    manager = [m["label"] for m in nav.menus_for("manager")]
    assert manager == ["Desk", "People", "Quality", "Insights", "Workforce", "Settings"]
    settings_menu = next(m for m in nav.menus_for("manager") if m["key"] == "settings")
    assert [e["label"] for e in settings_menu["entries"]][:3] == ["SLA policies", "Automations", "Messaging"]
    assert "Admin" not in [e["label"] for e in settings_menu["entries"]]
    admin = next(m for m in nav.menus_for("manager", superuser=True) if m["key"] == "settings")
    assert admin["entries"][-1]["label"] == "Admin"
    agent = {m["label"]: [e["label"] for e in m["entries"]] for m in nav.menus_for("agent")}
    assert "Automations" not in agent["Settings"] and "SLA policies" not in agent["Settings"]
    assert agent["People"] == ["Coaching"]
    assert nav.menus_for("customer") == []


@pytest.mark.django_db
def test_the_manager_nav_is_six_menus_that_open_without_javascript(client, django_user_model) -> None:
    manager = django_user_model.objects.create_user("m2", password="pw-123456789", role="manager")
    client.force_login(manager)
    html = client.get("/tickets/").content.decode()
    main = html[html.index('<nav aria-label="Main"'):html.index("</nav>")]
    assert main.count("<details") == 5 and main.count('class="menu-link') == 1  # Quality: one entry, a link
    assert '<summary class="active">Desk</summary>' in main
    assert 'href="/tickets/" class="active" aria-current="page"' in main
    assert "<summary>Settings</summary>" in main and "API tokens" in main


@pytest.mark.django_db
def test_the_agent_sees_only_their_entries_and_customers_no_menus(client, django_user_model) -> None:
    agent = django_user_model.objects.create_user("a2", password="pw-123456789", role="agent")
    client.force_login(agent)
    html = client.get("/tickets/").content.decode()
    main = html[html.index('<nav aria-label="Main"'):html.index("</nav>")]
    assert "Automations" not in main and "SLA policies" not in main and "Escalations" not in main
    assert 'href="/coaching/"' in main


@pytest.mark.django_db
def test_error_pages_keep_the_menus_with_none_marked(client, django_user_model) -> None:
    manager = django_user_model.objects.create_user("m3", password="pw-123456789", role="manager")
    client.force_login(manager)
    missing = client.get("/tickets/999999/")
    assert missing.status_code == 404
    assert "<summary>Desk</summary>" in missing.content.decode()
