"""Telephony connectors (managers and admins): create, change, rotate the secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from frontline.core import webhooks
from frontline.desk.models import (
    Queue,
)
from frontline.people.models import Role, User

from ..models import (
    PhoneConnector,
)
from ._common import ROTATION_GRACE, _now

# --- connectors (managers and admins) ---------------------------------------------------------------------------


def _require_config(actor: User) -> None:
    if actor.role not in (Role.MANAGER, Role.ADMIN) or not actor.is_active:
        raise PermissionDenied("Managers and admins configure connectors.")


@dataclass(frozen=True)
class ConnectorWithSecret:
    connector: PhoneConnector
    secret: str  # shown once


def _slug(name: str, slug: str) -> str:
    slug = slugify(slug or name)[:50]
    if not slug:
        raise ValidationError({"slug": ["Give a name or slug of letters, digits or dashes."]})
    return slug


@transaction.atomic
def connector_create(*, actor: User, name: str, slug: str = "", queue: Queue | None = None,
                     at: datetime | None = None) -> ConnectorWithSecret:
    """A new telephony connector and its secret (returned once; the page shows it once)."""
    _require_config(actor)
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationError({"name": ["Give a name of at most 100 characters."]})
    slug = _slug(name, slug)
    if PhoneConnector.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f"A connector with the address …/{slug}/ exists already."]})
    secret = webhooks.secret_new()
    connector = PhoneConnector.objects.create(name=name, slug=slug, queue=queue, secret=secret, created_at=_now(at))
    return ConnectorWithSecret(connector, secret)


@transaction.atomic
def connector_update(*, actor: User, connector: PhoneConnector, name: str, queue: Queue | None, enabled: bool) -> PhoneConnector:
    _require_config(actor)
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationError({"name": ["Give a name of at most 100 characters."]})
    connector.name, connector.queue, connector.enabled = name, queue, enabled
    connector.save(update_fields=["name", "queue", "enabled"])
    return connector


@transaction.atomic
def connector_rotate_secret(*, actor: User, connector: PhoneConnector, keep_previous: bool = True,
                            at: datetime | None = None) -> ConnectorWithSecret:
    """A new secret; with ``keep_previous`` the old one verifies for ROTATION_GRACE more (time to update the sender)."""
    _require_config(actor)
    at = _now(at)
    connector = PhoneConnector.objects.select_for_update().get(pk=connector.pk)
    secret = webhooks.rotate(connector, keep_previous=keep_previous, at=at, grace=ROTATION_GRACE)
    connector.save(update_fields=webhooks.ROTATED_FIELDS)
    return ConnectorWithSecret(connector, secret)
