"""Writes examples/state-data.csv: synthetic state data for the example plans (64 systems).

Each system's average annual change is spread evenly over a range, so the share of systems that
improved at least as fast as a target requires is easy to reason about; middle years wobble
without changing that average. Run: python examples/make_state_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

SYSTEMS = 64
# measure code: (first year, last year, lowest and highest average change, 2019-ish level range)
MEASURES = {
    "GRAD_CRED": (2015, 2019, -0.5, 3.0, 34.0, 79.0),
    "MASTERY_GROWTH_BOTH": (2015, 2019, -1.0, 4.0, 30.0, 80.0),
    "ACT_WK_BENCH": (2016, 2020, -1.0, 3.5, 5.0, 45.0),
}


def rows() -> list[tuple[str, str, int, float]]:
    out = []
    for code, (first, last, low, high, floor, ceiling) in MEASURES.items():
        for i in range(SYSTEMS):
            change = low + (high - low) * i / (SYSTEMS - 1)
            level = floor + (ceiling - floor) * ((i * 37) % SYSTEMS) / (SYSTEMS - 1)
            for year in range(first, last + 1):
                wobble = 0 if year in (first, last) else ((i + year) % 3 - 1) * 0.4
                value = level - change * (last - year) + wobble
                out.append((f"{i + 1:03d}", code, year, round(min(100.0, max(0.0, value)), 1)))
    return out


def main() -> None:
    path = Path(__file__).with_name("state-data.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["system", "measure", "year", "value"])
        writer.writerows(rows())


if __name__ == "__main__":
    main()
