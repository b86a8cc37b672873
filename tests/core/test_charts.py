"""Charts render to SVG on the server; data is escaped, never markup."""

from __future__ import annotations

from frontline.core import charts


def test_a_bar_chart_renders_to_svg_with_its_label() -> None:
    rows = [{"day": "2026-12-01", "n": 3}, {"day": "2026-12-02", "n": 5}]
    out = charts.svg(charts.spec(data=rows, mark="bar", title="Tickets per day",
                                 encoding={"x": {"field": "day", "type": "ordinal"}, "y": {"field": "n", "type": "quantitative"}}))
    assert out.startswith("<svg")
    assert 'aria-label="Tickets per day"' in out
    assert "2026-12-02" in out


def test_data_values_cannot_inject_markup() -> None:
    rows = [{"label": "<script>alert(1)</script>", "n": 1}]
    out = charts.svg(charts.spec(data=rows, mark="bar", title="<b>x</b>",
                                 encoding={"x": {"field": "label", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}}))
    assert "<script>" not in out
    assert "<b>" not in out
