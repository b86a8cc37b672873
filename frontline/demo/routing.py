"""The demo's routing: one queue per mode, skills and a few capacities on the agents.

Orders: least-loaded; Billing: round-robin (and tickets return to the queue when an agent goes
offline); Technical: skills-based (the customer's language required, the ticket's product area
preferred, dropped after 2 minutes, the whole team after 10); Accounts: manual. Agents get their
profile languages as language skills and one or two product areas of their team's queues.
Nothing is routed here: the demo's history is already assigned (docs/routing.md).
"""

from __future__ import annotations

import random

from frontline.desk.models import Channel, Queue
from frontline.people.models import STAFF_ROLES, AgentProfile, User
from frontline.routing.models import (
    AgentCapacity,
    AgentSkill,
    Mode,
    OfflineAction,
    QueueRouting,
    Turn,
    Waiting,
)

from . import content

MODES = {
    "Orders": dict(mode=Mode.LEAST_LOADED, offline_action=OfflineAction.REASSIGN),
    "Billing": dict(mode=Mode.ROUND_ROBIN, offline_action=OfflineAction.RETURN),
    "Technical": dict(mode=Mode.SKILLS, requirements=[
        {"name": "language", "value": "{customer.language}", "min_level": 2, "required": True},
        {"name": "product", "value": "{field.product_area}", "min_level": 3, "required": False}],
        drop_preferred_after_s=120, widen_after_s=600),
    "Accounts": dict(mode=Mode.MANUAL),
}


def demo_routing(*, seed: int = 7) -> dict[str, int]:
    """Routing settings per queue and the agents' skills; returns counts."""
    rng = random.Random(f"{seed}-routing")
    for queue in Queue.objects.filter(name__in=MODES):
        QueueRouting.objects.update_or_create(queue=queue, defaults=MODES[queue.name])
    team_of_queue = {name: team for name, team, _description, _share in content.QUEUES}
    areas_by_team: dict[str, set[str]] = {}
    for topic in content.TOPICS:
        if topic.product_area:
            areas_by_team.setdefault(team_of_queue.get(topic.queue, ""), set()).add(topic.product_area)
    all_areas = sorted({t.product_area for t in content.TOPICS if t.product_area})
    skills, capacities = [], []
    staff = User.objects.filter(role__in=STAFF_ROLES).prefetch_related("teams").order_by("username")
    languages = dict(AgentProfile.objects.values_list("user_id", "languages"))
    for agent in staff:
        for code in languages.get(agent.pk) or ["en"]:
            skills.append(AgentSkill(agent=agent, name="language", value=code, level=5 if code == "en" else rng.randint(2, 5)))
        team_names = [t.name for t in agent.teams.all()]
        pool = sorted({a for t in team_names for a in areas_by_team.get(t, [])}) or all_areas
        for area in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
            skills.append(AgentSkill(agent=agent, name="product", value=area, level=rng.randint(2, 5)))
        if rng.random() < 0.25:
            capacities.append(AgentCapacity(agent=agent, channel=Channel.EMAIL, max_open=rng.choice([6, 8, 12])))
    AgentSkill.objects.bulk_create(skills, ignore_conflicts=True)
    AgentCapacity.objects.bulk_create(capacities, ignore_conflicts=True)
    return {"routed queues": QueueRouting.objects.exclude(mode=Mode.MANUAL).count(), "agent skills": len(skills)}


def routing_reset() -> None:
    """Remove the demo's routing settings, skills, capacities and waiting marks."""
    Waiting.objects.all().delete()
    Turn.objects.all().delete()
    AgentSkill.objects.all().delete()
    AgentCapacity.objects.all().delete()
    QueueRouting.objects.all().delete()
