"""What a reviewer's reports say about a plan besides its findings: who wrote it, its measures as numbers
to chart, and a verdict on each criterion of the rubric. Plain values, so that results can be cached as
JSON and rebuilt exactly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planlint.frozen import frozen
from planlint.schoolyears import SchoolYear, school_year

MET, NOT_MET, NOT_APPLICABLE = "met", "not met", "not applicable"
VERDICTS = (MET, NOT_MET, NOT_APPLICABLE)

Points = tuple[tuple[int, float], ...]  # (school year, value), years ascending; a SchoolYear where written 2025-26


@frozen
class Verdict:
    """One criterion for one plan: met, not met (with the codes that decided it) or not applicable."""

    criterion: str  # the criterion's id in the rubric
    name: str
    verdict: str
    codes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "name": self.name, "verdict": self.verdict, "codes": list(self.codes)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Verdict":
        return cls(data["criterion"], data["name"], data["verdict"], tuple(data["codes"]))


@frozen
class MeasureChart:
    """A measure's numbers as the plan states them, and the status quo projection as the guide computes it
    (average annual change carried forward from the latest history year). Values that are not numbers
    (tbd, a typo) are left out: the findings speak of them."""

    id: str
    name: str
    unit: str
    lower_is_better: bool
    history: Points = ()
    projection: Points = ()  # the computed status quo line: latest history value -> projection year
    stated_projection: Points = ()
    baseline: Points = ()
    target: Points = ()
    trajectory: Points = ()

    def to_dict(self) -> dict[str, Any]:
        # a year written 2025-26 is kept as that text, so that a chart rebuilt from the cache reads as written
        return {key: [[str(y) if isinstance(y, SchoolYear) else y, v] for y, v in value]
                if isinstance(value, tuple) else value for key, value in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "MeasureChart":
        return cls(**{key: tuple((_year(y), v) for y, v in value) if isinstance(value, list) else value
                      for key, value in data.items()})


def _year(value: Any) -> int:
    return (school_year(value) or 0) if isinstance(value, str) else int(value)


@frozen
class PlanInfo:
    """Who submitted a plan and its measures; None on a FileResult whose file could not be read as a plan."""

    system: str = ""
    system_id: str = ""
    state: str = ""
    frameworks: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # top-level keys with something in them (measures, strategies, ...)
    measures: tuple[MeasureChart, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "system_id": self.system_id, "state": self.state,
                "frameworks": list(self.frameworks), "parts": list(self.parts),
                "measures": [measure.to_dict() for measure in self.measures]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PlanInfo":
        return cls(data["system"], data["system_id"], data["state"], tuple(data["frameworks"]), tuple(data["parts"]),
                   tuple(MeasureChart.from_dict(m) for m in data["measures"]))
