"""``frontline reseal_secrets``: write every encrypted secret again under the current FRONTLINE_SECRET_KEY.

After changing the key (the old one in FRONTLINE_SECRET_KEY_FALLBACKS), run this once; then the
fallback can go. Plain text left from before the encryption is sealed too.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from frontline.core.secretbox import EncryptedSecretField, reseal


class Command(BaseCommand):
    help = "Re-encrypt the stored webhook secrets under the current FRONTLINE_SECRET_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            fields = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedSecretField)]
            if fields:
                with transaction.atomic():
                    written, unreadable = reseal(model, fields)
                self.stdout.write(f"{model._meta.label} ({', '.join(fields)}): {written} resealed"
                                  + (f", {unreadable} that no key opens left as they are (rotate those secrets)"
                                     if unreadable else ""))
