"""parsing: charsets, headers, MIME structure and automatic-mail recognition (no database)."""

from __future__ import annotations

import pytest

from frontline.mail.parsing import (
    MailParseError,
    decode_bytes,
    decode_header_value,
    dedupe_key,
    message_ids,
    parse,
)

from .conftest import EXPECTED, corpus_bytes


def test_decode_bytes_declared_charset_wins():
    assert decode_bytes("ü".encode("utf-16"), "utf-16") == "ü"


def test_decode_bytes_latin1_label_reads_cp1252_punctuation():
    assert decode_bytes(b"5 \x80 \x93ok\x94", "iso-8859-1") == "5 € “ok”"


def test_decode_bytes_unknown_charset_falls_back_to_utf8():
    assert decode_bytes("café".encode(), "x-nonsense") == "café"


def test_decode_bytes_never_raises_on_any_byte():
    assert decode_bytes(bytes(range(256)), None)[-1] == "ÿ"


def test_header_with_unknown_encoded_word_charset_is_kept_readable():
    assert decode_header_value("=?x-bogus?q?caf=E9?= ok") != ""


def test_header_raw_utf8_bytes():
    raw = "Grüße".encode().decode("ascii", "surrogateescape")
    assert decode_header_value(raw) == "Grüße"


def test_message_ids_strip_brackets_and_keep_order():
    assert message_ids("<b@x> <a@x>\r\n <b@x>") == ("b@x", "a@x")


def test_dedupe_key_uses_message_id_then_bytes():
    assert dedupe_key(b"x", "id@x") == "mid:id@x"
    assert dedupe_key(b"x", "") == dedupe_key(b"x", "") != dedupe_key(b"y", "")


def test_parse_refuses_a_message_without_a_sender():
    with pytest.raises(MailParseError, match="no sender"):
        parse(corpus_bytes("25_no_from.eml"))


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["outcome"] in ("auto_reply", "bounce")))
def test_automatic_mail_is_recognised(name):
    assert parse(corpus_bytes(name)).automatic == EXPECTED[name]["outcome"]


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["outcome"] in ("created", "threaded")))
def test_people_are_not_taken_for_machines(name):
    assert parse(corpus_bytes(name)).automatic == ""


def test_dsn_names_the_failed_recipient():
    assert parse(corpus_bytes("22_dsn_bounce.eml")).bounced == ("gone@example.com",)


def test_inline_image_keeps_its_content_id():
    [image] = parse(corpus_bytes("08_related_inline_image.eml")).attachments
    assert (image.filename, image.content_id, image.inline) == ("screen.png", "shot1@example.com", True)


def test_forwarded_message_is_an_eml_attachment_with_its_bytes():
    [forwarded] = parse(corpus_bytes("10_forwarded_rfc822.eml")).attachments
    assert forwarded.content_type == "message/rfc822"
    assert b"The warranty ends today." in forwarded.content


def test_long_subject_is_truncated_to_the_field():
    assert len(parse(corpus_bytes("17_long_subject.eml")).subject) == 250


def test_bidi_and_zero_width_characters_are_dropped_from_headers():
    parsed = parse(corpus_bytes("28_bidi_zero_width.eml"))
    assert (parsed.subject, parsed.from_name) == ("invoicefdp.exe", "Eve")


@pytest.mark.parametrize("sender", ["no_reply@x.example", "noreply+abc@x.example", "do-not-reply@x.example",
                                    "DoNotReply@x.example", "bounces+123@x.example", "list-bounces@x.example"])
def test_no_reply_senders_are_automatic(sender):
    assert parse(f"From: {sender}\r\nSubject: s\r\n\r\nbody\r\n".encode()).automatic == "auto_reply"


def test_an_attachment_name_cannot_climb_out_of_its_folder():
    raw = (b"From: a@x.example\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename=\"../../etc/passwd.pdf\"\r\n\r\n%PDF\r\n--b--\r\n")
    [part] = parse(raw).attachments
    assert ("/" in part.filename, ".." in part.filename, part.filename.endswith("passwd.pdf")) == (False, False, True)
