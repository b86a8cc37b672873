"""Asking for a manager: the conservative phrases (frontline/escalations/phrases.py)."""

from __future__ import annotations

import pytest

from frontline.escalations.phrases import asks_for_manager


@pytest.mark.parametrize("text", [
    "I want to speak to a manager.",
    "Can I talk with your supervisor please",
    "Put me through to the manager now",
    "Please escalate this.",
    "I'd like to escalate my complaint",
    "Get me a supervisor!",
    "I demand a manager",
    "Could I speak\nto the  team lead?",
])
def test_a_request_for_a_manager_is_recognised(text: str) -> None:
    assert asks_for_manager(text)


@pytest.mark.parametrize("text", [
    "My manager asked me to chase this invoice.",
    "Our account manager said the refund was approved.",
    "I'll talk to my supervisor about the renewal.",
    "The manager of our shop ordered this.",
    "Can you escalate the price? (just kidding)",
    "",
])
def test_a_mention_of_a_manager_is_not_a_request(text: str) -> None:
    assert not asks_for_manager(text)
