"""The token in a survey's rating links: ``<survey id>.<nonce>:<HMAC signature>``.

Signed with the site's SECRET_KEY (``django.core.signing``, its own salt), so a token cannot be
made up or altered: changing the survey id or the nonce breaks the signature. The nonce (random,
stored on the survey) makes a token unguessable even to someone who knows the ids. A token
names one survey, and a survey one ticket and one customer, so whoever holds the link can
answer that survey only. Expiry is the survey's ``expires_at`` (the database decides, so a link
can also be ended early); rotating SECRET_KEY ends every link.
"""

from __future__ import annotations

from django.core import signing

SALT = "frontline.surveys.link"
_signer = signing.Signer(salt=SALT)


def token_for(*, survey_id: int, nonce: str) -> str:
    return _signer.sign(f"{survey_id}.{nonce}")


def token_read(token: str) -> tuple[int, str] | None:
    """(survey id, nonce) of a genuine token; None for anything else (forged, altered, malformed)."""
    if not token or len(token) > 200:
        return None
    try:
        value = _signer.unsign(token)
    except signing.BadSignature:
        return None
    survey_id, _, nonce = value.partition(".")
    if not survey_id.isdigit() or not nonce or len(survey_id) > 18:
        return None
    return int(survey_id), nonce
