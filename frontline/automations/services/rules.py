"""Rules: conditions validated against the field registry, save, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from frontline.engine import rules as engine
from frontline.people.models import STAFF_ROLES, User

from .. import selectors
from ..actions import (
    RULE_ACTIONS,
    actions_validate,
    needs_webhook_secret,
    new_webhook_secret,
)
from ..models import Rule, Trigger
from ._common import _name_clean

# --- rules: saving -----------------------------------------------------------------------------

def rule_conditions_validate(conditions: object) -> None:
    errors = engine.validate(conditions, selectors.field_registry())
    if errors:
        messages: dict[str, list[str]] = {}
        for e in errors:
            messages.setdefault(e.path, []).append(e.message)
        raise ValidationError(messages)


@transaction.atomic
def rule_save(*, rule: Rule | None, actor: User, name: str, trigger: str, conditions: object, actions: object,
              description: str = "", position: int | None = None, active: bool = True,
              at: datetime | None = None) -> Rule:
    """Create (``rule`` None) or change a rule; managers and admins only. Every refusal names its path:
    ``conditions.all.1.field``, ``actions.0.value``."""
    at = at or timezone.now()
    if not actor.sees_everything or actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only managers and admins change automation rules.")
    errors: dict[str, list[str]] = {}
    try:
        name = _name_clean(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if trigger not in Trigger.values:
        errors["trigger"] = [f"One of: {', '.join(Trigger.values)}."]
    if len(description) > 2000:
        errors["description"] = ["Keep the description under 2,000 characters."]
    try:
        rule_conditions_validate(conditions)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    cleaned: list[dict[str, Any]] = []
    try:
        cleaned = actions_validate(actions, allowed=RULE_ACTIONS)
        if not cleaned:
            errors["actions"] = ["Give at least one action."]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if position is not None and not (0 <= position <= 100_000):
        errors["position"] = ["Between 0 and 100,000."]
    if errors:
        raise ValidationError(errors)
    if rule is None:
        last = Rule.objects.aggregate(m=Max("position"))["m"]
        rule = Rule(created_by=actor, created_at=at, position=(last or 0) + 10 if position is None else position)
    elif position is not None:
        rule.position = position
    rule.name, rule.description, rule.trigger = name, description, trigger
    rule.conditions, rule.actions, rule.active = conditions, cleaned, active
    if needs_webhook_secret(cleaned) and not rule.webhook_secret:
        rule.webhook_secret = new_webhook_secret()
    rule.updated_by, rule.updated_at = actor, at
    rule.save()
    return rule


@transaction.atomic
def rule_webhook_secret_rotate(*, rule: Rule, actor: User, at: datetime | None = None) -> str:
    """A new secret for the rule's webhook calls (the old one stops at once); returned to be shown once."""
    if not actor.sees_everything or actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only managers and admins change automation rules.")
    rule.webhook_secret = new_webhook_secret()
    rule.updated_by, rule.updated_at = actor, at or timezone.now()
    rule.save(update_fields=["webhook_secret", "updated_by", "updated_at"])
    return rule.webhook_secret


@transaction.atomic
def rule_delete(*, rule: Rule, actor: User) -> None:
    if not actor.sees_everything or actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only managers and admins change automation rules.")
    rule.delete()
