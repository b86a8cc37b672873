"""Background work of the desk (Django Tasks API; the database backend by default).

The desk's notifications (``desk.notify_customer``: an agent's public reply, a new request's
receipt) are delivered by the mail app (``frontline/mail/tasks.py``), which threads them, sends
them from the ticket's mailbox and sends each at most once.
"""
