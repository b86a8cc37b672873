import zoneinfo

from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from .models import LANGUAGES


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Token name", help_text="What will use it, e.g. “CRM sync”")


def _zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [("", "My browser's time zone"), ("UTC", "UTC"), *[(z, z.replace("_", " ")) for z in zones]]


class ProfileForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone", required=False, choices=_zone_choices,
        help_text="Dates and times on every page are shown in this zone.",
    )
    language = forms.ChoiceField(
        label="Language", choices=LANGUAGES,
        help_text="Frontline is available in English only for now; your choice is kept for when more languages come.",
    )


class PasswordForm(PasswordChangeForm):
    """Django's form (current password, new password twice); the service does the change.

    Without Django's autofocus on the current password: the page opens on the time zone and
    language too, and a phone would pop its keyboard up for a field the person may not want."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)

    def save(self, commit: bool = True):  # type: ignore[no-untyped-def]
        raise NotImplementedError("Use people.services.user_password_change.")
