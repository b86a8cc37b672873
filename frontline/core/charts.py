"""Charts: Vega-Lite specs rendered to SVG on the server (vl-convert), so pages read without
JavaScript and a PDF or an email can reuse the same picture.

Every chart of Frontline is a Vega-Lite spec built by the page's view from its numbers and passed
to :func:`svg`. The spec gets the house look (font, colours, no outer border) unless it sets its
own ``config``. Values are data, never markup: vl-convert escapes them in the SVG it writes.

    from frontline.core import charts
    spec = charts.spec(data=rows, mark="bar", encoding={...}, title="Tickets created per day")
    context["chart"] = charts.svg(spec)        # {{ chart }} in the template (already marked safe)
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# The palette of app.css (accent first), a sans-serif stack, light grid lines.
HOUSE_CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    "view": {"stroke": None},
    "axis": {"labelColor": "#4b5563", "titleColor": "#374151", "gridColor": "#e5e7eb", "domainColor": "#9ca3af"},
    "legend": {"labelColor": "#374151", "titleColor": "#374151"},
    "title": {"color": "#111827", "fontSize": 14, "anchor": "start"},
    "range": {"category": ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#6b7280", "#ec4899"]},
}


def spec(*, data: list[dict[str, Any]], title: str = "", width: int | str = "container", height: int = 180,
         description: str = "", **rest: Any) -> dict[str, Any]:
    """A Vega-Lite spec with inline ``data`` rows, the house look and ``rest`` (mark, encoding, layer ...)."""
    out: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": data},
        "width": 640 if width == "container" else width,
        "height": height,
        **rest,
    }
    if title:
        out["title"] = title
    if description:
        out["description"] = description
    return out


def outcomes_per_day(rows: list[Any], *, outcomes: list[tuple[str, str, str]], unit: str, title: str) -> SafeString:
    """Stacked bars of a per-day report: ``rows`` have ``day`` and, per outcome ``(attribute, label,
    colour)``, a list whose length is the day's count (the phone's calls, the chat report's chats)."""
    data = [{"day": r.day.isoformat(), "outcome": label, unit: len(getattr(r, attr))}
            for r in rows for attr, label, _ in outcomes]
    labels = [label for _, label, _ in outcomes]
    return svg(spec(
        data=data, mark="bar", title=title, height=160,
        description=f"Stacked bars: {', '.join(labels[:-1])} and {labels[-1]} {unit} per day.".lower().capitalize(),
        encoding={"x": {"field": "day", "type": "ordinal", "title": None, "timeUnit": "yearmonthdate"},
                  "y": {"field": unit, "type": "quantitative", "title": unit, "stack": True},
                  "color": {"field": "outcome", "type": "nominal", "title": None, "legend": {"orient": "top"},
                            "scale": {"domain": labels, "range": [colour for _, _, colour in outcomes]}}}))


def svg(vl_spec: dict[str, Any]) -> SafeString:
    """The SVG of a Vega-Lite spec (cached by its content), with a ``role="img"`` and a title for screen readers."""
    if "config" not in vl_spec:
        vl_spec = {**vl_spec, "config": HOUSE_CONFIG}
    text = json.dumps(vl_spec, sort_keys=True, default=str)
    return mark_safe(_render(hashlib.sha256(text.encode()).hexdigest(), text))


@lru_cache(maxsize=256)
def _render(_key: str, text: str) -> str:
    import vl_convert

    out = vl_convert.vegalite_to_svg(json.loads(text))
    label = json.loads(text).get("description") or json.loads(text).get("title") or "Chart"
    if isinstance(label, dict):
        label = label.get("text", "Chart")
    from django.utils.html import escape

    return out.replace("<svg ", f'<svg role="img" aria-label="{escape(str(label))}" ', 1)
