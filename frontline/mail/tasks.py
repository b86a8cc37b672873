"""Background work of the mail app (Django Tasks API). The IMAP fetch is not built yet (docs/email.md)."""
