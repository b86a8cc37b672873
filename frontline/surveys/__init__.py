"""Surveys: CSAT and CES after a ticket is solved, relational NPS on a schedule; responses as ticket events."""
