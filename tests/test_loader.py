"""Loading plans safely: every kind of bad input is a finding with a place, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.loader import LoadLimits, load_bytes, normalize_key

BOMB = b"".join(
    [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi")]
)


def only(raw: bytes, **limits: int):
    result = load_bytes(raw, "plan.yaml", LoadLimits(**limits))
    assert len(result.findings) == 1, result.findings
    return result, result.findings[0]


@pytest.mark.parametrize(
    ("name", "raw", "code", "line", "column", "words"),
    [
        ("billion laughs", BOMB, "PL001", None, None, "aliases"),
        ("alias cycle", b"a: &x [1, *x]\n", "PL001", 1, 4, "endless loop"),
        ("deep flow nesting", b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "PL001", 1, 53, "nests deeper"),
        # Some libyaml builds stop at their own limit first; either way the finding is the same kind.
        ("very deep flow nesting", b"a: " + b"[" * 30000 + b"]" * 30000 + b"\n", "PL001", None, None, "nests deeper"),
        ("deep block nesting", b"".join(b" " * i + b"k:\n" for i in range(200)), "PL001", 51, 51, "nests deeper"),
        ("two documents", b"a: 1\n---\nb: 2\n", "PL001", 2, 1, "more than one YAML document"),
        ("tab indentation", b"a:\n\tb: 1\n", "PL001", 2, 1, "tab"),
        ("python tag", b"a: !!python/object/apply:os.system [ls]\n", "PL001", 1, 4, "not allowed"),
        ("NUL byte", b"a: 1\x00\n", "PL001", 1, 5, "binary"),
        ("latin-1 text", b"name: caf\xe9\n", "PL001", 1, 10, "not UTF-8"),
        ("unclosed quote", b'a: "unclosed\nb: 2\n', "PL001", 1, 4, "never closed"),
        ("bad indentation", b"a:\n  b: 1\n c: 2\n", "PL001", 3, 2, "not valid YAML"),
        ("complex key", b"? [a]\n: 1\n", "PL001", 1, 3, "plain text"),
        ("empty", b"", "PL003", 1, 1, "empty"),
        ("only comments", b"# a plan\n\n", "PL003", 1, 1, "empty"),
        ("a list", b"- a\n- b\n", "PL003", 1, 1, "a list"),
        ("a scalar", b"hello\n", "PL003", 1, 1, "single piece of text"),
    ],
    ids=lambda value: value if isinstance(value, str) and " " in value else "",
)
def test_bad_input_is_one_finding_with_a_place(name, raw, code, line, column, words):
    result, finding = only(raw)
    assert result.document is None
    assert finding.code == code
    assert words in finding.message
    if line is not None:
        assert (finding.span.line, finding.span.column) == (line, column)


def test_size_cap_is_configurable():
    _, finding = only(b"a: 1\n" * 100, max_bytes=100)
    assert finding.code == "PL001" and "The file is 500 bytes; planlint reads plans of up to 100 bytes" in finding.message


def test_bom_is_fine():
    result = load_bytes("\ufeffplanlint: 1\n".encode(), "p.yaml")
    assert result.findings == () and result.document.data == {"planlint": 1}


def test_dates_and_years_stay_as_written():
    raw = b"when: 2022-09-15\nh: {2018: 52.7, 2019: 52}\nt:\n  2021-22: 1\n  2025-27: 2\nid: '036'\n"
    data = load_bytes(raw, "p.yaml").document.data
    assert data == {"when": "2022-09-15", "h": {"2018": 52.7, "2019": 52},
                    "t": {"2022": 1, "2025-27": 2}, "id": "036"}


def test_duplicate_keys_name_both_lines_and_point_at_the_second():
    raw = b"m:\n  target: 1\n  id: a\n  target: 2\n"
    result = load_bytes(raw, "p.yaml")
    (finding,) = result.findings
    assert finding.code == "PL002" and "lines 2 and 4" in finding.message
    assert (finding.span.line, finding.span.column) == (4, 3)
    assert result.document.data["m"]["target"] == 2
    assert result.document.locate(("m", "target")).line == 4


def test_a_school_year_key_and_its_spring_year_are_the_same_key():
    result = load_bytes(b"t:\n  2021-22: 1\n  2022: 2\n", "p.yaml")
    assert [f.code for f in result.findings] == ["PL002"]


@pytest.mark.parametrize(
    ("raw", "value", "words"),
    [
        (b"a: yes\n", "yes", "true or false"),
        (b"a: off\n", "off", "true or false"),
        (b"a: 036\n", "036", "leading zero"),
        (b"a: 52%\n", "52%", "write 52"),
    ],
)
def test_yaml11_traps_keep_what_was_written_and_warn(raw, value, words):
    result, finding = only(raw)
    assert finding.code == "PL007" and words in finding.message
    assert result.document.data == {"a": value}


def test_quoted_and_ordinary_scalars_are_not_traps():
    raw = b"a: 'yes'\nb: \"036\"\nc: true\nd: 0\ne: -1.5\nf: null\ng: '52%'\n"
    result = load_bytes(raw, "p.yaml")
    assert result.findings == ()
    assert result.document.data == {"a": "yes", "b": "036", "c": True, "d": 0, "e": -1.5, "f": None, "g": "52%"}


def test_merge_keys_and_shared_aliases_load():
    raw = b"base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\nn: *b\n"
    result = load_bytes(raw, "p.yaml")
    assert result.findings == ()
    assert result.document.data["m"] == {"x": 1, "y": 2}
    assert result.document.data["n"] == {"x": 1}


def test_locate_points_at_values_keys_and_missing_paths():
    raw = b"planlint: 1\nmeasures:\n  - id: a\n    trajectory: {2024: 5}\n"
    document = load_bytes(raw, "p.yaml").document
    assert document.locate(("measures", 0, "trajectory", "2024")).line == 4
    assert document.locate(("measures", 0, "trajectory", "2024")).column == 24
    assert document.locate(("measures",), key=True).column == 1
    assert document.locate(("measures", 0, "target")).line == 3  # absent: the mapping that lacks it


def test_normalize_key():
    assert normalize_key("2025-26") == "2026"
    assert normalize_key("1999-00") == "2000"
    assert normalize_key("2025-27") == "2025-27"
    assert normalize_key("id") == "id"


@given(st.binary(max_size=400))
def test_any_bytes_load_without_raising(raw):
    result = load_bytes(raw, "p.yaml")
    assert result.document is not None or result.findings


YAML_ALPHABET = st.sampled_from(list(" \n-:[]{}&*!|>'\"#%@,?abc0123456789.\t") + ["<<", "---", "yes", "\ufeff"])


@given(st.lists(YAML_ALPHABET, max_size=80).map("".join))
def test_yaml_like_text_loads_without_raising(text):
    result = load_bytes(text.encode("utf-8"), "p.yaml")
    for finding in result.findings:
        assert finding.span.line >= 1 and finding.span.column >= 1


def test_without_libyaml_the_pure_python_loader_gives_the_same_results(monkeypatch):
    import yaml

    from planlint import loader

    plan = (__import__("pathlib").Path(__file__).parent / "data" / "minimal.yaml").read_bytes()
    cases = [plan, b"a: yes\nb: 036\nc: 52%\nm:\n  t: 1\n  t: 2\n", BOMB, b"a: &x [1, *x]\n", b"a:\n  b: 1\n c: 2\n"]
    fast = [load_bytes(raw, "p.yaml") for raw in cases]
    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    slow = [load_bytes(raw, "p.yaml") for raw in cases]
    for a, b in zip(fast, slow):
        assert [(f.code, f.span.line) for f in a.findings] == [(f.code, f.span.line) for f in b.findings]
        assert (a.document.data if a.document else None) == (b.document.data if b.document else None)
