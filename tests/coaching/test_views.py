"""Coaching pages through HTTP: each renders, forms answer 422 with the failing field, the flow of a lead."""

from __future__ import annotations

from datetime import date

from frontline.coaching import services
from frontline.coaching.models import Focus, Session
from tests.coaching.conftest import NOW


def test_lead_prepares_a_session_and_records_focus_and_action(dept, login) -> None:  # type: ignore[no-untyped-def]
    lena, ann = login(dept["lena"]), dept["ann"]
    assert lena.post(f"/coaching/people/{ann.pk}/plan/", {"cadence": "biweekly", "starts_on": "2026-03-02"}
                     ).status_code == 302
    response = lena.post(f"/coaching/people/{ann.pk}/sessions/new/", {"kind": "one_on_one",
                                                                       "scheduled_on": "2026-03-16"})
    session = Session.objects.get(agent=ann)
    assert response.url == f"/coaching/sessions/{session.pk}/"
    page = lena.get(response.url)
    assert b"Rest of team" in page.content and b"First reply, median" in page.content
    bad = lena.post(f"/coaching/sessions/{session.pk}/focus/", {"behaviour": "Confirm the fix", "kpi": ""})
    assert bad.status_code == 422 and b'data-field="kpi"' in bad.content
    assert lena.post(f"/coaching/sessions/{session.pk}/focus/", {"behaviour": "Confirm the fix",
                                                                 "kpi": "reopen_rate"}).status_code == 302
    assert Focus.objects.get().kpi == "reopen_rate"
    bad = lena.post(f"/coaching/sessions/{session.pk}/action/", {"text": "Read SOP", "owner": ann.pk, "due_on": "x"})
    assert bad.status_code == 422 and b'data-field="due_on"' in bad.content
    assert lena.post(f"/coaching/sessions/{session.pk}/action/", {"text": "Read SOP", "owner": ann.pk,
                                                                  "due_on": "2026-03-20"}).status_code == 302
    assert lena.post(f"/coaching/sessions/{session.pk}/hold/").status_code == 302
    assert b"Read SOP" in login(ann).get(f"/coaching/people/{ann.pk}/").content


def test_every_page_renders_for_a_lead_and_an_agent(dept, login) -> None:  # type: ignore[no-untyped-def]
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    services.focus_add(actor=dept["lena"], session=session, behaviour="Faster replies", kpi="first_reply_median")
    version = services.policy_publish(actor=dept["boss"], title="Refunds", body="**Bold** <script>x</script>",
                                      effective_on=date(2026, 3, 1))
    for user in (dept["lena"], dept["ann"], dept["boss"]):
        client = login(user)
        for url in ("/coaching/", f"/coaching/people/{user.pk}/", "/coaching/effects/", "/coaching/reviews/",
                    "/coaching/kudos/", "/coaching/onboarding/", "/coaching/policies/",
                    f"/coaching/policies/{version.pk}/", f"/coaching/people/{dept['ann'].pk}/"):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
    policy = login(dept["ann"]).get(f"/coaching/policies/{version.pk}/")
    assert b"<strong>Bold</strong>" in policy.content and b"<script>x" not in policy.content


def test_policy_acknowledge_and_publish_form_errors(dept, login) -> None:  # type: ignore[no-untyped-def]
    boss = login(dept["boss"])
    bad = boss.post("/coaching/policies/", {"title": "Refunds", "body": "", "effective_on": "2026-03-01"})
    assert bad.status_code == 422 and b'data-field="body"' in bad.content
    assert boss.post("/coaching/policies/", {"title": "Refunds", "body": "Text", "effective_on": "2026-03-01"}
                     ).status_code == 302
    from frontline.coaching.models import PolicyVersion

    v1 = PolicyVersion.objects.get()
    ann = login(dept["ann"])
    assert ann.post(f"/coaching/policies/{v1.pk}/acknowledge/").status_code == 302
    assert b"You acknowledged this version" in ann.get(f"/coaching/policies/{v1.pk}/").content


def test_kudos_form(dept, login) -> None:  # type: ignore[no-untyped-def]
    ann = login(dept["ann"])
    bad = ann.post("/coaching/kudos/", {"receiver": dept["bob"].pk, "message": "", "ticket": "abc"})
    assert bad.status_code == 422 and b'data-field="ticket"' in bad.content
    assert ann.post("/coaching/kudos/", {"receiver": dept["bob"].pk, "message": "Saved my day"}).status_code == 302
    assert b"Saved my day" in login(dept["bob"]).get("/coaching/kudos/").content


def test_overview_and_review_list_queries_do_not_grow_with_people(dept, login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from tests import factories as f

    lena = login(dept["lena"])
    for _ in range(6):
        agent = f.agent(teams=[dept["billing"]])
        services.plan_set(actor=dept["lena"], agent=agent, cadence="weekly", starts_on=date(2026, 3, 2))
        services.review_create(actor=dept["lena"], agent=agent, period="quarter", day=date(2026, 2, 1), now=NOW)
    with django_assert_max_num_queries(14):
        assert lena.get("/coaching/").status_code == 200
    with django_assert_max_num_queries(12):
        assert lena.get("/coaching/reviews/").status_code == 200


def test_the_agenda_writes_goals_with_their_unit_and_day_and_no_iso_dates(dept, login) -> None:  # type: ignore[no-untyped-def]
    import re

    from frontline.coaching.models import ActionItem
    from frontline.metrics.models import Target

    Target.objects.create(kpi="first_reply_median", period="month", value=60, created_at=NOW)
    Target.objects.create(kpi="one_touch_rate", period="month", team=dept["billing"], value=0.7, created_at=NOW)
    earlier = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    ActionItem.objects.create(session=earlier, text="Read the SOP", owner=dept["ann"], due_on=date(2026, 3, 20))
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 31), now=NOW)
    html = login(dept["lena"]).get(f"/coaching/sessions/{session.pk}/").content.decode()
    agenda = html[html.index('id="agenda-h"'):html.index('id="focus-h"')]
    assert "First reply time, median ≤ 1 h by 31 Mar 2026" in agenda
    assert "One-touch resolution (FCR) ≥ 70.0 % by 31 Mar 2026" in agenda
    assert "due 20 Mar 2026" in agenda and "2 Mar 2026 to 29 Mar 2026" in agenda
    assert not re.search(r"\d{4}-\d{2}-\d{2}", agenda.replace('datetime="', "")), "an ISO date on the agenda"


def test_a_goals_actual_links_to_the_tickets_behind_it(dept, login) -> None:  # type: ignore[no-untyped-def]
    """The goal's "now" number opens the desk's list of exactly the tickets it was measured on; no link
    when nothing was measured."""
    import html as html_lib
    import re
    from datetime import UTC, datetime

    from frontline.metrics.models import Target
    from tests.coaching.conftest import facts

    Target.objects.create(kpi="first_reply_median", period="month", value=60, created_at=NOW)
    Target.objects.create(kpi="csat", period="month", team=dept["tech"], value=0.9, created_at=NOW)
    ann_ids = facts(agent=dept["ann"], team=dept["billing"], first=datetime(2026, 3, 2, 9, tzinfo=UTC), n=3,
                    first_reply_minutes=30.0)
    facts(agent=dept["bob"], team=dept["billing"], first=datetime(2026, 2, 2, 9, tzinfo=UTC), n=2,
          first_reply_minutes=30.0)  # February: not this month's
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 31), now=NOW)
    lena = login(dept["lena"])
    page = lena.get(f"/coaching/sessions/{session.pk}/").content.decode()
    goals = page[page.index('id="agenda-goals"'):]
    goals = goals[:goals.index("</ul>")]
    links = re.findall(r'<a href="([^"]+)" title="The tickets behind this number">', goals)
    assert len(links) == 1, goals  # the department's median; the CSAT goal is not Ann's team's
    url = html_lib.unescape(links[0])
    listed = lena.get(url).content.decode()
    shown = {int(i) for i in re.findall(r'href="/tickets/(\d+)/"', listed)}
    assert shown == set(ann_ids)

    tia_session = services.session_prepare(actor=dept["boss"], agent=dept["tia"], scheduled_on=date(2026, 3, 31),
                                           now=NOW)
    goals = {g["kpi"]: g for g in tia_session.agenda["goals"]}
    assert goals["csat"]["actual"] is None and goals["csat"]["link"] == ""  # nothing measured: nothing to open
