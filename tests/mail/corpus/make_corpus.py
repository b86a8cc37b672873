"""Write the awkward-mail corpus (tests/mail/corpus/*.eml) and its expectations (expected.json).

Every message is made here, by hand or with the standard library's email package; none is
fetched. Run ``python tests/mail/corpus/make_corpus.py`` after changing it and commit the files.
"""

from __future__ import annotations

import base64
import json
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CORPUS: dict[str, bytes] = {}
EXPECTED: dict[str, dict[str, object]] = {}


def add(name: str, raw: bytes | str, **expected: object) -> None:
    CORPUS[name] = raw.encode("utf-8") if isinstance(raw, str) else raw
    EXPECTED[name] = expected


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


add("01_plain.eml", crlf("""From: Alice Smith <alice@example.com>
To: support@frontline.localhost
Subject: Kettle broken
Date: Mon, 07 Dec 2026 09:00:00 +0100
Message-ID: <c01-kettle@example.com>

Hello,

my kettle stopped working after two days.

--\x20
Alice Smith
ACME Corp, +49 30 1234
"""), outcome="created", text="Hello,\n\nmy kettle stopped working after two days.", from_name="Alice Smith",
    from_email="alice@example.com", acknowledged=True)

add("02_reply_in_reply_to.eml", crlf("""From: alice@example.com
To: support@frontline.localhost
Subject: Re: Kettle broken
Message-ID: <c02-reply@example.com>
In-Reply-To: <c01-kettle@example.com>
References: <c01-kettle@example.com>

It still does not work.

On Mon, 7 Dec 2026 at 10:00, Support <support@frontline.localhost> wrote:
> Have you tried turning it off and on again?
>
> Sam
"""), outcome="threaded", thread_on="01_plain.eml", text="It still does not work.", acknowledged=False)

add("03_reply_references_only.eml", crlf("""From: Alice Smith <ALICE@EXAMPLE.COM>
To: support@frontline.localhost
Subject: kettle again
Message-ID: <c03-refs@example.com>
References: <unknown-1@elsewhere.example> <c01-kettle@example.com> <unknown-2@elsewhere.example>

One more thing: the light blinks red.
"""), outcome="threaded", thread_on="01_plain.eml", text="One more thing: the light blinks red.")

add("04_outlook_reply.eml", crlf("""From: Bob Jones <bob@example.org>
To: support@frontline.localhost
Subject: RE: Invoice 42
Message-ID: <c04-outlook@example.org>

Please send the invoice as PDF.

________________________________
From: Support <support@frontline.localhost>
Sent: Monday, December 7, 2026 10:00 AM
To: Bob Jones <bob@example.org>
Subject: Invoice 42

Here is your invoice.
"""), outcome="created", text="Please send the invoice as PDF.")

add("05_original_message.eml", crlf("""From: carol@example.net
To: support@frontline.localhost
Subject: Order 7
Message-ID: <c05-original@example.net>

Where is my order?

-----Original Message-----
From: Shop
Sent: Friday
Subject: Your order

Thanks for your order.
"""), outcome="created", text="Where is my order?")

add("06_html_only_gmail_quote.eml", crlf("""From: Dan <dan@example.com>
To: support@frontline.localhost
Subject: Password reset
Message-ID: <c06-html@example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>
<p>The reset <b>link</b> is broken.</p>
<div class="gmail_quote"><div>On Sun, Dec 6, 2026 Support wrote:</div>
<blockquote>Click the link</blockquote></div></body></html>
"""), outcome="created", text="The reset link is broken.")

alt = EmailMessage()
alt["From"] = "Erin <erin@example.com>"
alt["To"] = "support@frontline.localhost"
alt["Subject"] = "Plain and HTML"
alt["Message-ID"] = "<c07-alt@example.com>"
alt.set_content("The plain version wins.\n")
alt.add_alternative("<p>The <i>HTML</i> version.</p>", subtype="html")
add("07_alternative.eml", alt.as_bytes(), outcome="created", text="The plain version wins.")

rel = EmailMessage()
rel["From"] = "Frank <frank@example.com>"
rel["To"] = "support@frontline.localhost"
rel["Subject"] = "Screenshot inline"
rel["Message-ID"] = "<c08-related@example.com>"
rel.set_content("See the screenshot below.\n")
rel.add_alternative('<p>See the screenshot below.</p><img src="cid:shot1@example.com" alt="shot">'
                    '<img src="https://tracker.example/pixel.gif">', subtype="html")
rel.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<shot1@example.com>", filename="screen.png")
add("08_related_inline_image.eml", rel.as_bytes(), outcome="created", text="See the screenshot below.",
    attachments=["screen.png"], inline={"shot1@example.com": "screen.png"})

mixed = EmailMessage()
mixed["From"] = "Grace <grace@example.com>"
mixed["To"] = "support@frontline.localhost"
mixed["Subject"] = "Contract attached"
mixed["Message-ID"] = "<c09-mixed@example.com>"
mixed.set_content("The signed contract is attached.\n")
mixed.add_attachment(PDF, maintype="application", subtype="pdf", filename="contract.pdf")
add("09_mixed_pdf.eml", mixed.as_bytes(), outcome="created", text="The signed contract is attached.",
    attachments=["contract.pdf"])

inner = EmailMessage()
inner["From"] = "Vendor <vendor@example.biz>"
inner["To"] = "heidi@example.com"
inner["Subject"] = "Your warranty"
inner.set_content("The warranty ends today.\n")
fwd = EmailMessage()
fwd["From"] = "Heidi <heidi@example.com>"
fwd["To"] = "support@frontline.localhost"
fwd["Subject"] = "Fwd: Your warranty"
fwd["Message-ID"] = "<c10-forward@example.com>"
fwd.set_content("Is this right? Forwarding the vendor's mail.\n")
fwd.add_attachment(inner)
add("10_forwarded_rfc822.eml", fwd.as_bytes(), outcome="created", text="Is this right? Forwarding the vendor's mail.",
    attachments=["Your warranty.eml"])

add("11_calendar_invite.eml", crlf("""From: Ivan <ivan@example.com>
To: support@frontline.localhost
Subject: Call about the outage
Message-ID: <c11-invite@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="cal"

--cal
Content-Type: text/plain; charset=utf-8

Let us talk on Tuesday at 10.
--cal
Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"

BEGIN:VCALENDAR
METHOD:REQUEST
BEGIN:VEVENT
SUMMARY:Outage call
DTSTART:20261208T090000Z
END:VEVENT
END:VCALENDAR
--cal--
"""), outcome="created", text="Let us talk on Tuesday at 10.", attachments=["invite.ics"])

add("12_winmail_dat.eml", crlf("""From: Judy <judy@example.com>
To: support@frontline.localhost
Subject: From Outlook
Message-ID: <c12-tnef@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=us-ascii

Rich text from Outlook.
--b
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

eJ8+IhAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAAEIgAcAGAAAAElQTS5NaWNy
--b--
"""), outcome="created", text="Rich text from Outlook.", attachments=["winmail.dat"])

add("13_latin1_with_cp1252.eml",
    b"From: =?iso-8859-1?q?Ren=E9_Dupr=E9?= <rene@example.fr>\r\nTo: support@frontline.localhost\r\n"
    b"Subject: =?iso-8859-1?q?Caf=E9_cr=E8me?=\r\nMessage-ID: <c13-latin1@example.fr>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    b"Le caf\xe9 co\xfbte 5 \x80 \x96 trop cher.\r\n",
    outcome="created", subject="Café crème", from_name="René Dupré", text="Le café coûte 5 € \u2013 trop cher.")

add("14_utf8_undeclared.eml",
    "From: kim@example.jp\r\nTo: support@frontline.localhost\r\nSubject: no charset\r\n"
    "Message-ID: <c14-nocharset@example.jp>\r\n\r\n注文が届きません。Grüße\r\n".encode(),
    outcome="created", text="注文が届きません。Grüße")

add("15_unknown_charset.eml",
    "From: leo@example.com\r\nTo: support@frontline.localhost\r\nSubject: odd charset\r\n"
    "Message-ID: <c15-badcharset@example.com>\r\nContent-Type: text/plain; charset=x-made-up-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\nNaïve café\r\n".encode(),
    outcome="created", text="Naïve café")

add("16_rfc2047_headers.eml",
    "From: =?UTF-8?B?0JzQsNGA0LjRjw==?= <maria@example.ru>\r\nTo: support@frontline.localhost\r\n"
    "Subject: =?UTF-8?Q?Pr=C3=BCfung_der?=\r\n =?UTF-8?B?IFJlY2hudW5n?= =?utf-8?q?_=E2=9C=93?=\r\n"
    "Message-ID: <c16-rfc2047@example.ru>\r\n\r\nBitte prüfen.\r\n".encode(),
    outcome="created", subject="Prüfung der Rechnung ✓", from_name="Мария", text="Bitte prüfen.")

add("17_long_subject.eml", crlf("""From: mallory.long@example.com
To: support@frontline.localhost
Subject: """ + "very long subject " * 60 + """
Message-ID: <c17-long@example.com>

The subject is long.
"""), outcome="created", subject_length=250, text="The subject is long.")

add("18_out_of_office.eml", crlf("""From: Alice Smith <alice@example.com>
To: support@frontline.localhost
Subject: Automatic reply: Kettle broken
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Message-ID: <c18-ooo@example.com>
In-Reply-To: <c01-kettle@example.com>

I am out of the office until Monday.
"""), outcome="auto_reply", thread_on="01_plain.eml", acknowledged=False)

add("19_precedence_bulk.eml", crlf("""From: News <news@shop.example>
To: support@frontline.localhost
Subject: Our December deals
Precedence: bulk
Message-ID: <c19-bulk@shop.example>

Deals!
"""), outcome="auto_reply", acknowledged=False)

add("20_x_autoreply.eml", crlf("""From: helpdesk@vendor.example
To: support@frontline.localhost
Subject: We got your message
X-Autoreply: yes
Message-ID: <c20-xauto@vendor.example>

Thanks, a ticket was opened.
"""), outcome="auto_reply", acknowledged=False)

add("21_list_id.eml", crlf("""From: someone@lists.example
To: support@frontline.localhost
Subject: [users] question
List-Id: Users <users.lists.example>
Message-ID: <c21-list@lists.example>

A list post.
"""), outcome="auto_reply")

add("22_dsn_bounce.eml", crlf("""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: support@frontline.localhost
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Message-ID: <c22-dsn@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain

Your message could not be delivered to gone@example.com.
--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; gone@example.com
Action: failed
Status: 5.1.1
--dsn
Content-Type: text/rfc822-headers

From: support@frontline.localhost
To: gone@example.com
Subject: Re: Kettle broken [#1]
--dsn--
"""), outcome="bounce", bounced=["gone@example.com"])

add("23_mailer_daemon_plain.eml", crlf("""From: postmaster@old-mx.example
To: support@frontline.localhost
Subject: failure notice
Message-ID: <c23-daemon@old-mx.example>
X-Failed-Recipients: nobody-here@example.com

Sorry, I couldn't deliver your message to nobody-here@example.com.
"""), outcome="bounce", bounced=["nobody-here@example.com"])

add("24_noreply_sender.eml", crlf("""From: No Reply <no-reply@service.example>
To: support@frontline.localhost
Subject: Your receipt
Message-ID: <c24-noreply@service.example>

Receipt.
"""), outcome="auto_reply")

add("25_no_from.eml", crlf("""To: support@frontline.localhost
Subject: who am I
Message-ID: <c25-nofrom@example.com>

No sender here.
"""), outcome="failed", kept=True, error_contains="no sender")

add("26_garbage.eml", b"\x00\x01\x02 this is not an email \xff\xfe\r\n\x00",
    outcome="failed", kept=True)

add("27_no_message_id.eml", crlf("""From: oscar@example.com
To: support@frontline.localhost
Subject: No Message-ID

My client sends no Message-ID.
"""), outcome="created", text="My client sends no Message-ID.")

add("28_bidi_zero_width.eml",
    "From: =?utf-8?q?Eve=E2=80=AE?= <eve@example.com>\r\nTo: support@frontline.localhost\r\n"
    "Subject: =?utf-8?q?invoice=E2=80=AEfdp.exe?=\r\nMessage-ID: <c28-bidi@example.com>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nPay\u200b now\u202e please\r\n".encode(),
    outcome="created", subject="invoicefdp.exe", from_name="Eve", text="Pay now please")

add("29_sign_off.eml", crlf("""From: Peggy <peggy@example.com>
To: support@frontline.localhost
Subject: Refund
Message-ID: <c29-signoff@example.com>

I would like a refund for order 991.
Thanks for your help with this.

Best regards,
Peggy Miller
Head of Purchasing
"""), outcome="created", text="I would like a refund for order 991.\nThanks for your help with this.")

add("30_device_footer.eml", crlf("""From: quinn@example.com
To: support@frontline.localhost
Subject: Quick question
Message-ID: <c30-iphone@example.com>

Do you ship to Norway?

Sent from my iPhone
"""), outcome="created", text="Do you ship to Norway?")

deep = EmailMessage()
deep["From"] = "Rupert <rupert@example.com>"
deep["To"] = "support@frontline.localhost"
deep["Cc"] = "Colleague <colleague@example.com>"
deep["Subject"] = "Nested parts"
deep["Message-ID"] = "<c31-nested@example.com>"
deep.set_content("Plain body of a nested message.\n")
deep.add_alternative('<p>HTML body with <img src="cid:logo@x"></p>', subtype="html")
deep.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<logo@x>", filename="logo.png")
deep.add_attachment(PDF, maintype="application", subtype="pdf", filename="report.pdf")
add("31_nested_mixed_alternative_related.eml", deep.as_bytes(), outcome="created",
    text="Plain body of a nested message.", attachments=["logo.png", "report.pdf"])

exe = EmailMessage()
exe["From"] = "sybil@example.com"
exe["To"] = "support@frontline.localhost"
exe["Subject"] = "Run this"
exe["Message-ID"] = "<c32-exe@example.com>"
exe.set_content("Please run the attached tool.\n")
exe.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="tool.exe")
add("32_blocked_attachment.eml", exe.as_bytes(), outcome="created", text="Please run the attached tool.",
    attachments=[])

add("33_german_quote.eml", crlf("""From: trudy@example.de
To: support@frontline.localhost
Subject: AW: Lieferung
Message-ID: <c33-german@example.de>

Die Lieferung ist angekommen.

Am 06.12.2026 um 10:00 schrieb Support <support@frontline.localhost>:
> Ihre Lieferung ist unterwegs.
"""), outcome="created", text="Die Lieferung ist angekommen.")

empty = EmailMessage()
empty["From"] = "uma@example.com"
empty["To"] = "support@frontline.localhost"
empty["Subject"] = "scan"
empty["Message-ID"] = "<c34-empty@example.com>"
empty.add_attachment(PDF, maintype="application", subtype="pdf", filename="scan.pdf")
add("34_attachment_only.eml", empty.as_bytes(), outcome="created", text="(no text; see the attachments)",
    attachments=["scan.pdf"])

add("35_auto_submitted_no.eml", crlf("""From: victor@example.com
To: support@frontline.localhost
Subject: Written by a person
Auto-Submitted: no
Message-ID: <c35-asno@example.com>

A person wrote this.
"""), outcome="created", text="A person wrote this.", acknowledged=True)

add("36_rfc2231_filename.eml", crlf("""From: wendy@example.com
To: support@frontline.localhost
Subject: Rechnung
Message-ID: <c36-2231@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="z"

--z
Content-Type: text/plain; charset=utf-8

Anbei die Rechnung.
--z
Content-Type: application/pdf
Content-Disposition: attachment; filename*=utf-8''Rechnung%20M%C3%A4rz.pdf
Content-Transfer-Encoding: base64

""" + base64.b64encode(PDF).decode() + """
--z--
"""), outcome="created", text="Anbei die Rechnung.", attachments=["Rechnung März.pdf"])


def main() -> None:
    for old in HERE.glob("*.eml"):
        old.unlink()
    for name, raw in CORPUS.items():
        (HERE / name).write_bytes(raw)
    (HERE / "expected.json").write_text(json.dumps(EXPECTED, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {len(CORPUS)} messages to {HERE}")


if __name__ == "__main__":
    main()
