"""Background work of surveys (Django Tasks API): send due surveys, start NPS campaigns."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .services import nps_campaign_run, surveys_send_due


@background.runs_as("surveys.send_due")
@task()
def surveys_send_due_task() -> str:
    """Email every survey whose delay after solve has passed (periodic: SURVEY_SEND_EVERY_S)."""
    outcome = surveys_send_due()
    return ", ".join(f"{n} {state}" for state, n in sorted(outcome.items())) or "nothing due"


@background.runs_as("surveys.nps")
@task()
def nps_campaign_task() -> str:
    """Start the relational NPS campaign when one is due (periodic: SURVEY_NPS_CHECK_EVERY_S)."""
    campaign = nps_campaign_run()
    return "not due" if campaign is None else f"{campaign.sampled} of {campaign.eligible} customers sampled"


background.every("surveys.send_due", settings.SURVEY_SEND_EVERY_S)
background.every("surveys.nps", settings.SURVEY_NPS_CHECK_EVERY_S)
