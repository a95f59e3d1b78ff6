"""A measure's chart as inline SVG: history, the status quo projection, baseline, target and trajectory.

The y axis always runs upward; an arrow beside it marks which way is better, so a measure where lower
is better (an achievement gap, chronic absence) shows "better" pointing down. Every text that comes
from a plan is escaped by the caller's `esc`."""

from __future__ import annotations

from typing import Sequence

from planlint.schoolyears import like
from planlint.scorecard import MeasureChart, Points

WIDTH, HEIGHT = 380, 170
_LARGEST = 1e12  # beyond this a value is a typo, not a measure: its findings say so, and it is not charted
LEFT, RIGHT, TOP, BOTTOM = 44, 70, 12, 24  # margins for the axis labels


def chart_svg(measure: MeasureChart) -> str:
    series = (measure.history, measure.projection, measure.stated_projection, measure.baseline, measure.target,
              measure.trajectory)
    points = [point for line in series for point in line]
    if not points or any(abs(value) > _LARGEST for _, value in points):
        return '<p class="nochart">No numbers to chart (no history, baseline or target that is a number).</p>'
    scale = _Scale(points, percent=measure.unit == "percent")
    # The figure's caption says in words what the chart shows (the values, which way is better).
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true">',
             _axes(scale, measure.lower_is_better),
             _line(scale, measure.history, "hist"), _line(scale, measure.projection, "proj"),
             _line(scale, measure.trajectory, "traj"),
             _dots(scale, measure.history, "hist"), _dots(scale, measure.trajectory, "traj"),
             _marker(scale, measure.stated_projection, "sproj"), _marker(scale, measure.baseline, "base"),
             _marker(scale, measure.target, "tgt"), "</svg>"]
    return "".join(part for part in parts if part)


def defs_svg() -> str:
    """Shapes every chart shares, defined once in the page: the arrow that says which way is better."""
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    arrows = []
    for name, lower in (("better-up", False), ("better-down", True)):
        # The arrow stands in the right margin, clear of the lines, pointing the way that is better.
        tip, tail = (bottom - 2, bottom - 40) if lower else (TOP + 2, TOP + 40)
        first = "lower" if lower else "higher"
        text_y = tail - 18 if lower else tail + 10
        arrows.append(f'<g id="{name}" class="better"><path d="M{right + 10} {tail}V{tip}" marker-end="url(#arrow)"/>'
                      f'<text x="{right + 17}" y="{text_y}"><tspan>{first}</tspan>'
                      f'<tspan x="{right + 17}" dy="11">is better</tspan></text></g>')
    return ('<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><marker id="arrow" '
            'viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">'
            f'<path d="M0 0L10 5L0 10z"/></marker>{"".join(arrows)}</defs></svg>')


class _Scale:
    def __init__(self, points: Sequence[tuple[int, float]], *, percent: bool) -> None:
        years = [year for year, _ in points]
        values = [value for _, value in points]
        self.first, self.last = min(years), max(years)
        low, high = min(values), max(values)
        pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
        self.low, self.high = low - pad, high + pad
        if percent and 0 <= low and high <= 100:  # a percent axis stays within 0-100
            self.low, self.high = max(self.low, 0.0), min(self.high, 100.0)

    def x(self, year: int) -> float:
        span = self.last - self.first
        middle = (WIDTH - LEFT - RIGHT) / 2
        return LEFT + (middle if span == 0 else (year - self.first) * (WIDTH - LEFT - RIGHT) / span)

    def y(self, value: float) -> float:
        return TOP + (self.high - value) * (HEIGHT - TOP - BOTTOM) / (self.high - self.low)


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _c(coordinate: float) -> str:
    """A coordinate to the pixel: charts are a few hundred pixels wide, and a 1,500-plan report stays small."""
    return str(round(coordinate))


def _axes(scale: _Scale, lower_is_better: bool) -> str:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    ticks = "".join(f'<text x="{LEFT - 4}" y="{_c(scale.y(value) + 3)}">{_n(value)}</text>'
                    for value in (scale.low, (scale.low + scale.high) / 2, scale.high))
    years = sorted({scale.first, scale.last, like((scale.first + scale.last) // 2, scale.first, scale.last)})
    labels = "".join(f'<text x="{_c(scale.x(year))}" y="{HEIGHT - 8}">{year}</text>' for year in years)
    arrow = "better-down" if lower_is_better else "better-up"
    return (f'<path class="axis" d="M{LEFT} {TOP}V{bottom}H{right}"/><g class="yt">{ticks}</g>'
            f'<g class="xt">{labels}</g><use href="#{arrow}"/>')


def _line(scale: _Scale, points: Points, css: str) -> str:
    if len(points) < 2:
        return ""
    path = "M" + "L".join(f"{_c(scale.x(y))} {_c(scale.y(v))}" for y, v in points)
    return f'<path class="{css}" d="{path}"/>'


def _dots(scale: _Scale, points: Points, css: str) -> str:
    """A dot on each year, drawn as one path of zero-length segments with round ends."""
    if not points:
        return ""
    return f'<path class="{css} dots" d="{"".join(f"M{_c(scale.x(y))} {_c(scale.y(v))}h0" for y, v in points)}"/>'


def _marker(scale: _Scale, points: Points, css: str) -> str:
    if not points:
        return ""
    year, value = points[0]
    x, y = scale.x(year), scale.y(value)
    return {"base": f'<rect class="base" x="{_c(x - 4)}" y="{_c(y - 4)}" width="8" height="8"/>',
            "tgt": f'<path class="tgt" d="M{_c(x)} {_c(y - 6)}l6 6l-6 6l-6-6z"/>',
            "sproj": f'<circle class="sproj" cx="{_c(x)}" cy="{_c(y)}" r="4.5"/>'}[css]


def legend_svg() -> str:
    """The key to every chart, shown once."""
    items = [("hist", "history"), ("proj", "status quo projection (the guide's forecast)"),
             ("traj", "trajectory"), ("base", "baseline"), ("sproj", "stated projection"), ("tgt", "target")]
    parts = []
    for index, (css, label) in enumerate(items):
        x = 6 + (index % 3) * 190
        y = 14 + (index // 3) * 20
        if css in ("hist", "proj", "traj"):
            parts.append(f'<path class="{css}" d="M{x} {y - 4}h22"/>')
        else:
            parts.append(_marker(_KeyScale(x + 11, y - 4), ((0, 0.0),), css))
        parts.append(f'<text x="{x + 28}" y="{y}">{label}</text>')
    return f'<svg class="legend" viewBox="0 0 580 40" role="img" aria-label="Chart key">{"".join(parts)}</svg>'


class _KeyScale(_Scale):
    def __init__(self, x: float, y: float) -> None:
        self._x, self._y = x, y

    def x(self, year: int) -> float:
        return self._x

    def y(self, value: float) -> float:
        return self._y
