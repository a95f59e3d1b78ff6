"""The benchmark frame: every benchmark sentence of seed 004 read into its parts, the seed's
non-examples read as the seed judges them, dates and their years, sentences it must not accept."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

import planlint
from planlint.benchmark import FRAME, PERIOD_ENDS, explain_sentence, lalr, read_statement, reader
from planlint.benchmark.reader import MAX_LENGTH
from planlint.cli import main

EXAMPLE_PLAN = Path(__file__).resolve().parent.parent / "examples" / "strong-parish-2026.yaml"

LANGUAGE_OBJECTIVES = "incorporating language objectives into their daily lesson plans"
EXIT_TICKETS = "assessing daily language objectives in their exit tickets"
ANALYZING = ("analyzing student performance on language objectives in exit tickets during their "
             "weekly coaching meetings and adjusting upcoming instruction")
AUDIT = "an audit of daily lesson plans"

# (sentence, date, tool, percent, who, action) with the plan's first school year 2022-23 (2023).
SEED_BENCHMARKS = [
    # The sample benchmark (overview and table), and the frame's own example.
    ("By September 15, an audit of daily lesson plans will show that 70% of teachers will be "
     "incorporating language objectives into their daily lesson plans.",
     "2022-09-15", AUDIT, 70, "teachers", LANGUAGE_OBJECTIVES),
    ("By the end of the first quarter, an audit of daily lesson plans will show that 95% of teachers "
     "are successfully incorporating language objectives in their lesson plans.",
     "2022-10-31", AUDIT, 95, "teachers", "incorporating language objectives in their lesson plans"),
    # The series for "Focused teacher development in embedded ELD".
    (f"By September 1st, 50% of teachers will be {LANGUAGE_OBJECTIVES}.",
     "2022-09-01", None, 50, "teachers", LANGUAGE_OBJECTIVES),
    (f"By September 15th, 70% of teachers will be {LANGUAGE_OBJECTIVES}.",
     "2022-09-15", None, 70, "teachers", LANGUAGE_OBJECTIVES),
    (f"By October 30th, 95+% of teachers will be {LANGUAGE_OBJECTIVES}. Monitor monthly for the rest "
     "of the school year.", "2022-10-30", None, 95, "teachers", LANGUAGE_OBJECTIVES),
    (f"By October 30th, 40% of teachers will be {EXIT_TICKETS}.",
     "2022-10-30", None, 40, "teachers", EXIT_TICKETS),
    (f"By December 15th, 65% of teachers will be {EXIT_TICKETS}.",
     "2022-12-15", None, 65, "teachers", EXIT_TICKETS),
    (f"By December 15th, 30% of teachers will be {ANALYZING}.",
     "2022-12-15", None, 30, "teachers", ANALYZING),
    (f"By February 1st, 90+% of teachers will be {EXIT_TICKETS}. Monitor monthly for the rest of the "
     "year.", "2023-02-01", None, 90, "teachers", EXIT_TICKETS),
    (f"By February 1st, 60% of teachers will be {ANALYZING}.",
     "2023-02-01", None, 60, "teachers", ANALYZING),
    (f"By April 30, 90+% of teachers will be {ANALYZING}. Monitor monthly for the rest of the year.",
     "2023-04-30", None, 90, "teachers", ANALYZING),
    # The appendix: examples.
    ("By August 20, 85% of teachers have successfully used the new MTSS data collection system to "
     "track instructional supports offered to at least five of their students.",
     "2022-08-20", None, 85, "teachers",
     "used the new MTSS data collection system to track instructional supports offered to at least "
     "five of their students"),
    ("Beginning August 15, all students have a 1:1 meeting with their advisor every week, as reported "
     "in an internal Advisory Tracker.",
     "2022-08-15", "an internal Advisory Tracker", 100, "students",
     "have a 1:1 meeting with their advisor every week"),
    # The appendix: revised forms of the non-examples.
    ("By September 15th, 85% of coaches will be updating the progress monitoring tracker at least "
     "once per week.", "2022-09-15", None, 85, "coaches",
     "updating the progress monitoring tracker at least once per week"),
    ("By the end of the second quarter, classroom observations will show that 75% of teachers are "
     "successfully implementing Tier 1 instructional practices in their classrooms.",
     "2022-12-31", "classroom observations", 75, "teachers",
     "implementing Tier 1 instructional practices in their classrooms"),
    ("By October 30, 90% of teachers will be incorporating Close Reading cycles in their lesson plans "
     "at least once per week.", "2022-10-30", None, 90, "teachers",
     "incorporating Close Reading cycles in their lesson plans at least once per week"),
    # The interim measure of the table and the appendix: it follows the frame, about students.
    ("By December 15, student performance on iReady will show that 35% of students who initially "
     "tested below grade level will have reached proficiency.",
     "2022-12-15", "student performance on iReady", 35,
     "students who initially tested below grade level", "reached proficiency"),
]


@pytest.mark.parametrize(("sentence", "date", "tool", "percent", "who", "action"), SEED_BENCHMARKS,
                         ids=[f"seed-{i}" for i in range(len(SEED_BENCHMARKS))])
def test_every_seed_benchmark_reads_into_its_parts(sentence, date, tool, percent, who, action):
    reading = read_statement(sentence, 2023)
    assert reading.follows_frame
    assert (reading.date, reading.tool, reading.percent, reading.who, reading.action) == (
        date, tool, percent, who, action)
    assert reading.missing == (() if tool else ("tool",))


def test_a_note_after_the_benchmark_is_kept_apart():
    reading = read_statement(SEED_BENCHMARKS[4][0], 2023)
    assert reading.rest == "Monitor monthly for the rest of the school year."
    assert read_statement(SEED_BENCHMARKS[0][0], 2023).rest is None


def test_the_action_step_non_example_has_no_metric():
    reading = read_statement("A progress monitoring tracking system will be rolled out to all "
                             "teachers on August 25th.", 2023)
    assert not reading.follows_frame
    assert reading.percent is None and reading.tool is None
    assert reading.who is None  # passive: it names no actor
    assert reading.date == "2022-08-25" and reading.date_text == "August 25th"
    assert reading.missing == ("tool", "percent", "who")


def test_the_pd_non_example_has_no_target():
    reading = read_statement("Teachers will get PD on Close Reading practices in September.", 2023)
    assert not reading.follows_frame
    assert reading.percent is None
    assert reading.who == "teachers"  # the word, not the sentence's capital
    assert reading.action == "get PD on Close Reading practices"
    assert reading.date == "2022-09-30" and "last day" in (reading.date_note or "")
    assert "percent" in reading.missing


def test_the_interim_measure_non_example_is_about_students():
    from planlint.domain.benchmarks import who_group

    reading = read_statement(SEED_BENCHMARKS[-1][0], 2023)
    assert reading.follows_frame and who_group(reading.who or "") == "students"


@pytest.mark.parametrize("sentence", [
    "April 30-EOY Continue monitoring benchmarks through end of year.",
    "Teachers will get PD on Close Reading practices in September.",
    "A progress monitoring tracking system will be rolled out to all teachers on August 25th.",
    "",
    "70% of teachers",
    "By September 15.",
    "By September 15, teachers will plan lessons.",
    "By September 15, an audit of lesson plans will show that teachers are planning.",
    "By September 15, 70% of teachers.",
    "By Septembr 15, 70% of teachers are planning.",
    "70% of teachers will be incorporating language objectives by September 15.",
    "By September 15 an audit will show that 70% of teachers",
    "By September 15, 70% of teachers are planning; coaches are coaching.",
])
def test_sentences_outside_the_frame_are_not_accepted(sentence):
    assert not read_statement(sentence, 2023).follows_frame


def test_a_sentence_outside_the_frame_still_shows_its_parts():
    reading = read_statement("70% of teachers will be incorporating language objectives by "
                             "September 15.", 2023)
    assert (reading.date, reading.percent, reading.who) == ("2022-09-15", 70, "teachers")
    assert reading.action == "incorporating language objectives"


@pytest.mark.parametrize(("text", "period_start", "date"), [
    ("By September 15, 70% of teachers are planning.", 2023, "2022-09-15"),
    ("By March 1, 70% of teachers are planning.", 2023, "2023-03-01"),
    ("By July 1, 70% of teachers are planning.", 2023, "2022-07-01"),
    ("By June 30, 70% of teachers are planning.", 2023, "2023-06-30"),
    ("By September 15, 70% of teachers are planning.", None, None),
    ("By September 15, 2024, 70% of teachers are planning.", 2023, "2024-09-15"),
    ("By September 15th 2024, 70% of teachers are planning.", None, "2024-09-15"),
    ("By 2022-09-15, 70% of teachers are planning.", None, "2022-09-15"),
    ("By 9/15, 70% of teachers are planning.", 2023, "2022-09-15"),
    ("By 9/15/22, 70% of teachers are planning.", None, "2022-09-15"),
    ("By the 15th of September, 70% of teachers are planning.", 2023, "2022-09-15"),
    ("By Sept. 15, 70% of teachers are planning.", 2023, "2022-09-15"),
    ("By the end of September, 70% of teachers are planning.", 2023, "2022-09-30"),
    ("By the end of February, 70% of teachers are planning.", 2024, "2024-02-29"),
    ("By the end of the school year, 70% of teachers are planning.", 2023, "2023-06-30"),
    ("By the end of the first semester, 70% of teachers are planning.", 2023, "2022-12-31"),
    ("By the end of the third quarter, 70% of teachers are planning.", 2023, "2023-03-31"),
    ("By the end of Q1, 70% of teachers are planning.", 2023, "2022-10-31"),
    ("By the end of the 2nd trimester, 70% of teachers are planning.", 2024, "2024-02-29"),
    ("Beginning August 15, all students have a meeting with their advisor.", 2023, "2022-08-15"),
    ("No later than May 1, 70% of teachers are planning.", 2023, "2023-05-01"),
])
def test_dates_take_their_year_from_the_plan_period(text, period_start, date):
    reading = read_statement(text, period_start)
    assert reading.follows_frame
    assert reading.date == date


def test_a_date_without_a_year_and_no_period_is_kept_as_written():
    reading = read_statement("By September 15, 70% of teachers are planning.")
    assert reading.date is None and reading.date_text == "September 15"
    assert "date" not in reading.missing
    assert "no plan period" in (reading.date_note or "")


def test_a_date_that_does_not_exist_is_not_read_as_one():
    reading = read_statement("By February 30, 70% of teachers are planning.", 2023)
    assert reading.date is None and reading.date_note == "February 30 is not a date in 2023"


def test_named_parts_of_the_year_are_documented_constants():
    reading = read_statement("By the end of the first quarter, 95% of teachers are planning.", 2023)
    assert PERIOD_ENDS["first quarter"] == (10, 31)
    assert "October 31" in (reading.date_note or "") and "write the date" in (reading.date_note or "")


@pytest.mark.parametrize(("text", "percent", "who"), [
    ("By May 1, 95 percent of teachers are planning.", 95, "teachers"),
    ("By May 1, at least 80% of the teachers are planning.", 80, "teachers"),
    ("By May 1, 72.5% of teachers are planning.", 72.5, "teachers"),
    ("By May 1, each coach has met every teacher.", 100, "coach"),
    ("By May 1, all of the staff will be trained.", 100, "staff"),
    ("By May 1, 70% of teachers, coaches, and principals are planning together.", 70,
     "teachers, coaches, and principals"),
])
def test_percent_and_who(text, percent, who):
    reading = read_statement(text, 2023)
    assert (reading.follows_frame, reading.percent, reading.who) == (True, percent, who)


def test_the_tool_can_close_the_sentence():
    reading = read_statement("By May 1, 70% of teachers are using the tracker, as measured by "
                             "weekly walkthroughs.", 2023)
    assert reading.tool == "weekly walkthroughs" and reading.action == "using the tracker"


@pytest.mark.parametrize(("text", "who", "action"), [
    ("By October 15, 85% of students who are absent receive a call home the same day.",
     "students who are absent", "receive a call home the same day"),
    ("By May 1, 90% of teachers who are trained will use the protocol in every lesson.",
     "teachers who are trained", "use the protocol in every lesson"),
    ("By May 1, 80% of teachers who have completed the training are coaching a colleague.",
     "teachers who have completed the training", "coaching a colleague"),
    ("By May 1, 75% of families that are new to the district attend an orientation.",
     "families that are new to the district", "attend an orientation"),
    # a clause without a helper verb, and a helper verb that is the sentence's own
    ("By May 1, 60% of students who attend tutoring score proficient on the interim.",
     "students who attend tutoring", "score proficient on the interim"),
    ("By May 1, 70% of teachers are incorporating language objectives.", "teachers",
     "incorporating language objectives"),
])
def test_a_helper_verb_in_a_clause_about_the_people_is_not_the_sentences_verb(text, who, action):
    reading = read_statement(text, 2023)
    assert (reading.follows_frame, reading.who, reading.action) == (True, who, action)


def test_lark_is_not_loaded_to_read_a_sentence():
    code = ("import sys, planlint.cli, planlint.benchmark, planlint.lang.functions; "
            "assert 'lark' not in sys.modules; "
            "assert planlint.benchmark.read_statement('By May 1, 70% of teachers are planning.').follows_frame; "
            "assert planlint.benchmark.read_statement('Teachers plan by May 1.').date_text == 'May 1'; "
            "assert 'lark' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


PLANLINT = str(Path(planlint.__file__).resolve().parent)


def _steps(text: str) -> int:
    """How many lines of planlint's code run to read `text` as a sentence never read before: a count
    of the work done that, unlike a time, is the same on every machine."""
    reader.clear_cache()
    count = 0

    def line(frame, event, arg):
        nonlocal count
        count += event == "line"
        return line

    before = sys.gettrace()
    sys.settrace(lambda frame, event, arg: line if frame.f_code.co_filename.startswith(PLANLINT) else None)
    try:
        read_statement(text, 2023)
    finally:
        sys.settrace(before)
    return count


@pytest.mark.parametrize(("lead", "repeated", "times"), [
    ("", "in 1 on 2 at 3 by 4 ", 8),  # date words everywhere, and no frame: every window searched for a date
    ("By September 15, ", "all of ", 25),  # a share that never ends
    ("By September 15, 70% of teachers are planning, as reported in ", "the weekly planning log ", 7),  # a long tool
], ids=["dates", "shares", "tool"])
def test_the_work_of_reading_a_sentence_grows_in_proportion_to_its_length(lead, repeated, times, monkeypatch):
    """Ten times the words take at most about ten times the work (a reading that went back over the
    words read, or tried every span of them, would take about a hundred times)."""
    short, long = lead + repeated * times, lead + repeated * times * 10
    assert len(long) <= MAX_LENGTH  # a longer sentence is cut to MAX_LENGTH, and would hide the growth
    monkeypatch.setattr(lalr, "COMBINE_AFTER", 0)  # each state's terminals compiled before counting
    read_statement(long, 2023)
    assert _steps(long) <= 11 * _steps(short)


def test_explain_shows_what_was_read_and_the_frame():
    text = explain_sentence(SEED_BENCHMARKS[0][0], 2023)
    assert "follows the benchmark frame" in text
    assert "September 15 -> 2022-09-15" in text
    assert f"tool     {AUDIT}" in text and "percent  70%" in text and "who      teachers" in text
    assert "Nothing is missing" in text
    assert FRAME in text


def test_explain_names_the_missing_parts_of_an_action_step():
    text = explain_sentence("A progress monitoring tracking system will be rolled out to all "
                            "teachers on August 25th.", 2023)
    assert "does not follow the benchmark frame" in text
    assert "percent  (missing)" in text and "who      (missing)" in text
    assert "Missing:\n  percent:" in text and "  who:" in text and "No tool is named" in text
    assert "action step" in text and "`action_steps`" in text


def test_explain_treats_a_missing_tool_as_the_guide_does():
    """The guide's strong example names no tool (the data system keeps the record): no Missing: list."""
    text = explain_sentence("By August 20, 85% of teachers have successfully used the new MTSS data collection "
                            "system to track instructional supports offered to at least five of their students.")
    assert "Missing:" not in text and "No tool is named" in text


def test_explain_says_what_is_wrong_in_the_parts_it_read():
    text = explain_sentence("By September 31, classroom observations will show that 170% of teachers are "
                            "using it.")
    assert "Wrong:\n  date: September 31 is not a date in any year" in text
    assert "  percent: 170% of teachers cannot be reached" in text
    assert "Wrong:" not in explain_sentence("By February 29, an audit will show that 70% of teachers are using it.")


def test_explain_points_a_student_outcome_to_interim_measures():
    text = explain_sentence(SEED_BENCHMARKS[-1][0])
    assert "no plan period to take one from" in text
    assert "It is about students" in text and "`interim_measures`" in text


def test_explain_keeps_lines_short():
    text = explain_sentence(SEED_BENCHMARKS[4][0], 2023)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert 'Read separately, not as part of the benchmark: "Monitor monthly' in text


@pytest.mark.parametrize(("sentence", "code"), [
    ("By September 15, an audit of daily lesson plans will show that 70% of teachers are incorporating "
     "language objectives into their daily lesson plans.", 0),
    ("By August 20, 85% of teachers have successfully used the new MTSS data collection system.", 0),
    ("Teachers will get PD on Close Reading practices in September.", 1),
    ("By September 31, classroom observations will show that 70% of teachers are using it.", 1),
])
def test_the_explain_benchmark_command_exits_1_for_a_sentence_that_needs_work(sentence: str, code: int):
    result = CliRunner().invoke(main, ["explain-benchmark", sentence])
    assert result.exit_code == code, result.output
    assert "The frame:" in result.output


@pytest.mark.parametrize("written", ["0/0", "13/5", "9/0", "0/15/2025"])
def test_a_slash_date_with_no_such_month_or_day_is_said_to_be_no_date(written: str) -> None:
    reading = read_statement(f"By {written}, 80% of teachers will be posting learning targets", 2026)
    assert reading.date is None
    assert reading.date_text == written
    assert reading.date_note == f"{written} is not a date: write it as month/day/year"


def test_a_plan_with_a_slash_date_of_month_zero_gets_a_finding_not_a_rule_failure(tmp_path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(EXAMPLE_PLAN.read_text(encoding="utf-8").replace(
        "By September 15,", "By 0/0,", 1), encoding="utf-8")
    assert "By 0/0," in plan.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "json", str(plan)])
    codes = [finding["code"] for finding in json.loads(result.stdout)["findings"]]
    assert "PL010" not in codes


_WORDS = st.sampled_from(["By", "June", "1,", "2026,", "80%", "of", "teachers", "students", "who", "Who", "are",
                          "is", "that", "which", "have", "will", "use", "the", "log.", "Then", "It's", "don\u2019t",
                          "\u2018quoted\u2019", "caf\u00e9", "x!", "y?", "Z", "a"])
_SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\r\n", "\x0b"])


@st.composite
def _sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=0, max_size=12))
    spaces = draw(st.lists(_SPACES, min_size=len(words) + 1, max_size=len(words) + 1))
    lead, tail = draw(st.booleans()), draw(st.booleans())  # a space before the first word, after the last
    return spaces[0] * lead + "".join(w + s for w, s in zip(words, spaces[1:]))[:None if tail else -1]


@given(_sentences())
def test_a_sentence_s_words_are_read_one_space_apart_however_it_is_spaced(text: str) -> None:
    """The shortcut for a text already one space between words gives what splitting and joining gives."""
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    assert reader._one_space_between_words(text) == " ".join(plain.split())
    first, rest = reader._first_sentence(text)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(plain.split()), maxsplit=1)
    assert (first, rest) == (parts[0].rstrip(" .!?;"), (parts[1].strip() or None) if len(parts) > 1 else None)


@given(_sentences())
def test_a_relative_pronoun_before_a_helper_verb_is_found_wherever_it_stands(text: str) -> None:
    """The search from each pronoun finds a helper verb after it exactly where one search of the text does."""
    if text.isascii():
        assert reader._has_relative_helper(text) == bool(reader._RELATIVE_HELPER.search(text))
