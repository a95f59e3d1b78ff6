"""Write a deterministic corpus of realistic plans for timing planlint.

Run it from the repository root:

    python bench/generate.py bench/corpus --count 2000 --seed 7

Each file is one plan of 3 to 15 KB in the style of `examples/`: unquoted dates, plain year
keys, flow mappings for short records. Plans vary in size (2 to 9 measures, 1 to 5
strategies), in kind (districts, schools, charters), and in content (measures where lower is
better, achievement gaps, values still `tbd`, statements, results). About 85% of the plans
are clean; the rest carry one realistic mistake each (a missing target, a value written as
`56%`, a repeated id, a gap in a trajectory, a misspelled key, ...). The same seed and count
always give the same files. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import calendar
import functools
import math
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

MIN_BYTES, MAX_BYTES = 3_000, 15_000
MISTAKE_RATE = 0.15


# --------------------------------------------------------------------------- YAML emitter


class Flow(dict):
    """A mapping written on one line: {year: 2019, value: 52}."""


class FlowList(list):
    """A list written on one line: [forecast, benchmark]."""


class Folded(str):
    """Text written as a folded block (>-), wrapped to the page."""


class Raw(str):
    """Text written exactly as given, without quotes (used to plant mistakes)."""


class DupKey:
    """A key written a second time in the same mapping (a planted mistake)."""

    def __init__(self, name: str) -> None:
        self.name = name


_NUMBERISH = re.compile(r"^[-+]?(\.?[0-9][0-9_,.:eE+-]*|\.inf|\.nan)$", re.I)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~", "tbd"}
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def needs_quotes(text: str, flow: bool) -> bool:
    """Whether a string must be quoted to stay the same string in YAML 1.1."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return True
    if ": " in text or " #" in text or text.endswith(":"):
        return True
    if flow and any(c in text for c in ",[]{}"):
        return True
    if text.lower() in _WORDS and text != "tbd":
        return True
    return bool(_NUMBERISH.match(text))


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text: dates and tbd stay plain, as a planning team writes them."""
    kind = type(value)
    if kind is str:
        return text_scalar(value, flow)
    if kind is int or kind is Raw:
        return str(value)
    if kind is float:
        return format(value, "g") if abs(value) < 1e6 else str(int(value))
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return text_scalar(str(value), flow)


@functools.lru_cache(maxsize=65536)
def text_scalar(text: str, flow: bool) -> str:
    if _DATE.match(text):
        return text
    if needs_quotes(text, flow):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def key_text(key: Any) -> str:
    return key.name if type(key) is DupKey else scalar(key)


def inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key_text(k)}: {inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    return scalar(value, flow=True)


def wrap(text: str, indent: int, width: int = 92) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and indent + len(line) + 1 + len(word) > width:
            lines.append(" " * indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [" " * indent + line]


def emit_pair(key: Any, value: Any, indent: int, out: list[str], spaced: bool = False) -> None:
    """One `key: value` at `indent`, recursing into block mappings and lists."""
    pad, name, kind = " " * indent, key_text(key), type(value)
    if kind is dict and value:
        out.append(f"{pad}{name}:")
        for sub_key, sub_value in value.items():
            emit_pair(sub_key, sub_value, indent + 2, out)
    elif kind is list and value:
        out.append(f"{pad}{name}:")
        emit_list(value, indent + 2, out, spaced)
    elif kind is Folded:
        out.append(f"{pad}{name}: >-")
        out.extend(wrap(value, indent + 2))
    elif kind is Flow or kind is FlowList or kind is dict or kind is list:
        out.append(f"{pad}{name}: {inline(value)}")
    else:
        out.append(f"{pad}{name}: {scalar(value)}")


def emit_list(items: list, indent: int, out: list[str], spaced: bool) -> None:
    """Items of a block list; block mappings start on the dash line."""
    pad = " " * indent
    for number, item in enumerate(items):
        if spaced and number:
            out.append("")
        if type(item) is dict and item:
            first = len(out)
            for key, value in item.items():
                emit_pair(key, value, indent + 2, out)
            out[first] = pad + "- " + out[first][indent + 2:]
        else:
            out.append(f"{pad}- {inline(item)}")


SECTIONS = frozenset({"glossary", "aspirations", "measures", "strategies", "monitoring"})


def dump(plan: dict, header: list[str]) -> str:
    out = [f"# {line}" if line else "#" for line in header]
    out.append("")
    for key, value in plan.items():
        if key in SECTIONS:
            out.append("")
        emit_pair(key, value, 0, out, spaced=key in ("measures", "strategies"))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- domain data


@dataclass(frozen=True)
class MeasureKind:
    id: str
    name: str
    unit: str
    direction: str
    bands: str            # grade bands it applies to: e (K-5), m (6-8), h (9-12)
    aspiration: str
    start: tuple[float, float]   # baseline range
    drift: tuple[float, float]   # historical change a year
    gain: tuple[float, float]    # planned improvement a year
    goals: tuple[str, ...]
    source: str
    interim: tuple[str, str, str]   # what, who, how
    code: str = ""
    survey: bool = False


def mk(*args: Any, **kwargs: Any) -> MeasureKind:
    return MeasureKind(*args, **kwargs)


MEASURE_KINDS: list[MeasureKind] = [
    mk("grad-credentials", "Percent of students graduating with college and/or career credentials",
       "percent", "increase", "h", "graduates", (35, 65), (-1.2, 0.8), (1.0, 2.2),
       ("college-career-credential",), "State cohort graduation file",
       ("holding an industry-based credential or early college credit", "seniors",
        "credential and dual-enrollment records"), "GRAD_CRED"),
    mk("grad-on-time", "Percent of students graduating on time (four-year cohort rate)",
       "percent", "increase", "h", "graduates", (68, 88), (-0.6, 1.2), (0.6, 1.5),
       ("graduate-on-time",), "State cohort graduation file",
       ("on track to graduate with their cohort", "ninth graders", "end-of-semester credit audit"),
       "COHORT_GRAD"),
    mk("tops-eligible", "Percent of graduates eligible for a TOPS award",
       "percent", "increase", "h", "graduates", (28, 50), (-0.8, 0.9), (0.8, 1.8),
       ("tops-eligible",), "State scholarship office eligibility file",
       ("meeting the TOPS core curriculum and grade point requirements", "juniors",
        "counselor transcript review")),
    mk("act-workkeys", "Percent of high school students meeting/exceeding ACT or WorkKeys college or career benchmarks",
       "percent", "increase", "h", "graduates", (14, 38), (-3.0, 0.5), (0.8, 1.6),
       ("college-career-credential", "tops-eligible"), "ACT and WorkKeys score files",
       ("meeting the ACT college readiness benchmark in English or math", "juniors", "practice ACT"),
       "ACT_WK_BENCH"),
    mk("fafsa", "Percent of seniors completing the FAFSA by March 1",
       "percent", "increase", "h", "graduates", (40, 70), (-1.0, 1.5), (1.5, 3.0),
       ("college-career-credential",), "Federal student aid completion data",
       ("submitting a complete FAFSA", "seniors", "counselor FAFSA tracker")),
    mk("k-ready", "Percent of kindergartners entering ready on the kindergarten entry assessment",
       "percent", "increase", "e", "outcomes", (45, 72), (-0.8, 1.0), (0.8, 2.0),
       ("kindergarten-ready",), "Kindergarten entry assessment, fall administration",
       ("meeting the pre-K spring literacy and numeracy checkpoint", "pre-K students",
        "spring pre-K checkpoint assessment")),
    mk("k2-literacy", "Percent of K-2 students meeting literacy benchmarks in spring",
       "percent", "increase", "e", "outcomes", (55, 88), (-0.5, 1.0), (0.3, 1.5),
       ("grade3-mastery",), "Literacy screener, spring administration",
       ("meeting the middle-of-year literacy benchmark", "K-2 students", "middle-of-year literacy screener")),
    mk("grade3-ela", "Percent of 3rd graders scoring Mastery or above in ELA",
       "percent", "increase", "e", "outcomes", (25, 55), (-1.0, 1.5), (1.5, 3.0),
       ("grade3-mastery",), "State assessment results, grade 3",
       ("scoring on track on the winter ELA interim", "3rd graders", "winter ELA interim assessment"),
       "G3_ELA_MASTERY"),
    mk("mastery-3-8", "Percent of 3-8 students achieving mastery or meeting top growth in both subjects",
       "percent", "increase", "em", "outcomes", (35, 60), (0.2, 1.4), (1.5, 2.6),
       ("grade3-mastery", "grade8-mastery"), "State assessment results with growth scores",
       ("scoring at or above grade level", "students who initially tested below grade level",
        "iReady diagnostic"), "MASTERY_GROWTH_BOTH"),
    mk("grade8-mastery", "Percent of 8th graders scoring Mastery or above in ELA and math",
       "percent", "increase", "m", "outcomes", (20, 45), (-0.8, 1.2), (1.2, 2.5),
       ("grade8-mastery",), "State assessment results, grade 8",
       ("scoring Mastery or above on the winter interim", "8th graders", "winter interim assessment"),
       "G8_MASTERY"),
    mk("a-schools", 'Percent of students in "A" schools',
       "percent", "increase", "emh", "equity", (15, 45), (0.0, 1.6), (2.0, 4.0),
       (), "State school performance scores and letter grades",
       ("scoring Mastery or above on the winter interim", "students in the system's C and D schools",
        "winter interim assessment")),
    mk("belonging", "Percent of students reporting high levels of school belonging",
       "percent", "increase", "emh", "outcomes", (50, 70), (0.0, 0.0), (1.0, 2.0),
       (), "Student climate survey, grades 3-12",
       ("reporting a strong sense of belonging at school", "students in grades 3-12", "winter pulse survey"),
       survey=True),
    mk("chronic-absence", "Percent of students chronically absent (missing 18 or more school days)",
       "percent", "decrease", "emh", "engagement", (12, 32), (0.2, 2.0), (1.0, 2.5),
       (), "Student information system attendance records",
       ("attending at least nine school days in ten", "students", "attendance dashboard")),
    mk("suspensions", "Percent of students suspended out of school at least once",
       "percent", "decrease", "mh", "engagement", (6, 16), (-0.3, 0.8), (0.5, 1.2),
       (), "Student information system discipline records",
       ("completing the semester without an out-of-school suspension", "students with two or more referrals",
        "discipline dashboard")),
    mk("mastery-gap", "Mastery achievement gap between white students and students of color",
       "points", "increase", "em", "equity", (-30, -14), (-0.4, 0.4), (0.8, 1.6),
       (), "State assessment results by student group",
       ("scoring Mastery or above on the winter interim", "students of color in grades 3-8",
        "winter interim assessment")),
    mk("swd-gap", "ELA mastery gap between students with disabilities and all students",
       "points", "increase", "emh", "equity", (-35, -18), (-0.5, 0.3), (0.8, 1.5),
       (), "State assessment results by student group",
       ("meeting their IEP reading goals at the midyear progress report", "students with disabilities",
        "IEP progress reports")),
    mk("act-composite", "Average ACT composite score of graduates",
       "score", "increase", "h", "graduates", (16.5, 21.0), (-0.3, 0.2), (0.2, 0.4),
       ("tops-eligible",), "ACT graduating class report",
       ("scoring 18 or higher on the practice ACT", "juniors", "practice ACT")),
    mk("credentials-earned", "Number of industry-based credentials earned by graduates",
       "number", "increase", "h", "graduates", (80, 400), (-10, 20), (15, 40),
       ("college-career-credential",), "State credential registry",
       ("passing at least one credential exam", "students in CTE pathways", "credential exam results")),
]

GLOSSARY = {
    "TOPS": "Taylor Opportunity Program for Students, Louisiana's state scholarship",
    "FAFSA": "Free Application for Federal Student Aid",
    "WorkKeys": "ACT's career readiness assessment",
    "ELD": "English language development",
    "CTE": "Career and technical education",
    "PLC": "Professional learning community",
    "MTSS": "Multi-tiered system of supports",
}

ASPIRATIONS = {
    "graduates": ("Graduates' capabilities", "Every graduate leaves with a credential and a plan."),
    "outcomes": ("Student academic and SEL outcomes", "Students master grade-level content and belong."),
    "equity": ("Equity", "Race, disability and school do not predict a student's results."),
    "engagement": ("Engaged students", "Students come to school every day, ready to learn."),
}


@dataclass(frozen=True)
class StrategyKind:
    id: str
    name: str
    root_cause: str
    owner: str
    people: str
    time: str
    fits: tuple[str, ...]                          # measure kinds it can move
    strands: tuple[tuple[str, str, str, str, str], ...]   # key, what, who, how, tool
    steps: tuple[tuple[str, str, str], ...]       # key, what, who


def sk(*args: Any) -> StrategyKind:
    return StrategyKind(*args)


STRATEGY_KINDS: list[StrategyKind] = [
    sk("embedded-eld", "Focused teacher development in embedded ELD",
       "Teachers have had little practice planning for language development in content lessons",
       "Director of Multilingual Learners", "4 instructional coaches", "weekly PLC hour",
       ("mastery-3-8", "grade3-ela", "grade8-mastery", "mastery-gap", "k2-literacy"),
       (("lo-plans", "incorporating language objectives into their daily lesson plans", "teachers",
         "audit of daily lesson plans", "an audit of daily lesson plans"),
        ("exit-tickets", "assessing daily language objectives in their exit tickets", "teachers",
         "review of exit tickets in coaching meetings", "a review of exit tickets in coaching meetings"),
        ("lo-analysis", "analyzing student work on language objectives in weekly coaching meetings",
         "teachers", "coaching meeting notes", "coaching meeting notes")),
       (("eld-institute", "Hold a two-day summer institute on writing language objectives",
         "Director of Multilingual Learners"),
        ("coaching-calendar", "Schedule a weekly coaching meeting for every teacher", "Instructional coaches"),
        ("tracker-rollout", "Roll out the progress monitoring tracker to all teachers", "Assessment coordinator"))),
    sk("foundational-literacy", "Daily foundational skills block in every K-2 classroom",
       "K-2 teachers use different phonics materials and pacing", "Director of Elementary Literacy",
       "6 literacy interventionists", "45 minutes of daily foundational skills instruction",
       ("k2-literacy", "grade3-ela", "k-ready"),
       (("fs-block", "teaching the daily foundational skills block with fidelity", "K-2 teachers",
         "classroom walkthroughs with the fidelity checklist", "classroom walkthroughs with the fidelity checklist"),
        ("small-groups", "grouping students by screener results for daily small-group instruction",
         "K-2 teachers", "review of small-group rosters", "a review of small-group rosters")),
       (("order-decodables", "Order decodable readers for every K-2 classroom", "Director of Elementary Literacy"),
        ("train-interventionists", "Train interventionists on the fidelity checklist", "Literacy coach lead"))),
    sk("hqim", "Full use of high-quality instructional materials in ELA and math",
       "Teachers patch together lessons from many sources, so grade-level work is uneven",
       "Chief Academic Officer", "content coaches for ELA and math", "two planning periods a week",
       ("mastery-3-8", "grade3-ela", "grade8-mastery", "a-schools", "act-composite", "mastery-gap"),
       (("unit-prep", "internalizing each unit with the unit planning protocol before teaching it", "teachers",
         "unit planning protocol submissions", "unit planning protocol submissions"),
        ("on-pace", "teaching lessons from the adopted curriculum on pace", "teachers of ELA and math",
         "curriculum pacing walkthroughs", "curriculum pacing walkthroughs")),
       (("curriculum-pd", "Run curriculum launch training for every ELA and math teacher", "Chief Academic Officer"),
        ("pacing-guides", "Publish pacing guides for each grade and course", "Content coaches"))),
    sk("credential-pathways", "Credential pathways and ACT/WorkKeys preparation for every high school student",
       "Few students are scheduled into dual-enrollment or credential courses",
       "Director of College and Career Readiness", "3 counselors and a career coach", "one advisory period a week",
       ("grad-credentials", "act-workkeys", "fafsa", "tops-eligible", "credentials-earned", "act-composite",
        "grad-on-time"),
       (("pathway-conferences", "completing credential-pathway conferences with each advisee",
         "high school advisors", "advisory conference log", "the advisory conference log"),
        ("act-practice", "using ACT-aligned practice items in weekly lessons", "teachers of ACT-tested courses",
         "review of lesson plans and unit assessments", "a review of lesson plans and unit assessments"),
        ("workkeys-cte", "embedding WorkKeys practice in their courses", "CTE teachers",
         "CTE course walkthroughs", "CTE course walkthroughs")),
       (("dual-enrollment", "Sign the dual-enrollment agreement with the community college",
         "Director of College and Career Readiness"),
        ("practice-act-dates", "Schedule the practice ACT for all juniors", "Testing coordinator"))),
    sk("school-leadership", "Coaching principals as instructional leaders",
       "Principals spend little of their week in classrooms, and teachers rarely get feedback",
       "Chief Academic Officer", "2 principal coaches", "biweekly principal coaching sessions",
       ("a-schools", "mastery-3-8", "grade8-mastery", "grad-on-time"),
       (("feedback-cycles", "completing a biweekly observation and feedback cycle with every teacher",
         "principals and assistant principals", "observation and feedback tracker",
         "the observation and feedback tracker"),
        ("data-meetings", "leading a biweekly data meeting with each grade-level team", "principals",
         "data meeting agendas and notes", "data meeting agendas and notes")),
       (("assign-coaches", "Assign a principal coach to each priority school", "Chief Academic Officer"),)),
    sk("mtss", "A tiered system of supports in every school",
       "Students who fall behind are noticed late and supports are not tracked", "Director of Student Support",
       "school-based MTSS coordinators", "weekly MTSS team meeting",
       ("grad-on-time", "grade3-ela", "swd-gap", "chronic-absence", "suspensions"),
       (("mtss-tracking", "using the MTSS data system to track supports for at least five students", "teachers",
         "MTSS data system", "the MTSS data system"),
        ("tier2-groups", "delivering Tier 2 intervention groups at least three times a week", "interventionists",
         "intervention attendance logs", "intervention attendance logs")),
       (("mtss-launch", "Set up MTSS teams and meeting calendars in every school", "Director of Student Support"),
        ("mtss-training", "Train teachers on the MTSS data system", "MTSS coordinators"))),
    sk("attendance-outreach", "Tiered attendance support with family outreach",
       "Families rarely hear from the school about absences until many days are missed",
       "Director of Student Support", "attendance team of four", "weekly attendance team meeting",
       ("chronic-absence", "grad-on-time"),
       (("same-day-calls", "calling the family the same day a student is absent without notice",
         "homeroom teachers", "attendance contact log", "the attendance contact log"),
        ("attendance-plans", "writing an attendance plan with each family whose child misses five days",
         "school social workers", "attendance plan log", "the attendance plan log")),
       (("attendance-letter", "Send the attendance-matters letter to every family", "Office manager"),
        ("attendance-dashboard", "Set up the monthly attendance dashboard", "Data lead"))),
    sk("advisory-culture", "Advisory and restorative practices in every middle and high school",
       "Many students have no adult at school who knows them well", "Director of Culture",
       "advisors and 2 restorative practice coaches", "daily 25-minute advisory",
       ("belonging", "suspensions", "chronic-absence", "grad-on-time"),
       (("advisory-checkins", "holding a weekly one-on-one check-in with each advisee", "advisors",
         "Advisory Tracker", "the Advisory Tracker"),
        ("restorative-circles", "leading a weekly restorative circle in their advisory", "advisors",
         "advisory walkthroughs", "advisory walkthroughs")),
       (("advisory-training", "Train advisors on the one-on-one check-in protocol", "Director of Culture"),)),
    sk("inclusive-practices", "Co-teaching for students with disabilities in general education classes",
       "Students with disabilities are taught apart from grade-level content", "Director of Special Education",
       "co-teaching pairs in every school", "weekly co-planning period",
       ("swd-gap", "mastery-gap"),
       (("co-planning", "co-planning each week with their special education partner",
         "general education co-teachers", "co-planning logs", "co-planning logs"),
        ("accommodations", "documenting IEP accommodations in their lesson plans", "co-teachers",
         "audit of lesson plans", "an audit of lesson plans")),
       (("co-teach-pairs", "Pair every co-teacher and set a shared planning period", "Principals"),)),
    sk("tutoring", "High-dosage tutoring in math and ELA",
       "Students who are behind get no extra time on grade-level work", "Director of Academic Programs",
       "tutors from the local university", "three 30-minute sessions a week",
       ("mastery-3-8", "grade8-mastery", "grade3-ela", "act-composite", "mastery-gap"),
       (("tutoring-sessions", "delivering three tutoring sessions a week to each assigned student", "tutors",
         "tutoring attendance log", "the tutoring attendance log"),),
       (("tutor-hiring", "Hire and train tutors", "Director of Academic Programs"),
        ("tutor-schedule", "Build tutoring blocks into the master schedule", "Principals"))),
]

PLACES = ("Acadia Bayou Cypress Magnolia Pecan Pelican Live-Oak Cane-River Sabine Tensas Ouachita Red-River "
          "Pine-Hill Cedar-Creek Willow-Bend Sycamore Prairie Riverside Lakeview Hillcrest Oak-Grove "
          "Fairview Maple-Ridge Sunset Harbor Brookside").split()
STATES = ("TX", "MS", "TN", "AL", "GA", "AR", "OK", "CO", "NM", "SC")
CHECKPOINTS = ((8, 31), (9, 15), (9, 30), (10, 15), (10, 31), (11, 15), (11, 30), (12, 15),
               (1, 31), (2, 15), (2, 28), (3, 31), (4, 30), (5, 15))
SUMMER = ((7, 15), (7, 29), (8, 5), (8, 12), (8, 19))
SPANS = {"K-12": "emh", "K-5": "e", "6-8": "m", "9-12": "h", "K-8": "em"}


# --------------------------------------------------------------------------- building a plan


@dataclass
class Ctx:
    """What every part of one plan needs to know."""

    rng: random.Random
    start: int
    end: int
    ldoe: bool


def iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def on_date(school_year: int, month: int, day: int) -> str:
    """The date in the given school year (July to June) with this month and day."""
    return iso(school_year - 1 if month >= 7 else school_year, month, day)


def rounded(kind: MeasureKind, value: float) -> float | int:
    if kind.unit == "number":
        return int(round(value))
    value = round(value, 1)
    return int(value) if value == int(value) else value


def clamp(kind: MeasureKind, value: float) -> float:
    if kind.unit == "percent":
        return min(99.0, max(1.0, value))
    if kind.unit == "points":
        return min(-1.0, value)
    return max(0.0, value)


def make_history(ctx: Ctx, kind: MeasureKind) -> dict[int, float | int | None]:
    """Two to five past years ending before the plan starts; 2020 may have no data."""
    rng = ctx.rng
    last = ctx.start - 1 if rng.random() < 0.75 else ctx.start - 2
    years = list(range(last - rng.randint(2, 5) + 1, last + 1))
    value, trend = rng.uniform(*kind.start), rng.uniform(*kind.drift)
    values: dict[int, float | int | None] = {}
    for year in reversed(years):
        values[year] = rounded(kind, clamp(kind, value))
        value -= trend + rng.uniform(-0.6, 0.6) * (abs(trend) + (3 if kind.unit == "number" else 0.3))
    history = dict(sorted(values.items()))
    if 2020 in years[1:-1] and len(years) >= 4 and rng.random() < 0.5:
        if rng.random() < 0.5:
            history[2020] = None
        else:
            del history[2020]
    return history


def average_change(history: dict[int, Any]) -> float:
    """The mean of the yearly changes; a change across a missing year is divided by the years between."""
    points = sorted((y, v) for y, v in history.items() if v is not None)
    changes = [(b - a) / (yb - ya) for (ya, a), (yb, b) in zip(points, points[1:])]
    return sum(changes) / len(changes)


def forecast(history: dict[int, Any], year: int, unit: str) -> float:
    """The status quo forecast of RULES.md: the latest value plus the average change to `year`."""
    latest = max(y for y, v in history.items() if v is not None)
    value = history[latest] + average_change(history) * (year - latest)
    return min(100.0, max(0.0, value)) if unit == "percent" else value


def make_target(ctx: Ctx, kind: MeasureKind, base: float, base_year: int, projection: float) -> float | int:
    """A target past both the baseline and the projection, rounded in the measure's direction."""
    sign = 1 if kind.direction == "increase" else -1
    best = max(base * sign, projection * sign) * sign
    gain = ctx.rng.uniform(*kind.gain) * (ctx.end - base_year)
    target = clamp(kind, best + sign * gain)
    if sign < 0:  # cutting a rate by more than half in one plan is not realistic
        target = max(target, min(base * 0.45, projection - 1))
    step = 0.1 if kind.unit == "score" else 1
    whole = math.ceil(target / step) if sign > 0 else math.floor(target / step)
    return rounded(kind, whole * step)


def make_trajectory(ctx: Ctx, kind: MeasureKind, base: float, base_year: int, target: Any) -> Flow:
    """Straight steps from the baseline to the target, one for each plan year."""
    path = Flow()
    whole = kind.unit in ("percent", "points") and abs(target - base) >= ctx.end - base_year
    for year in range(ctx.start, ctx.end + 1):
        value = base + (target - base) * (year - base_year) / (ctx.end - base_year)
        path[year] = target if year == ctx.end else round(value) if whole else rounded(kind, value)
    if ctx.end - ctx.start >= 2 and ctx.rng.random() < 0.12:
        for year in range(ctx.start + 1, ctx.end):
            path[year] = "tbd"
    return path


def feasibility(kind: MeasureKind, base: float, base_year: int, target: float, history: dict, end: int) -> str:
    sign = 1 if kind.direction == "increase" else -1
    needed = sign * (target - base) / (end - base_year)
    trend = sign * average_change(history)
    scale = 10 if kind.unit == "number" else 0.5 if kind.unit == "score" else 1
    if needed <= max(trend, 0) + 0.5 * scale:
        return "moderate"
    return "ambitious" if needed <= max(trend, 0) + 1.5 * scale else "very-ambitious"


COMPARISON_SOURCES = {
    "percentile": "State report card rank among systems",
    "state-average": "State results for all systems",
    "peer": "Average of similar systems",
    "national": "National norms from the assessment publisher",
    "historical-high": "Local results",
}


def make_comparisons(ctx: Ctx, kind: MeasureKind, base: float, year: int, history: dict) -> list[Flow]:
    """One or two benchmarks that make the measure comparable."""
    rng, out = ctx.rng, []
    sign = 1 if kind.direction == "increase" else -1
    scale = {"number": 10, "score": 0.25}.get(kind.unit, 1)
    for name in rng.sample(list(COMPARISON_SOURCES), rng.randint(1, 2)):
        when, value = year, rounded(kind, clamp(kind, base + rng.uniform(-6, 6) * scale))
        if name == "percentile":
            value = rng.randrange(15, 90, 5)
        elif name == "historical-high":
            when = max((y for y, v in history.items() if v is not None), key=lambda y: sign * history[y])
            value = history[when]
        out.append(Flow(kind=name, value=value, year=when, source=COMPARISON_SOURCES[name]))
    return out


def make_rationale(ctx: Ctx, kind: MeasureKind, base: float, target: float, projection: float,
                   years: int) -> list[str] | str:
    rng, sign = ctx.rng, 1 if kind.direction == "increase" else -1
    unit = {"percent": "points", "points": "points", "score": "points", "number": "credentials"}[kind.unit]
    reasons = [f"Needs {abs(target - base) / years:.1f} {unit} a year from the baseline"]
    if sign * (projection - base) < 0:
        reasons.append("Reverses the decline in the status quo projection" if sign > 0
                       else "Reverses the rise in the status quo projection")
    else:
        reasons.append(f"Beats the status quo projection of {projection:g}")
    reasons += rng.sample(["Linear projection using local data", "Commensurate with gains in similar systems",
                           "Moves the system into the top third of the state",
                           "Politically acceptable to the board and community"], rng.randint(0, 2))
    return reasons[0] if rng.random() < 0.15 else reasons


def make_measure(ctx: Ctx, kind: MeasureKind) -> dict:
    """A complete mission measure whose numbers agree with each other."""
    if kind.survey:
        return make_survey_measure(ctx, kind)
    rng = ctx.rng
    history = make_history(ctx, kind)
    base_year = max(y for y, v in history.items() if v is not None)
    base = history[base_year]
    projection = rounded(kind, forecast(history, ctx.end, kind.unit))
    target = make_target(ctx, kind, base, base_year, projection)
    m = measure_head(ctx, kind)
    m.update(history=Flow(history), baseline=Flow(year=base_year, value=base),
             projection=Flow(year=ctx.end, value=projection))
    if rng.random() < 0.8:
        m["benchmarks"] = make_comparisons(ctx, kind, base, base_year, history)
    m["target"] = Flow(year=ctx.end, value=target)
    m["trajectory"] = make_trajectory(ctx, kind, base, base_year, target)
    m["feasibility"] = feasibility(kind, base, base_year, target, history, ctx.end)
    m["method"] = FlowList(["forecast"] + rng.sample(["benchmark", "research", "model"], rng.randint(0, 2)))
    m["rationale"] = make_rationale(ctx, kind, base, target, projection, ctx.end - base_year)
    if kind.code and rng.random() < 0.5:
        m["state_measure"] = kind.code
    return m


def measure_head(ctx: Ctx, kind: MeasureKind) -> dict:
    m: dict[str, Any] = {"id": kind.id, "name": kind.name, "aspiration": kind.aspiration}
    if ctx.ldoe and kind.goals:
        m["goals"] = FlowList(f"ldoe.{g}" for g in kind.goals)
    m.update(unit=kind.unit, direction=kind.direction, source=kind.source,
             frequency=ctx.rng.choice(["annual", "annual", "annual (spring)", "each spring"]))
    return m


def make_survey_measure(ctx: Ctx, kind: MeasureKind) -> dict:
    """A new measure with no history: a readiness plan and a trajectory still tbd."""
    m = measure_head(ctx, kind)
    m["readiness_plan"] = Folded(
        f"Give the survey for the first time in spring {ctx.start}, then every spring. "
        f"Set the trajectory in summer {ctx.start} from the first results.")
    target = ctx.rng.randint(*map(int, kind.start)) + 8
    m["benchmarks"] = [Flow(kind="national", value=target, year=ctx.start - 1,
                            source="National research benchmarks (80th percentile)")]
    m["target"] = Flow(year=ctx.end, value=target)
    m["trajectory"] = Flow({y: ("tbd" if y < ctx.end else target) for y in range(ctx.start, ctx.end + 1)})
    m.update(feasibility="ambitious", method=FlowList(["benchmark", "research"]),
             rationale="Corresponds to the 80th percentile in national research benchmarks")
    return m


def statement(when: str, tool: str, target: Any, who: str, what: str) -> Folded:
    year, month, day = (int(part) for part in when.split("-"))
    return Folded(f"By {calendar.month_name[month]} {day}, {tool} will show that {target}% of {who} are {what}.")


def make_benchmarks(ctx: Ctx, kind: StrategyKind) -> list[dict]:
    """Two to five benchmarks in one or two strands, each strand rising through the first year."""
    rng, out = ctx.rng, []
    strands = rng.sample(kind.strands, min(len(kind.strands), rng.randint(1, 2)))
    for key, what, who, how, tool in strands:
        count = rng.randint(2, 3) if len(strands) == 1 else rng.randint(1, 2 + (len(out) == 0))
        slots = sorted(rng.sample(range(len(CHECKPOINTS)), count))
        target = rng.randrange(40, 75, 5)
        for slot in slots:
            when = on_date(ctx.start, *CHECKPOINTS[slot])
            b: dict[str, Any] = {"id": f"{key}-{target}", "what": what, "who": who, "when": when,
                                 "how": how, "target": target}
            if rng.random() < 0.7:
                b["statement"] = statement(when, tool, target, who, what)
            if slot < 4 and rng.random() < 0.3:
                b["result"] = Flow(value=max(0, min(100, target + rng.randrange(-12, 8))),
                                   date=next_day(when))
            out.append(b)
            if target >= 100:
                break
            target = min(100, target + rng.randrange(10, 35, 5))
    return out


def next_day(when: str) -> str:
    year, month, day = (int(part) for part in when.split("-"))
    last = calendar.monthrange(year, month)[1]
    if day < last:
        return iso(year, month, day + 1)
    return iso(year + 1, 1, 1) if month == 12 else iso(year, month + 1, 1)


def make_interim(ctx: Ctx, kind: MeasureKind, suffix: str) -> dict:
    rng = ctx.rng
    what, who, how = kind.interim
    when = on_date(ctx.start, *rng.choice(((12, 15), (1, 31), (2, 15), (2, 28))))
    target = rng.randrange(20, 85, 5)
    im: dict[str, Any] = {"id": f"{kind.id}-{suffix}", "what": what,
                          "who": who, "when": when, "how": how, "target": target, "measure": kind.id}
    if rng.random() < 0.5:
        im["statement"] = statement(when, f"the {how}", target, who, what)
    return im


def make_strategy(ctx: Ctx, kind: StrategyKind, serves: list[MeasureKind], leads: list[MeasureKind]) -> dict:
    """A strategy with owner, resources, benchmarks, interim measures and action steps."""
    rng = ctx.rng
    s: dict[str, Any] = {"id": kind.id, "name": kind.name, "root_cause": kind.root_cause,
                         "serves": FlowList(m.id for m in serves), "owner": kind.owner}
    s["resources"] = Flow(people=kind.people, budget=rng.randrange(20_000, 400_000, 5_000), time=kind.time)
    s["implementation_benchmarks"] = make_benchmarks(ctx, kind)
    s["interim_measures"] = ([make_interim(ctx, m, "interim") for m in leads]
                             or [make_interim(ctx, serves[0], kind.id)])
    steps = rng.sample(kind.steps, rng.randint(1, len(kind.steps)))
    s["action_steps"] = [{"id": key, "what": what, "who": who, "when": on_date(ctx.start, *rng.choice(SUMMER))}
                         for key, what, who in steps]
    return s


def make_system(rng: random.Random, big: bool) -> dict:
    """A district, school, charter or network, with a name, code, state and grade span."""
    kind = "district" if big else rng.choices(["district", "school", "charter", "network"], [55, 30, 10, 5])[0]
    state = "LA" if rng.random() < 0.5 else rng.choice(STATES)
    place = rng.choice(PLACES).replace("-", " ")
    if kind in ("district", "network"):
        grades = "K-12"
        name = (f"{place} Parish School System" if state == "LA" else f"{place} County Schools") \
            if kind == "district" else f"{place} Public Schools Network"
    else:
        grades = rng.choice(["K-5", "6-8", "9-12", "K-8"] if kind == "school" else ["K-8", "9-12"])
        label = {"K-5": "Elementary School", "6-8": "Middle School", "9-12": "High School", "K-8": "Academy"}
        name = f"{place} {label[grades]}" if kind == "school" else f"{place} Charter {label[grades]}"
    code = f"{rng.randint(1, 120):03d}" if state == "LA" else f"{rng.randint(1, 999_999):06d}"
    return {"name": name, "id": code, "state": state, "type": kind, "grades": grades}


def choose_kinds(rng: random.Random, grades: str, count: int) -> list[MeasureKind]:
    bands = SPANS[grades]
    fitting = [k for k in MEASURE_KINDS if any(b in bands for b in k.bands)]
    return rng.sample(fitting, min(count, len(fitting)))


def assign(rng: random.Random, kinds: list[MeasureKind], count: int) -> list[tuple[StrategyKind, list, list]]:
    """Pick strategies that fit the measures; every measure is served by one and led by its interim."""
    chosen: dict[str, list[MeasureKind]] = {}
    for m in rng.sample(kinds, len(kinds)):
        fits = [s for s in STRATEGY_KINDS if m.id in s.fits]
        mine = [s for s in fits if s.id in chosen]
        if not mine and len(chosen) < count:
            mine = [rng.choice(fits)]
        home = rng.choice(mine) if mine else STRATEGY_KINDS_BY_ID[rng.choice(list(chosen))]
        chosen.setdefault(home.id, []).append(m)
    out = []
    for sid, leads in chosen.items():
        kind = STRATEGY_KINDS_BY_ID[sid]
        extra = [m for m in kinds if m.id in kind.fits and m not in leads and rng.random() < 0.3]
        out.append((kind, leads + extra, leads))
    return out


STRATEGY_KINDS_BY_ID = {s.id: s for s in STRATEGY_KINDS}


def make_plan(rng: random.Random, mistake: str | None) -> dict:
    """One plan; `too-many-measures` is the only mistake planted while building."""
    big = mistake == "too-many-measures"
    system = make_system(rng, big)
    start = rng.randint(2021, 2025)
    end = start + rng.randint(2, 4)
    kinds = choose_kinds(rng, system["grades"], rng.randint(8, 9) if big else weighted_count(rng))
    goals = {g for k in kinds for g in k.goals}
    ctx = Ctx(rng, start, end, system["state"] == "LA" and len(goals) >= 3)
    plan: dict[str, Any] = {"planlint": 1, "system": system, "period": Flow(start=start, end=end)}
    if ctx.ldoe:
        plan["frameworks"] = FlowList(["ldoe"])
    plan["glossary"] = {}
    plan["aspirations"] = [{"id": a, "name": ASPIRATIONS[a][0], "description": ASPIRATIONS[a][1]}
                           for a in dict.fromkeys(k.aspiration for k in kinds)]
    plan["measures"] = [make_measure(ctx, k) for k in kinds]
    make_comparable(ctx, plan["measures"], kinds)
    plan["strategies"] = [make_strategy(ctx, kind, serves, leads)
                          for kind, serves, leads in assign(rng, kinds, rng.randint(1, 5))]
    plan["monitoring"] = make_monitoring(rng)
    if rng.random() < 0.1:
        plan["x-board-approved"] = iso(start - 1, rng.randint(5, 6), rng.randint(1, 28))
    glossary = make_glossary(plan)
    if glossary:
        plan["glossary"] = glossary
    else:
        del plan["glossary"]
    return plan


def make_comparable(ctx: Ctx, measures: list[dict], kinds: list[MeasureKind]) -> None:
    """Give benchmarks to measures that lack them until more than half have some."""
    for measure, kind in zip(measures, kinds):
        if 2 * sum(1 for m in measures if "benchmarks" in m) > len(measures):
            return
        if "benchmarks" not in measure:
            base, year = measure["baseline"]["value"], measure["baseline"]["year"]
            comparisons = make_comparisons(ctx, kind, base, year, dict(measure["history"]))
            rebuilt = {}
            for key, value in measure.items():
                if key == "target":
                    rebuilt["benchmarks"] = comparisons
                rebuilt[key] = value
            measure.clear()
            measure.update(rebuilt)


def weighted_count(rng: random.Random) -> int:
    return rng.choices([2, 3, 4, 5, 6, 7], [8, 16, 22, 22, 18, 14])[0]


def make_glossary(plan: dict) -> dict:
    text = " ".join(m["name"] for m in plan["measures"]) + " " + \
        " ".join(s["name"] + " " + s["resources"]["time"] for s in plan["strategies"])
    return {term: meaning for term, meaning in GLOSSARY.items() if re.search(rf"\b{term}\b", text)}


def make_monitoring(rng: random.Random) -> dict:
    cadence = rng.choice(["weekly", "biweekly", "biweekly", "monthly", "monthly", "quarterly"])
    owner = rng.choice(["Superintendent's cabinet", "School leadership team", "Chief Academic Officer",
                        "Director of Accountability"])
    routines = rng.sample([f"{cadence.capitalize()} data meeting on benchmarks and interim measures",
                           "Quarterly progress report to the board", "Summer review of mission key results",
                           "Monthly principal meeting on strategy progress"], rng.randint(1, 3))
    return {"cadence": cadence, "owner": owner, "routines": routines}


# --------------------------------------------------------------------------- planted mistakes


def pick_measure(rng: random.Random, plan: dict, need: str = "") -> dict:
    measures = [m for m in plan["measures"] if not need or need in m]
    return rng.choice(measures or plan["measures"])


def rename_key(mapping: dict, old: str, new: str) -> None:
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


def missing_target(rng: random.Random, plan: dict) -> None:
    del pick_measure(rng, plan, "target")["target"]


def percent_string(rng: random.Random, plan: dict) -> None:
    measure = pick_measure(rng, plan, "baseline")
    path = measure["trajectory"]
    year = rng.choice([y for y, v in path.items() if v != "tbd"])
    path[year] = Raw(f"{path[year]}%")


def duplicate_id(rng: random.Random, plan: dict) -> None:
    items = plan["measures"] if rng.random() < 0.7 or len(plan["strategies"]) < 2 else plan["strategies"]
    items[-1]["id"] = items[0]["id"]


def trajectory_gap(rng: random.Random, plan: dict) -> None:
    path = pick_measure(rng, plan, "trajectory")["trajectory"]
    del path[rng.choice(list(path)[:-1])]


def misspelled_key(rng: random.Random, plan: dict) -> None:
    old, new = rng.choice([("trajectory", "trajectroy"), ("frequency", "frequncy"),
                           ("baseline", "basline"), ("rationale", "rational")])
    rename_key(pick_measure(rng, plan, old), old, new)


def duplicate_key(rng: random.Random, plan: dict) -> None:
    measure = pick_measure(rng, plan, "baseline")
    items = list(measure.items())
    at = [k for k, _ in items].index("trajectory")
    old = Flow(year=measure["target"]["year"], value=measure["baseline"]["value"])
    items.insert(at, (DupKey("target"), old))
    measure.clear()
    measure.update(items)


def wrong_projection(rng: random.Random, plan: dict) -> None:
    projection = pick_measure(rng, plan, "projection")["projection"]
    projection["value"] = round(projection["value"] + rng.choice([-1, 1]) * rng.uniform(2, 8), 1)


def incomplete_benchmark(rng: random.Random, plan: dict) -> None:
    benchmark = rng.choice(rng.choice(plan["strategies"])["implementation_benchmarks"])
    benchmark.pop(rng.choice(["who", "how", "target"]))
    benchmark.pop("statement", None)


def unknown_reference(rng: random.Random, plan: dict) -> None:
    serves = rng.choice(plan["strategies"])["serves"]
    serves[0] += "-all" if serves[0][-1].isdigit() else "s"


def date_as_text(rng: random.Random, plan: dict) -> None:
    benchmark = rng.choice(rng.choice(plan["strategies"])["implementation_benchmarks"])
    month, day = (int(x) for x in benchmark["when"].split("-")[1:])
    benchmark["when"] = f"{calendar.month_name[month]} {day}"


def yes_no(rng: random.Random, plan: dict) -> None:
    plan["system"]["id"] = Raw(plan["system"]["id"])
    plan["x-board-approved"] = Raw(rng.choice(["yes", "no", "on"]))


MISTAKES: dict[str, Callable[[random.Random, dict], None] | None] = {
    "missing-target": missing_target,
    "percent-string": percent_string,
    "duplicate-id": duplicate_id,
    "trajectory-gap": trajectory_gap,
    "misspelled-key": misspelled_key,
    "duplicate-key": duplicate_key,
    "wrong-projection": wrong_projection,
    "incomplete-benchmark": incomplete_benchmark,
    "unknown-reference": unknown_reference,
    "date-as-text": date_as_text,
    "yaml11-trap": yes_no,
    "too-many-measures": None,
}


# --------------------------------------------------------------------------- size and output


def trim_once(plan: dict) -> bool:
    """Make the plan a little shorter; False when nothing is left to drop."""
    strategies = plan["strategies"][::-1]
    for strategy in strategies:
        for item in strategy["implementation_benchmarks"] + strategy["interim_measures"]:
            if item.pop("statement", None):
                return True
    for strategy in strategies:
        for key, keep in (("action_steps", 1), ("implementation_benchmarks", 2)):
            if len(strategy[key]) > keep:
                strategy[key].pop()
                return True
    for measure in plan["measures"]:
        if isinstance(measure.get("rationale"), list):
            measure["rationale"] = measure["rationale"][0]
            return True
        if len(measure.get("benchmarks", [])) > 1:
            del measure["benchmarks"][1:]
            return True
    return False


def pad_once(plan: dict) -> bool:
    """Make the plan a little longer; False when nothing is left to add."""
    for strategy in plan["strategies"]:
        for item in strategy["implementation_benchmarks"]:
            if "statement" not in item and "target" in item and "who" in item:
                return add_statement(item)
    routines = plan["monitoring"]["routines"]
    extra = ["Mid-year review of trajectories with principals", "Spring review of next year's benchmarks",
             "Monthly report to families on attendance and interim results"]
    for line in extra:
        if line not in routines:
            routines.append(line)
            return True
    return False


def add_statement(item: dict) -> bool:
    item["statement"] = statement(item["when"], f"the {item['how']}", item["target"], item["who"], item["what"])
    return True


def header(plan: dict, number: int, seed: int) -> list[str]:
    start, end = plan["period"]["start"], plan["period"]["end"]
    return [f"{plan['system']['name']}: plan for {start - 1}-{start % 100:02d} through {end - 1}-{end % 100:02d}.",
            f"Benchmark corpus plan {number} (seed {seed}); written by bench/generate.py."]


def render(plan: dict, lines: list[str]) -> str:
    """The plan as YAML, trimmed or padded into the size range."""
    text = dump(plan, lines)
    while len(text) > MAX_BYTES - 300:  # about 150 bytes go with each trim
        steps = [trim_once(plan) for _ in range(1 + (len(text) - MAX_BYTES + 300) // 150)]
        text = dump(plan, lines)
        if not all(steps):
            break
    while len(text) < MIN_BYTES + 300 and pad_once(plan):
        text = dump(plan, lines)
    return text


def one_plan(seed: int, number: int) -> tuple[str, str]:
    """The text of plan `number` and the mistake planted in it ("" when clean)."""
    rng = random.Random(f"{seed}:{number}")
    mistake = rng.choice(sorted(MISTAKES)) if rng.random() < MISTAKE_RATE else ""
    plan = make_plan(rng, mistake)
    lines = header(plan, number, seed)
    text = render(plan, lines)
    plant = MISTAKES.get(mistake)
    if plant:
        plant(rng, plan)
        text = dump(plan, lines)
    return text, mistake


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic corpus of realistic plans.")
    parser.add_argument("out_dir", type=Path, help="folder to write the plans into (created if needed)")
    parser.add_argument("--count", type=int, default=2000, help="how many plans to write (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="seed for the corpus (default 7)")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    began, sizes, mistakes = time.perf_counter(), [], 0
    width = max(4, len(str(args.count)))
    for number in range(1, args.count + 1):
        text, mistake = one_plan(args.seed, number)
        data = text.encode()
        (args.out_dir / f"plan-{number:0{width}d}.yaml").write_bytes(data)
        sizes.append(len(data))
        mistakes += bool(mistake)
    took = time.perf_counter() - began
    print(f"wrote {len(sizes)} plans to {args.out_dir} in {took:.1f}s: {sum(sizes):,} bytes, "
          f"{min(sizes, default=0):,} to {max(sizes, default=0):,} bytes each, {mistakes} with a planted mistake")
    return 0


if __name__ == "__main__":
    sys.exit(main())
