"""frontline.core.secretbox: webhook secrets encrypted at rest, plain in Python, masked on pages."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import override_settings
from django.utils import timezone

from frontline.automations.models import Rule
from frontline.core import secretbox
from frontline.messaging.models import MessagingConnector
from frontline.phone.models import PhoneConnector

SECRET = "whsec_k3y-that-signs-webhooks-0123456789abcdef"


def test_a_sealed_secret_opens_to_itself_and_does_not_show_it() -> None:
    sealed = secretbox.seal(SECRET)
    assert sealed.startswith("fernet:") and SECRET not in sealed and sealed != secretbox.seal(SECRET)
    assert secretbox.open_sealed(sealed) == SECRET
    assert (secretbox.seal(""), secretbox.open_sealed("")) == ("", "")


def test_another_secret_key_cannot_open_it_unless_the_old_key_is_a_fallback() -> None:
    old_key, sealed = secretbox.settings.SECRET_KEY, secretbox.seal(SECRET)
    with override_settings(SECRET_KEY="another-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        assert secretbox.open_sealed(sealed) == ""
    with override_settings(SECRET_KEY="another-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[old_key]):
        assert secretbox.open_sealed(sealed) == SECRET


def test_the_mask_shows_only_the_last_four_characters() -> None:
    assert (secretbox.mask(SECRET), secretbox.mask("")) == ("••••••••cdef", "")


def _stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_connector_and_rule_secrets_are_stored_encrypted_and_read_plain() -> None:
    from tests import factories as f

    phone = PhoneConnector.objects.create(name="PBX", slug="pbx", secret=SECRET, previous_secret="whsec_old-one-1234",
                                          created_at=timezone.now())
    chat = MessagingConnector.objects.create(name="WA", slug="wa", platform="whatsapp", secret=SECRET, created_at=timezone.now())
    rule = Rule.objects.create(name="Hook", trigger="ticket_created", conditions={"all": []}, actions=[],
                               webhook_secret=SECRET, created_by=f.manager(), created_at=timezone.now(),
                               updated_at=timezone.now(), position=10)
    for table, column, pk in [("phone_phoneconnector", "secret", phone.pk), ("phone_phoneconnector", "previous_secret", phone.pk),
                              ("messaging_messagingconnector", "secret", chat.pk), ("automations_rule", "webhook_secret", rule.pk)]:
        stored = _stored(table, column, pk)
        assert stored.startswith("fernet:") and SECRET not in stored and "whsec_old" not in stored
    assert (PhoneConnector.objects.get().secret, PhoneConnector.objects.get().previous_secret,
            MessagingConnector.objects.get().secret, Rule.objects.get().webhook_secret) == (
        SECRET, "whsec_old-one-1234", SECRET, SECRET)
    assert _stored("messaging_messagingconnector", "previous_secret", chat.pk) == ""


@pytest.mark.django_db
def test_the_migration_seals_plain_secrets_and_backwards_writes_them_out_again() -> None:
    phone = PhoneConnector.objects.create(name="PBX", slug="pbx", secret="x", created_at=timezone.now())
    plain = models.Value(SECRET, output_field=models.TextField())  # as rows stood before the migration
    PhoneConnector.objects.filter(pk=phone.pk).update(secret=plain)
    assert _stored("phone_phoneconnector", "secret", phone.pk) == SECRET
    assert PhoneConnector.objects.get().secret == SECRET  # plain text (legacy) still reads until sealed
    step = secretbox.sealing_migration("phone", "phoneconnector", ["secret", "previous_secret"])
    step.code(apps, None)
    assert _stored("phone_phoneconnector", "secret", phone.pk).startswith("fernet:")
    assert PhoneConnector.objects.get().secret == SECRET
    step.reverse_code(apps, None)
    assert _stored("phone_phoneconnector", "secret", phone.pk) == SECRET


@pytest.mark.django_db
def test_reseal_moves_secrets_to_the_current_key() -> None:
    old_key = secretbox.settings.SECRET_KEY
    phone = PhoneConnector.objects.create(name="PBX", slug="pbx", secret=SECRET, created_at=timezone.now())
    before = _stored("phone_phoneconnector", "secret", phone.pk)
    with override_settings(SECRET_KEY="the-new-key-" + "n" * 40, SECRET_KEY_FALLBACKS=[old_key]):
        assert secretbox.reseal(PhoneConnector, ["secret", "previous_secret"]) == (2, 0)
        after = _stored("phone_phoneconnector", "secret", phone.pk)
        assert after != before and PhoneConnector.objects.get().secret == SECRET
    with override_settings(SECRET_KEY="the-new-key-" + "n" * 40, SECRET_KEY_FALLBACKS=[]):
        assert PhoneConnector.objects.get().secret == SECRET


@pytest.mark.django_db
def test_reseal_leaves_a_secret_no_key_opens_as_it_is() -> None:
    phone = PhoneConnector.objects.create(name="PBX", slug="pbx", secret=SECRET, created_at=timezone.now())
    before = _stored("phone_phoneconnector", "secret", phone.pk)
    with override_settings(SECRET_KEY="a-wrong-key-" + "w" * 40, SECRET_KEY_FALLBACKS=[]):
        assert secretbox.reseal(PhoneConnector, ["secret"]) == (0, 1)
    assert _stored("phone_phoneconnector", "secret", phone.pk) == before
    assert PhoneConnector.objects.get().secret == SECRET


@pytest.mark.django_db
def test_the_reseal_command_names_what_it_wrote() -> None:
    from io import StringIO

    from django.core.management import call_command

    PhoneConnector.objects.create(name="PBX", slug="pbx", secret=SECRET, created_at=timezone.now())
    out = StringIO()
    call_command("reseal_secrets", stdout=out)
    assert "phone.PhoneConnector (secret, previous_secret): 2 resealed" in out.getvalue()
