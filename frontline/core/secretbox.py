"""Secrets kept encrypted at rest: the webhook secrets an HMAC needs in the clear, sealed in the database.

A shared secret that signs webhooks cannot be stored as a hash (the signature is recomputed with
it), so it is stored encrypted: Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under
a key derived from Django's ``SECRET_KEY`` (``FRONTLINE_SECRET_KEY``). A database dump or backup
alone then gives no working secret. The stored text is ``fernet:<token>``.

Changing ``FRONTLINE_SECRET_KEY``: put the old key in ``FRONTLINE_SECRET_KEY_FALLBACKS`` (Django's
``SECRET_KEY_FALLBACKS``) until every secret has been rotated or re-saved
(``frontline reseal_secrets``); without it, stored secrets cannot be read and read as empty (the
webhooks they sign fail until rotated), with an error in the log.

:class:`EncryptedSecretField` is a ``TextField`` that seals on the way in and opens on the way out,
so services and views work with plain strings; text stored before this field (no ``fernet:``
prefix) reads as it is and is sealed when the row is next saved (the migrations seal every row).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Cast

log = logging.getLogger(__name__)
PREFIX = "fernet:"
_CONTEXT = b"frontline.secretbox.v1"


def _fernet_key(secret_key: str) -> bytes:
    """A Fernet key for this purpose only (an HMAC of a fixed label under SECRET_KEY)."""
    return base64.urlsafe_b64encode(hmac.new(secret_key.encode(), _CONTEXT, hashlib.sha256).digest())


def _box() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(plain: str) -> str:
    """``plain`` encrypted for storage (``fernet:…``); empty stays empty."""
    if not plain:
        return plain
    return PREFIX + _box().encrypt(plain.encode()).decode()


def open_sealed(stored: str) -> str:
    """The plain text of what :func:`seal` stored; plain (legacy) text is returned as it is.

    A token no key opens (SECRET_KEY changed without a fallback) reads as "" and is logged.
    """
    if not stored or not is_sealed(stored):
        return stored
    try:
        return _box().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        log.error("secretbox: a stored secret cannot be decrypted with FRONTLINE_SECRET_KEY or its fallbacks; "
                  "it reads as empty until rotated")
        return ""


def mask(plain: str) -> str:
    """What pages show of a secret: its last 4 characters (``••••••••3f9a``)."""
    return "••••••••" + plain[-4:] if plain else ""


class EncryptedSecretField(models.TextField):
    """A secret sealed in the database (:func:`seal`), plain text in Python. Not for lookups (each seal differs)."""

    description = "A secret encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return open_sealed(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if isinstance(value, str) and not is_sealed(value):
            return seal(value)
        return value


def _open_strict(stored: str) -> str:
    """Like :func:`open_sealed`, but :class:`InvalidToken` when no key opens it."""
    if not stored or not is_sealed(stored):
        return stored
    return _box().decrypt(stored[len(PREFIX):].encode()).decode()


def reseal(model: type[models.Model], fields: list[str]) -> tuple[int, int]:
    """Write ``fields`` of every row of ``model`` again: plain (legacy) text gets sealed, and text sealed
    under a fallback key gets sealed under the current one. A value no key opens is left as it is.
    Returns (values written, values left unreadable)."""
    raw = {f"raw_{f}": Cast(f, output_field=models.TextField()) for f in fields}  # as stored, not opened
    written = unreadable = 0
    for row in model._default_manager.annotate(**raw).values("pk", *raw).iterator():
        changes = {}
        for f in fields:
            try:
                plain = _open_strict(row[f"raw_{f}"] or "")
            except InvalidToken:
                unreadable += 1
                continue
            changes[f] = models.Value(seal(plain), output_field=models.TextField())
            written += 1
        if changes:
            model._default_manager.filter(pk=row["pk"]).update(**changes)
    return written, unreadable


def sealing_migration(app_label: str, model_name: str, fields: list[str]) -> migrations.RunPython:
    """The data step of a migration that turns ``fields`` into :class:`EncryptedSecretField`: seal what is there
    (and, backwards, write it back in plain text before the column becomes a plain one again)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        reseal(apps.get_model(app_label, model_name), fields)  # nothing is sealed yet: every value is plain

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for row in model._default_manager.values("pk", *fields).iterator():
            plain = {f: models.Value(row[f], output_field=models.TextField()) for f in fields}
            model._default_manager.filter(pk=row["pk"]).update(**plain)

    return migrations.RunPython(forwards, backwards, elidable=False)
