"""A measure's chart as inline SVG: history, the status quo projection, baseline, target and trajectory.

The y axis always runs upward; an arrow beside it marks which way is better, so a measure where lower
is better (an achievement gap, chronic absence) shows "better" pointing down. Every text that comes
from a plan is escaped by the caller's `esc`."""

from __future__ import annotations

from html import escape
from typing import Sequence

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
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(_description(measure), quote=True)}">', _axes(scale, measure.lower_is_better)]
    parts.append(_line(scale, measure.history, "hist"))
    parts.append(_line(scale, measure.projection, "proj"))
    parts.append(_line(scale, measure.trajectory, "traj"))
    parts += [_dots(scale, measure.history, "hist", 2.5), _dots(scale, measure.trajectory, "traj", 2)]
    parts += [_marker(scale, measure.stated_projection, "sproj", "stated projection"),
              _marker(scale, measure.baseline, "base", "baseline"),
              _marker(scale, measure.target, "tgt", "target")]
    parts.append("</svg>")
    return "".join(part for part in parts if part)


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


def _axes(scale: _Scale, lower_is_better: bool) -> str:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [f'<path class="axis" d="M{LEFT} {TOP}V{bottom}H{right}"/>']
    for value in (scale.low, (scale.low + scale.high) / 2, scale.high):
        y = _n(scale.y(value))
        parts.append(f'<text class="tick" x="{LEFT - 4}" y="{y}" dy="3" text-anchor="end">{_n(value)}</text>')
    years = sorted({scale.first, scale.last, (scale.first + scale.last) // 2})
    for year in years:
        parts.append(f'<text class="tick" x="{_n(scale.x(year))}" y="{HEIGHT - 8}" text-anchor="middle">{year}</text>')
    # The arrow stands in the right margin, clear of the lines, pointing the way that is better.
    tip, tail = (bottom - 2, bottom - 40) if lower_is_better else (TOP + 2, TOP + 40)
    words = ("lower", "is better") if lower_is_better else ("higher", "is better")
    text_y = tail - 18 if lower_is_better else tail + 10
    parts.append(f'<g class="better"><path d="M{right + 10} {tail}V{tip}" marker-end="url(#arrow)"/>'
                 f'<text x="{right + 17}" y="{text_y}"><tspan>{words[0]}</tspan>'
                 f'<tspan x="{right + 17}" dy="11">{words[1]}</tspan></text></g>')
    return "".join(parts)


def _line(scale: _Scale, points: Points, css: str) -> str:
    if len(points) < 2:
        return ""
    path = "M" + "L".join(f"{_n(scale.x(y))} {_n(scale.y(v))}" for y, v in points)
    return f'<path class="{css}" d="{path}"/>'


def _dots(scale: _Scale, points: Points, css: str, radius: float) -> str:
    return "".join(f'<circle class="{css}" cx="{_n(scale.x(y))}" cy="{_n(scale.y(v))}" r="{radius}">'
                   f'<title>{y}: {_n(v)}</title></circle>' for y, v in points)


def _marker(scale: _Scale, points: Points, css: str, label: str) -> str:
    if not points:
        return ""
    year, value = points[0]
    x, y = scale.x(year), scale.y(value)
    shape = {"base": f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8"',
             "tgt": f'<path d="M{_n(x)} {_n(y - 6)}l6 6l-6 6l-6 -6z"',
             "sproj": f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5"'}[css]
    return f'{shape} class="{css}"><title>{label} {year}: {_n(value)}</title>{shape.split(" ")[0].replace("<", "</")}>'


def _description(measure: MeasureChart) -> str:
    words = []
    for label, points in (("baseline", measure.baseline), ("status quo projection", measure.projection[-1:]),
                          ("target", measure.target)):
        if points:
            words.append(f"{label} {_n(points[0][1])} in {points[0][0]}")
    direction = "lower is better" if measure.lower_is_better else "higher is better"
    return f"{measure.name or measure.id}: " + ", ".join(words + [direction])


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
            parts.append(_marker(_KeyScale(x + 11, y - 4), ((0, 0.0),), css, label))
        parts.append(f'<text x="{x + 28}" y="{y}">{label}</text>')
    return f'<svg class="legend" viewBox="0 0 580 40" role="img" aria-label="Chart key">{"".join(parts)}</svg>'


class _KeyScale(_Scale):
    def __init__(self, x: float, y: float) -> None:
        self._x, self._y = x, y

    def x(self, year: int) -> float:
        return self._x

    def y(self, value: float) -> float:
        return self._y
