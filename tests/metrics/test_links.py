"""Every number links to the tickets behind it: the desk's ticket list filters added for it
(``?ids=`` and ``status=resolved``) show exactly those tickets, and never one the viewer may not see."""

from __future__ import annotations

import re

import pytest

from frontline.desk.models import Ticket
from tests.metrics.conftest import WEEK_QUERY

pytestmark = pytest.mark.django_db


def listed(content: bytes) -> set[int]:
    return {int(n) for n in re.findall(rb'href="/tickets/(\d+)/"', content)}


def test_the_cards_link_to_exactly_their_tickets(department, login):
    client = login(department["lena"])
    page = client.get("/metrics/", WEEK_QUERY).content.decode()
    reopened = re.search(r'id="kpi-reopen_rate">\s*<div class="value"><a href="([^"]+)"', page).group(1)
    assert listed(client.get(reopened.replace("&amp;", "&")).content) == {department["b2"].pk}
    backlog = re.search(r'id="kpi-backlog">\s*<div class="value"><a href="([^"]+)"', page).group(1)
    assert listed(client.get(backlog.replace("&amp;", "&")).content) == {department["b3"].pk}


def test_an_ids_link_never_shows_a_ticket_the_viewer_may_not_see(department, login):
    ids = ",".join(str(department[t].pk) for t in ("b1", "t1", "t2"))
    assert listed(login(department["lena"]).get(f"/tickets/?view=all&ids={ids}").content) == {department["b1"].pk}
    assert listed(login(department["tom"]).get(f"/tickets/?view=all&ids={ids}").content) == {department["t1"].pk,
                                                                                               department["t2"].pk}


def test_an_ids_link_without_a_view_lists_them_whoever_holds_them(department, login):
    """A link naming tickets but no view (the routing and QA pages had such) lists all of them the viewer
    may see, not only the viewer's own (the default view, "mine", showed a lead none of their agents')."""
    ids = ",".join(str(department[t].pk) for t in ("b1", "b2", "t1"))
    assert listed(login(department["lena"]).get(f"/tickets/?ids={ids}").content) == {department["b1"].pk,
                                                                                       department["b2"].pk}
    assert listed(login(department["lena"]).get(f"/tickets/?view=mine&ids={ids}").content) == set()  # asked for


def test_bad_ids_are_ignored_not_an_error(department, login):
    response = login(department["boss"]).get("/tickets/?view=all&ids=x,-1,99999999999999999999999," +
                                             str(department["b1"].pk))
    assert response.status_code == 200
    assert listed(response.content) == {department["b1"].pk}


def test_status_resolved_lists_solved_and_closed(department, login):
    shown = listed(login(department["boss"]).get("/tickets/?view=all&status=resolved").content)
    assert shown == set(Ticket.objects.filter(status_category__in=["solved", "closed"]).values_list("pk", flat=True))
    assert shown == {department["b1"].pk, department["b2"].pk, department["t1"].pk}
