"""Suppression comments in plans: what they cover, PL008 without a reason, PL009 when unused,
and the file checks they cannot silence.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from projects import (
    PL004_AT,
    PLAN,
    codes,
    findings,
    places,
    run,
    write,
)

pytestmark = pytest.mark.usefixtures("quiet_environment")


# Suppression comments


def check_suppressed(project: Path, plan: str, *extra: str) -> Result:
    write(project / ".planlint.yaml", "select: [core]\n")
    write(project / "plan.yaml", plan)
    return run("check", "--concise", *extra, "plan.yaml")


def test_a_comment_at_the_end_of_a_line_suppresses_a_finding_on_that_line(project: Path):
    plan = PLAN.replace("value: 60}\n  - id: grad\n", "value: 60}  # planlint: disable=PL006 -- the board "
                                                    "extends the plan to 2027\n  - id: grad\n")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL004", "PL005"}
    assert result.stdout.splitlines()[-1] == "Checked 1 file: 3 errors in 1 file. (1 suppressed.)"


def test_a_comment_alone_on_a_line_suppresses_the_node_below_with_its_children(project: Path):
    plan = PLAN.replace("measures:\n  - id: grad\n",
                        "measures:\n  # planlint: disable=PL005,PL006 -- merged from two drafts\n  - id: grad\n")
    result = check_suppressed(project, plan)
    assert places(result, "PL006") == []
    assert places(result, "PL005") == [(12, 9)], "only the first measure is covered"
    assert places(result, "PL004") == [(20, 14)]
    assert "(2 suppressed.)" in result.stdout


def test_a_comment_above_a_key_covers_the_whole_list_below_it(project: Path):
    plan = PLAN.replace("measures:\n", "# planlint: disable=duplicate-id -- ids are renamed next week\nmeasures:\n")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL004", "PL006"}
    assert "(2 suppressed.)" in result.stdout


def test_disable_file_covers_the_whole_file(project: Path):
    plan = "# planlint: disable-file=PL004, outside-period -- a draft for the board retreat\n" + PLAN
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL005"}
    assert "(2 suppressed.)" in result.stdout


def test_rules_are_named_by_code_or_name_in_any_case(project: Path):
    plan = PLAN.replace("serves: [gradd]", "serves: [gradd]  # planlint: disable=Unknown-Reference -- added in May")
    plan = plan.replace("year: 2027, value: 60}", "year: 2027, value: 60}  # planlint: disable=pl006 -- extended")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL005"}


def test_a_suppression_without_a_reason_is_pl008_and_still_suppresses(project: Path):
    plan = PLAN.replace("serves: [gradd]", "serves: [gradd]  # planlint: disable=PL004")
    result = check_suppressed(project, plan)
    assert places(result, "PL004") == []
    (warning,) = [f for f in findings(result) if f["code"] == "PL008"]
    assert (warning["line"], warning["column"], warning["severity"]) == (19, 22, "warning")
    assert "reason" in warning["message"]


def test_a_suppression_that_suppresses_nothing_is_pl009(project: Path):
    plan = PLAN.replace("name: Literacy block", "name: Literacy block  # planlint: disable=PL004,PL006 -- old")
    result = check_suppressed(project, plan)
    assert places(result, "PL004") == [PL004_AT], "the comment is on the line above the finding"
    unused = [f for f in findings(result) if f["code"] == "PL009"]
    assert [(f["line"], f["column"]) for f in unused] == [(18, 27), (18, 27)]
    assert [f["message"] for f in unused] == [
        "This comment suppresses PL004, but there is no PL004 finding here; remove it.",
        "This comment suppresses PL006, but there is no PL006 finding here; remove it."]


def test_suppressed_findings_are_counted_in_text_and_json(project: Path):
    plan = "# planlint: disable-file=PL005 -- two drafts merged\n" + PLAN
    text = check_suppressed(project, plan)
    assert text.stdout.splitlines()[-1] == "Checked 1 file: 1 error, 1 warning in 1 file. (2 suppressed.)"
    report = json.loads(run("check", "--format", "json", "plan.yaml").stdout)
    assert report["summary"]["suppressed"] == 2
    assert report["summary"]["findings"] == 2
    assert {f["code"] for f in report["findings"]} == {"PL004", "PL006"}


@pytest.mark.parametrize("quoted", ['"Test # planlint: disable=PL005 -- not a comment"',
                                    "'Test # planlint: disable=PL005 -- not a comment'"],
                         ids=["double", "single"])
def test_planlint_inside_a_quoted_string_is_not_a_comment(project: Path, quoted: str):
    plan = PLAN.replace("  name: Test District", f"  name: {quoted}").replace(
        "measures:\n  - id: grad\n", f"measures:\n  - x-note: {quoted}\n    id: grad\n")
    result = check_suppressed(project, plan)
    assert places(result, "PL005") == [(7, 9), (12, 9)]
    assert "PL009" not in codes(result)
    assert "suppressed" not in result.stdout


def test_a_comment_after_text_with_an_apostrophe_still_counts(project: Path):
    plan = PLAN.replace(
        "  - id: literacy\n    name: Literacy block\n    serves: [gradd]\n",
        "  - {id: literacy, name: The district's literacy block, serves: [gradd]}"
        "  # planlint: disable=PL004 -- the measure is added in May\n")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL005", "PL006"}
    assert "(1 suppressed.)" in result.stdout


def test_the_checks_of_the_file_itself_cannot_be_suppressed(project: Path):
    plan = "# planlint: disable-file=PL001 -- no\nplanlint: 1\nsystem: [unclosed\n"
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL001"}
    assert "suppressed" not in result.stdout
