"""The routing rules (frontline/engine/routing): hand-worked choices, the index against the scan."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.engine import routing
from frontline.engine.routing import (
    LEAST_LOADED,
    ROUND_ROBIN,
    SKILLS,
    STAGE_REQUIRED_ONLY,
    STAGE_TEAM,
    AgentIndex,
    Candidate,
    Fallback,
    Requirement,
    Skill,
    Work,
    order_work,
    scan_decide,
)
from frontline.engine.routing import decide as decide_module
from frontline.engine.routing import index as index_module

DE = Skill("language", "de", 3)
FR = Skill("language", "fr", 1)
BILLING = Skill("product", "billing", 4)


def test_the_docstring_examples_hold():
    assert doctest.testmod(decide_module).failed == 0
    assert doctest.testmod(index_module).failed == 0


def test_least_loaded_takes_the_lowest_share_of_capacity_and_words_it():
    agents = [Candidate(1, "Ana", 2, 5), Candidate(2, "Ben", 1, 2), Candidate(3, "Cy", 3, 3)]
    decision = scan_decide(agents, Work(1), mode=LEAST_LOADED)
    assert (decision.agent_name, decision.summary) == ("Ana", "Routed to Ana by least-loaded: 2 open of 5")


def test_nobody_with_free_capacity_leaves_the_work_waiting():
    decision = scan_decide([Candidate(1, "Ana", 5, 5), Candidate(2, "Ben", 0, 0)], Work(1), mode=LEAST_LOADED)
    assert (decision.routed, decision.summary) == (False, "Not routed yet by least-loaded: nobody available with free capacity")


def test_round_robin_goes_to_the_longest_since_last_routed_then_moves_on():
    index = AgentIndex([Candidate(1, "Ana", 0, 5, last_routed=30), Candidate(2, "Ben", 4, 5, last_routed=10),
                        Candidate(3, "Cy", 0, 5, last_routed=20)])
    names = []
    for at in (40, 41, 42, 43):
        decision = index.decide(Work(at), mode=ROUND_ROBIN)
        names.append(decision.agent_name)
        index.assign(decision.agent_id, at=at)
    assert names == ["Ben", "Cy", "Ana", "Cy"]  # Ben is full after his turn (5 of 5)


def test_skills_asks_required_and_preferred_first():
    agents = [Candidate(1, "Ana", 0, 5, (DE,)), Candidate(2, "Ben", 3, 5, (DE, BILLING))]
    work = Work(1, (Requirement("language", "de", 2), Requirement("product", "billing", 3, required=False)))
    decision = scan_decide(agents, work, mode=SKILLS)
    assert decision.summary == "Routed to Ben by skills-based: language=de (level 2+), product=billing (level 3+); 3 open of 5"


def test_skills_levels_count():
    agents = [Candidate(1, "Ana", 0, 5, (Skill("language", "de", 1),))]
    decision = scan_decide(agents, Work(1, (Requirement("language", "de", 2),)), mode=SKILLS)
    assert decision.summary == "Not routed yet by skills-based: nobody available with free capacity and language=de (level 2+)"


def test_preferred_skills_wait_until_dropped_then_only_rank():
    agents = [Candidate(1, "Ana", 0, 5, (DE,))]
    work = (Requirement("language", "de"), Requirement("product", "billing", required=False))
    fallback = Fallback(drop_preferred_after_s=60, widen_after_s=300)
    assert scan_decide(agents, Work(1, work, waited_s=59), mode=SKILLS, fallback=fallback).routed is False
    later = scan_decide(agents, Work(1, work, waited_s=60), mode=SKILLS, fallback=fallback)
    assert (later.agent_name, later.stage) == ("Ana", STAGE_REQUIRED_ONLY)
    assert later.reason == "language=de; 0 open of 5 (after 60 s waiting: required skills only)"


def test_after_dropping_preferred_an_agent_who_has_them_still_comes_first():
    agents = [Candidate(1, "Ana", 0, 5, (DE,)), Candidate(2, "Ben", 4, 5, (DE, BILLING))]
    work = Work(1, (Requirement("language", "de"), Requirement("product", "billing", required=False)), waited_s=90)
    assert scan_decide(agents, work, mode=SKILLS, fallback=Fallback(drop_preferred_after_s=60)).agent_name == "Ben"


def test_widening_reaches_the_whole_team():
    agents = [Candidate(1, "Ana", 0, 5, (FR,))]
    work = Work(1, (Requirement("language", "de"),), waited_s=300)
    decision = scan_decide(agents, work, mode=SKILLS, fallback=Fallback(widen_after_s=300))
    assert (decision.agent_name, decision.stage) == ("Ana", STAGE_TEAM)


def test_vip_then_due_soonest_then_longest_waiting():
    works = [Work(1, waiting_since=1), Work(2, due_at=50, waiting_since=5), Work(3, vip=True, waiting_since=9),
             Work(4, due_at=20, waiting_since=8), Work(5, vip=True, due_at=90, waiting_since=10)]
    assert [w.work_id for w in order_work(works)] == [5, 3, 4, 2, 1]


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Skill("language", "de", 6), "level"),
    (lambda: Requirement("language", "", 1), "name"),
    (lambda: Candidate(1, "Ana", -1, 5), "load"),
    (lambda: Fallback(widen_after_s=-1), "widen_after_s"),
    (lambda: scan_decide([], Work(1), mode="random"), "mode"),
    (lambda: AgentIndex([Candidate(1, "A", 0, 1), Candidate(1, "A", 0, 1)]), "candidates"),
])
def test_bad_input_names_the_parameter(make, message):
    with pytest.raises(ValueError, match=message):
        make()


skills = st.sampled_from([DE, FR, BILLING, Skill("language", "de", 1), Skill("tier", "gold", 2)])
candidates = st.lists(
    st.builds(lambda i, load, cap, sk, last: Candidate(i, f"A{i}", min(load, cap), cap, tuple(sk), last),
              st.integers(0, 10_000), st.integers(0, 6), st.integers(0, 6), st.lists(skills, max_size=3),
              st.integers(0, 5)),
    max_size=25, unique_by=lambda c: c.agent_id)
requirements = st.lists(st.builds(Requirement, st.sampled_from(["language", "product", "tier"]),
                                  st.sampled_from(["de", "fr", "billing", "gold"]), st.integers(1, 4), st.booleans()),
                        max_size=3)


@settings(max_examples=150, deadline=None)
@given(candidates, requirements, st.sampled_from(routing.MODES), st.integers(0, 400), st.integers(1, 12))
def test_the_index_decides_as_the_scan_does_through_a_run_of_assignments(agents, reqs, mode, waited, rounds):
    index, current = AgentIndex(agents), {c.agent_id: c for c in agents}
    fallback = Fallback(drop_preferred_after_s=100, widen_after_s=300)
    for n in range(rounds):
        work = Work(n, tuple(reqs), waited_s=waited)
        expected = scan_decide(list(current.values()), work, mode=mode, fallback=fallback)
        assert index.decide(work, mode=mode, fallback=fallback) == expected
        if expected.agent_id is not None:
            index.assign(expected.agent_id, at=10 + n)
            c = current[expected.agent_id]
            current[c.agent_id] = Candidate(c.agent_id, c.name, c.load + 1, c.capacity, c.skills, 10 + n)
