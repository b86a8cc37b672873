"""Escalation paths: agent → team lead → manager, per team."""
