"""quoting: what is cut from a reply, and what is never cut."""

from __future__ import annotations

import pytest

from frontline.mail.quoting import cut_html_history, neutralise, strip_reply


@pytest.mark.parametrize("text, expected", [
    ("Yes.\n\nOn Tue, 1 Dec 2026, Sam <s@x> wrote:\n> Is it fixed?", "Yes."),
    ("Yes.\n\nOn Tue, 1 Dec 2026 at 10:00, Sam Support\n<s@x> wrote:\n> Is it fixed?", "Yes."),
    ("Ja.\n\nAm 01.12.2026 schrieb Sam <s@x>:\n> Geht es?", "Ja."),
    ("Oui.\n\nLe 1 déc. 2026, Sam a écrit :\n> Ça marche ?", "Oui."),
    ("Fine\n\n-----Original Message-----\nFrom: x\nSent: y\n", "Fine"),
    ("Fine\n\nFrom: Sam <s@x>\nSent: Tuesday\nTo: me\nSubject: hi\n\nold", "Fine"),
    ("Inline answers:\n> question one\nanswer one\n> question two\nanswer two", "Inline answers:\nanswer one\nanswer two"),
    ("Body\n-- \nSig line", "Body"),
    ("Body\n\nSent from my iPhone", "Body"),
    ("Body text here.\n\nKind regards,\nAlice\nACME", "Body text here."),
])
def test_history_and_signatures_are_cut(text, expected):
    assert strip_reply(text) == expected


@pytest.mark.parametrize("text", [
    "Thanks!",  # a sign-off alone is the message
    "> everything quoted",  # nothing new: keep it all
    "Regards,\nthe rest of a long message\nline\nline\nline\nline\nline",  # not at the end: kept
    "From: the manual\nthe device said this",  # a From: line without an Outlook header block
])
def test_conservative_cases_keep_the_text(text):
    assert strip_reply(text) == text.strip()


def test_forwarded_content_is_not_cut():
    text = "See below.\n\n---------- Forwarded message ---------\nFrom: Vendor\nDate: Mon\nSubject: x\nTo: me\n\nBody"
    assert "Vendor" in strip_reply(text)


def test_cut_html_history_at_gmail_quote():
    assert cut_html_history('<p>new</p><div class="gmail_quote">old</div>') == "<p>new</p>"


def test_neutralise_drops_bidi_and_zero_width():
    assert neutralise("a\u202eb\u200bc\ufeffd\u2066e") == "abcde"
