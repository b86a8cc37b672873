"""Forms of the messaging pages: field checks only; the services decide and write."""

from __future__ import annotations

from django import forms

from frontline.desk.models import Queue

from .models import Platform


class ConnectorForm(forms.Form):
    name = forms.CharField(max_length=100)
    platform = forms.ChoiceField(choices=Platform.choices)
    slug = forms.SlugField(max_length=50, required=False, help_text="The end of the inbound webhook's address; empty: from the name.")
    outbound_url = forms.URLField(max_length=500, required=False, assume_scheme="https", label="Outbound webhook URL",
                                  help_text="Agents' replies are POSTed here as signed JSON; empty: replies are not sent.")
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False,
                                   help_text="Where new conversations' tickets land.")


class ConnectorEditForm(forms.Form):
    name = forms.CharField(max_length=100)
    outbound_url = forms.URLField(max_length=500, required=False, assume_scheme="https", label="Outbound webhook URL")
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False)
    enabled = forms.BooleanField(required=False, help_text="Off: its webhook answers 404 and stores nothing; replies are not sent.")
