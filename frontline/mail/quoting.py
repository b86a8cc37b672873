"""What a customer wrote, without the history their mail client quoted or their signature.

Conservative by design: a cut that would leave nothing keeps the whole text, and a sign-off is
only cut when at most four short lines follow it. The original is always kept beside it.
"""

from __future__ import annotations

import re

# Bidi embeddings/overrides/isolates and zero-width characters: they can make "exe.pdf" read as
# "fdp.exe" or hide text. Dropped from what is shown (the raw message keeps them).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
                                  "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u00ad"), None)


def neutralise(text: str) -> str:
    """``text`` without bidi controls and zero-width characters."""
    return text.translate(_INVISIBLE)


_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"On\b.{0,300}\bwrote\s*:"  # English (Gmail, Apple Mail, Thunderbird)
    r"|Am\b.{0,300}\bschrieb\b.{0,200}:"  # German
    r"|Le\b.{0,300}\ba\s+écrit\s*:"  # French
    r"|El\b.{0,300}\bescribió\s*:"  # Spanish
    r"|Op\b.{0,300}\bschreef\b.{0,200}:"  # Dutch
    r"|Il\b.{0,300}\bha\s+scritto\s*:"  # Italian
    r")\s*$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:From|Von|De)\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(?:Sent|Date|Gesendet|Envoyé|To|An|À|Subject|Betreff|Objet)\s*:", re.IGNORECASE)
_FORWARDED = re.compile(r"^\s*(?:-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:|-{2,}\s*Weitergeleitete Nachricht\s*-{2,})",
                        re.IGNORECASE)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^--\s?$")
_DEVICE = re.compile(r"^\s*(?:Sent from my \w[\w ]{0,40}|Get Outlook for \w+|Sent from (?:Mail|Outlook) for \w+)\.?\s*$",
                     re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many)\s+(?:regards|wishes|thanks)|regards|best|thanks|many thanks|thank you|"
    r"thanks again|cheers|sincerely|yours sincerely|yours truly|all the best|br|mfg|"
    r"mit freundlichen grüßen|viele grüße|cordialement)\s*[,.!]?\s*$",
    re.IGNORECASE,
)


def _history_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if _FORWARDED.match(line):
            return None  # what follows was forwarded on purpose: it is the message
        joined = line if i + 1 >= len(lines) else line + " " + lines[i + 1].strip()
        if _ATTRIBUTION.match(line):
            return i
        if not line.strip().startswith(">") and _ATTRIBUTION.match(joined) and i + 1 < len(lines) \
                and lines[i + 1].strip().endswith(":"):
            return i  # "On Mon, 1 Jan 2026, Alice <a@x>\nwrote:" wrapped by the client
        if _ORIGINAL.match(line):
            return i
        if _OUTLOOK_FROM.match(line):
            following = [x for x in lines[i + 1 : i + 5] if x.strip()]
            if sum(1 for x in following if _OUTLOOK_NEXT.match(x)) >= 2:
                start = i
                if i > 0 and _UNDERSCORES.match(lines[i - 1]):
                    start = i - 1
                return start
    return None


def strip_reply(text: str) -> str:
    """The new part of a reply: quoted history, signature and device footers removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _history_start(lines)
    if cut is not None:
        lines = lines[:cut]
    lines = [line for line in lines if not line.lstrip().startswith(">")]
    for i, line in enumerate(lines):
        if _SIGNATURE.match(line):
            lines = lines[:i]
            break
    lines = [line for line in lines if not _DEVICE.match(line)]
    lines = _strip_sign_off(lines)
    result = "\n".join(lines).strip()
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result or text.strip()


def _strip_sign_off(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    for i in range(len(lines) - 1, max(-1, len(lines) - 7), -1):
        if _SIGN_OFF.match(lines[i]):
            tail = [x for x in lines[i + 1 :] if x.strip()]
            if len(tail) <= 4 and all(len(x.strip()) <= 60 for x in tail) and any(x.strip() for x in lines[:i]):
                return lines[:i]
            return lines
    return lines


_HTML_HISTORY = re.compile(
    r"<div[^>]*class=\"?[^\">]*gmail_quote"
    r"|<blockquote"
    r"|<div[^>]*id=\"?(?:divRplyFwdMsg|appendonsend)"
    r"|<hr[^>]*id=\"?stopSpelling"
    r"|<div[^>]*class=\"?[^\">]*moz-cite-prefix"
    r"|<div[^>]*style=\"?[^\">]*border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)"
    r"|-----\s*Original Message\s*-----",
    re.IGNORECASE,
)


def cut_html_history(html: str) -> str:
    """``html`` up to the first mark of quoted history (Gmail, Outlook, Apple Mail, Thunderbird)."""
    match = _HTML_HISTORY.search(html)
    return html[: match.start()] if match else html
