"""Forms of the insights pages (checks live in the services; these parse)."""

from __future__ import annotations

from django import forms

from .models import Department, ProblemStatus


class ProblemForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  help_text="What customers run into, and what is known about the cause.")
    department = forms.ChoiceField(choices=Department.choices, help_text="Who owns the fix.")
    external_url = forms.CharField(max_length=500, required=False, label="External link",
                                   help_text="The owning team's issue or ticket (http:// or https://).")
    status = forms.ChoiceField(choices=ProblemStatus.choices)
    fix_shipped_on = forms.DateField(required=False, label="Fix shipped on",
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="With the day, the problem page compares linked tickets per week before and after it.")


class LinkForm(forms.Form):
    tickets = forms.CharField(required=False, label="Ticket numbers", help_text="e.g. #12, 15 #17",
                              widget=forms.TextInput(attrs={"placeholder": "#12, 15"}))
