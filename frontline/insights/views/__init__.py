"""Insights pages: ``inbox`` (feedback, labels, imports), and the manager's pages."""
