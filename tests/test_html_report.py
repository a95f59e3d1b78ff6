"""The HTML report without a browser: one self-contained file, everything from a plan escaped, the same
bytes every run, and charts drawn from whatever a plan holds without failing."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from planlint.cli import main
from planlint.planinfo import plan_info
from planlint.reporters.html_chart import chart_svg
from verdict_plans import louisiana, write_batch

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)> & Sons'


def _report(tmp_path: Path) -> str:
    batch = write_batch(tmp_path / "submissions")
    (batch / "hostile.yaml").write_text(louisiana(**{
        "name: Cypress Parish School System": f"name: '{HOSTILE}'",
        'id: "036"': "id: '<b>036</b>'",
        "name: Percent of students graduating with college and/or career credentials":
            "name: '</svg><script>alert(3)</script>'"}), encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "html", "-o", str(out), str(batch)])
    assert result.exit_code == 1, result.output
    return out.read_text(encoding="utf-8")


def test_the_report_is_one_file_that_fetches_nothing(tmp_path: Path) -> None:
    page = _report(tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # the browser refuses any request the page might make
    assert _links(page) and all(link.startswith("#") for link in _links(page))
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert page.count("<script") == 1 and page.count("<style>") == 1
    assert page.count('<details class="plan"') == 6


def _links(page: str) -> list[str]:
    """Every src and href of every element, as a browser parses the page."""
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(value or "" for name, value in attrs if name in ("src", "href", "xlink:href"))

    Links().feed(page)
    return found


def _tags(page: str) -> set[str]:
    tags: set[str] = set()

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)

    Tags().feed(page)
    return tags


def test_everything_from_a_plan_is_escaped(tmp_path: Path) -> None:
    page = _report(tmp_path)
    assert "alert(" not in page.replace("&lt;script&gt;alert(", "").replace("onerror=alert(", "")
    assert "<script>alert" not in page and "<img" not in page and "</svg><script>" not in page
    assert "img" not in _tags(page) and "b" in _tags(page)  # <b> is the report's own, for names
    assert "&lt;b&gt;036&lt;/b&gt;" in page
    assert "<b>&lt;/svg&gt;&lt;script&gt;alert(3)&lt;/script&gt;</b><br>baseline 52 (2019)" in page


def test_the_report_is_the_same_every_run(tmp_path: Path) -> None:
    first = _report(tmp_path / "one").replace(str(tmp_path / "one"), "")
    assert _report(tmp_path / "two").replace(str(tmp_path / "two"), "") == first


_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                   max_size=3), max_leaves=12)
_MEASURE = st.fixed_dictionaries({}, optional={
    "id": _VALUES, "name": _VALUES, "unit": st.sampled_from(["percent", "points", "number"]) | _VALUES,
    "direction": st.sampled_from(["increase", "decrease"]) | _VALUES,
    "history": st.dictionaries(st.sampled_from(["2017", "2018", "2019", "2025-26", "0", "99999"]),
                               st.integers(-10**30, 10**30) | st.floats() | _VALUES, max_size=4) | _VALUES,
    "baseline": st.fixed_dictionaries({"year": st.integers(-5, 10**6) | _VALUES, "value": st.floats() | _VALUES}),
    "projection": st.fixed_dictionaries({"year": st.integers(1990, 2040), "value": st.floats() | _VALUES}),
    "target": st.fixed_dictionaries({"year": st.integers(1990, 2040) | _VALUES, "value": st.integers() | _VALUES}),
    "trajectory": st.dictionaries(st.sampled_from(["2022", "2023", "2024"]), st.floats() | _VALUES, max_size=3),
})


@settings(max_examples=150)
@given(st.fixed_dictionaries({"measures": st.lists(_MEASURE, max_size=3) | _VALUES,
                              "system": st.fixed_dictionaries({"name": _VALUES, "id": _VALUES}) | _VALUES,
                              "frameworks": _VALUES, "period": _VALUES}))
def test_charts_are_drawn_from_whatever_a_plan_holds(plan: dict) -> None:
    info = plan_info(plan)
    for measure in info.measures:
        svg = chart_svg(measure)
        assert "nan" not in svg.lower().replace("nochart", "") and "inf" not in svg.lower().replace("info", "")
