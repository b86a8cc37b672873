"""People: users and their roles, teams (and teams of teams), agent profiles, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent"
    TEAM_LEAD = "team_lead", "Team lead"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


STAFF_ROLES = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})

# The languages Frontline's pages exist in. Only English so far: the preference is stored so that
# it takes effect once translations ship.
LANGUAGES = [("en", "English")]


class User(AbstractUser):
    """Everyone who signs in: customers on the portal, and staff in the desk."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER, db_index=True)
    # Empty: show times in the zone of the browser in use. Set by the person on My profile.
    time_zone = models.CharField(max_length=64, blank=True, default="",
                                 help_text="IANA zone, e.g. Europe/Berlin; empty: the browser's zone")
    language = models.CharField(max_length=16, choices=LANGUAGES, default="en",
                                help_text="Stored preference; the product is in English only for now")

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        help_text="Teams of teams: a lead of the parent also leads its sub-teams.",
    )
    members = models.ManyToManyField(User, blank=True, related_name="teams")
    time_zone = models.CharField(max_length=64, default="UTC")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    ONLINE = "online", "Online"
    AWAY = "away", "Away"
    ON_BREAK = "on_break", "On break"
    OFFLINE = "offline", "Offline"


class AgentProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent_profile")
    skills = models.JSONField(default=list, blank=True, help_text='e.g. ["billing", "technical"]')
    languages = models.JSONField(default=list, blank=True, help_text='ISO codes, e.g. ["en", "de"]')
    contracted_hours_per_week = models.DecimalField(max_digits=5, decimal_places=2, default=40)
    hourly_cost = models.DecimalField(max_digits=8, decimal_places=2, default=0, help_text="Fully loaded, in the budget currency")
    start_date = models.DateField(null=True, blank=True)
    availability = models.CharField(max_length=16, choices=Availability.choices, default=Availability.OFFLINE)
    availability_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class AvailabilityChange(models.Model):
    """One change of an agent's availability: the history adherence is measured from."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="availability_changes")
    availability = models.CharField(max_length=16, choices=Availability.choices)
    previous = models.CharField(max_length=16, choices=Availability.choices)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["user", "changed_at"], name="availability_user_time")]

    def __str__(self) -> str:
        return f"{self.user} {self.previous} → {self.availability} at {self.changed_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    """Failed sign-ins, for rate limiting across processes (kept in the database, not memory)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Failed sign-in for {self.username} from {self.address}"
