"""Background work of workforce planning (Django Tasks API; the database backend by default)."""

from __future__ import annotations

from django_tasks import task

from frontline.core import background

from .forecasts import NotEnoughHistory, forecast_compute
from .models import ForecastRun
from .runs import tracked


@background.runs_as("workforce.forecast")
@task()
def forecast_run_compute(run_id: int) -> str:
    """Compute a stored forecast; the run ends done, or failed with the reason on the page."""
    run = ForecastRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    with tracked(ForecastRun, run_id, expected=(NotEnoughHistory,)) as tracker:
        forecast_compute(run=run, step=tracker.step)
    return ForecastRun.objects.values_list("status", flat=True).get(pk=run_id)
