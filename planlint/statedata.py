"""State data: a CSV of `system,measure,year,value`, one row per system, measure code and year.

With it planlint ranks a plan's baseline among the state's systems and judges a target's
feasibility against how fast the state's systems have actually improved.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path as FsPath
from collections.abc import Iterator, Mapping

from planlint.config_error import ConfigError
from planlint.domain.targets import avg_annual_change
from planlint.findings import Span
from planlint.config_files import read_file
from planlint.input_guards import line_col

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


MAX_BYTES = 50_000_000  # a state's CSV for every system, measure and year is a few MB


def load_state_data(path: FsPath) -> StateData:
    raw = read_file(path, what="state data file", max_bytes=MAX_BYTES)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # not utf-8-sig: its error offsets skip the BOM
    except UnicodeDecodeError as exc:
        line, column = line_col(raw, exc.start)
        raise ConfigError(f"line {line} has a character that is not UTF-8 (byte 0x{raw[exc.start]:02x}); a state "
                          "data file must be saved as UTF-8 (in Excel: CSV UTF-8).", str(path),
                          Span.point(line, column)) from None
    return parse_state_data(text, str(path))


# A plain decimal number: float() would also take nan, inf, 1_000 and digits of other scripts.
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")  # str.isdigit() would take ²⁰¹⁹, which int() does not


def parse_state_data(text: str, file: str) -> StateData:
    rows = _rows(text, file)
    _, header = next(rows, (1, []))
    if tuple(h.strip().lower() for h in header) != COLUMNS:
        raise ConfigError(f"a state data file starts with the header {','.join(COLUMNS)}; this one starts with "
                          f"{','.join(header) or 'nothing'}.", file, Span.point(1, 1), text)
    series: dict[str, dict[str, dict[int, float]]] = {}
    for row_number, (line, row) in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        system, measure, year, value = _row(row, row_number, _Place(file, line, text))
        by_system = series.setdefault(measure, {}).setdefault(system, {})
        if year in by_system:
            raise _Place(file, line, text).error(f"row {row_number} repeats system {system}, measure {measure}, "
                                                 f"year {year}.")
        by_system[year] = value
    if not series:
        raise ConfigError(f"the state data file has its header but no rows of data; add one row per system, "
                          f"measure and year ({','.join(COLUMNS)}).", file, Span.point(1, 1), text)
    return StateData(series, file)


@dataclass(frozen=True)
class _Place:
    file: str
    line: int
    text: str

    def error(self, message: str) -> ConfigError:
        return ConfigError(message, self.file, Span.point(self.line, 1), self.text)


def _rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted value may hold line breaks); CSV errors in plain words."""
    reader = csv.reader(io.StringIO(text), strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _Place(file, line, text).error(f"line {line}: {_csv_problem(str(exc))}") from None
        yield line, row
        line = reader.line_num + 1


def _csv_problem(error: str) -> str:
    if "unexpected end of data" in error:
        return "a quote (\") opens a value here and is never closed. Close it, or remove it."
    if "expected after" in error:
        return "a quoted value goes on after its closing quote. Put the whole value inside the quotes."
    if "field larger than" in error:
        return "a value is far longer than any state data needs; check the quotes on this line."
    return "this line cannot be read as CSV; check its commas and quotes."


def _row(row: list[str], number: int, place: _Place) -> tuple[str, str, int, float]:
    if len(row) != len(COLUMNS):
        raise place.error(f"row {number} has {len(row)} columns; each row has 4: {','.join(COLUMNS)}.")
    system, measure, year, value = (cell.strip() for cell in row)
    if not system or not measure:
        raise place.error(f"row {number} has no system or no measure code.")
    if not _YEAR.fullmatch(year):
        raise place.error(f"row {number}: the year must be a year such as 2019, not {year!r}.")
    if not _NUMBER.fullmatch(value):
        raise place.error(f"row {number}: the value must be a number such as 52.7, not {value!r}.")
    if not math.isfinite(float(value)):
        raise place.error(f"row {number}: the value {value} is too large to be a figure for a school system.")
    return system, measure, int(year), float(value)
