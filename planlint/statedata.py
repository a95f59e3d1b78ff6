"""State data: a CSV of `system,measure,year,value`, one row per system, measure code and year.

With it planlint ranks a plan's baseline among the state's systems and judges a target's
feasibility against how fast the state's systems have actually improved.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Mapping

from planlint.errors import ConfigError
from planlint.expr.lib_targets import avg_annual_change
from planlint.findings import Span

COLUMNS = ("system", "measure", "year", "value")


@dataclass(frozen=True)
class StateData:
    """measure code -> system -> {year: value}."""

    series: Mapping[str, Mapping[str, Mapping[int, float]]]
    file: str = ""

    def values_in(self, measure: str, year: int) -> list[float]:
        return [years[year] for years in self.series.get(measure, {}).values() if year in years]

    def percentile_rank(self, measure: str, year: int, value: float) -> float | None:
        """The share of systems (0-100) whose value that year is below `value`, ties counting half."""
        values = self.values_in(measure, year)
        if not values:
            return None
        below = sum(1 for v in values if v < value)
        equal = sum(1 for v in values if v == value)
        return 100 * (below + equal / 2) / len(values)

    def annual_changes(self, measure: str) -> list[float]:
        """Each system's average annual change over its history of this measure."""
        return self._changes.get(measure, [])

    @functools.cached_property
    def _changes(self) -> dict[str, list[float]]:
        """Computed once: every rule and measure of every plan in a run asks for the same figures."""
        out: dict[str, list[float]] = {}
        for measure, systems in self.series.items():
            averages = [avg_annual_change({str(y): v for y, v in years.items()}) for years in systems.values()]
            out[measure] = [a for a in averages if a is not None]
        return out

    def share_at_least(self, measure: str, change: float, direction: str) -> float | None:
        """The share of systems (0-100) that improved at least as fast as `change` a year."""
        changes = self.annual_changes(measure)
        if not changes:
            return None
        fast = [c for c in changes if (c <= change if direction == "decrease" else c >= change)]
        return 100 * len(fast) / len(changes)


def load_state_data(path: FsPath) -> StateData:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read this state data file: {getattr(exc, 'strerror', None) or exc}",
                          str(path)) from None
    return parse_state_data(text, str(path))


def parse_state_data(text: str, file: str) -> StateData:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != COLUMNS:
        raise ConfigError(f"a state data file starts with the header {','.join(COLUMNS)}; this one starts with "
                          f"{','.join(header or []) or 'nothing'}.", file, Span.point(1, 1), text)
    series: dict[str, dict[str, dict[int, float]]] = {}
    for row_number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        system, measure, year, value = _row(row, row_number, file, text)
        by_system = series.setdefault(measure, {}).setdefault(system, {})
        if year in by_system:
            raise _row_error(f"row {row_number} repeats system {system}, measure {measure}, year {year}.",
                             row_number, file, text)
        by_system[year] = value
    return StateData(series, file)


def _row(row: list[str], number: int, file: str, text: str) -> tuple[str, str, int, float]:
    if len(row) != len(COLUMNS):
        raise _row_error(f"row {number} has {len(row)} columns; each row has 4: {','.join(COLUMNS)}.",
                         number, file, text)
    system, measure, year, value = (cell.strip() for cell in row)
    if not system or not measure:
        raise _row_error(f"row {number} has no system or no measure code.", number, file, text)
    if not (year.isdigit() and len(year) == 4):
        raise _row_error(f"row {number}: the year must be a year such as 2019, not {year!r}.", number, file, text)
    try:
        number_value = float(value)
    except ValueError:
        raise _row_error(f"row {number}: the value must be a number, not {value!r}.", number, file, text) from None
    return system, measure, int(year), number_value


def _row_error(message: str, row: int, file: str, text: str) -> ConfigError:
    return ConfigError(message, file, Span.point(row, 1), text)
