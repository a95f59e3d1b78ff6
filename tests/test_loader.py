"""Loading plans safely: every kind of bad input is a finding with a place, never an exception."""

from __future__ import annotations

import datetime
import functools
import math
import operator
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from planlint import loader
from planlint.loader import LoadLimits, load_bytes, load_text, normalize_key

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
    plan = (__import__("pathlib").Path(__file__).parent / "data" / "minimal.yaml").read_bytes()
    cases = [plan, b"a: yes\nb: 036\nc: 52%\nm:\n  t: 1\n  t: 2\n", BOMB, b"a: &x [1, *x]\n", b"a:\n  b: 1\n c: 2\n"]
    fast = [load_bytes(raw, "p.yaml") for raw in cases]
    monkeypatch.setattr(loader, "_Composer", type("Composer", (loader._ImplicitTypes, yaml.SafeLoader), {}))
    monkeypatch.setattr(loader, "_UntaggedComposer", type("Composer", (yaml.SafeLoader,), {
        name: vars(loader._UntaggedComposer)[name] for name in ("resolve", "descend_resolver", "ascend_resolver")}))
    slow = [load_bytes(raw, "p.yaml") for raw in cases]
    for a, b in zip(fast, slow):
        assert [(f.code, f.span.line) for f in a.findings] == [(f.code, f.span.line) for f in b.findings]
        assert (a.document.data if a.document else None) == (b.document.data if b.document else None)


# Every plain scalar is typed as PyYAML types it; planlint keeps as written what YAML tools read differently.

SCALARS = [
    # booleans: YAML 1.1's words, in every case PyYAML knows, and words that only look like them
    "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
    "off", "Off", "OFF", "y", "Y", "n", "N", "tRUE", "yEs", "nO", "oN", "yesterday", "nothing", "often", "trueish",
    "Ontario", "falsehood", "nope",
    # nulls
    "~", "null", "Null", "NULL", "nULL", "nil", "none", "None", "nulls",
    # integers: decimal, and the forms that read differently elsewhere
    "0", "7", "-7", "+7", "2026", "-0", "+0", "012", "0012", "08", "09", "0o12", "0x1F", "-0x1f", "0b101", "+0b1",
    "1_000", "1:30", "-1:30", "190:20:30", "99999999999999999999999", "1_", "0_", "x12",
    # floats
    "1.5", "-1.5", "+1.5", ".5", "-.5", "+.5", "1.", "1.0e+3", "1.0E-3", "1.e3", "1e3", "1E3", ".5e-3", "6.8523015e+5",
    "685.230_15e+03", "1_0.5", "1:30.5", ".inf", "-.Inf", "+.INF", ".NaN", ".nan", ".NAN", "-.nan", "1e400", "1.0e400",
    "1.2.3", "0.5.0", "52.7%", "..", ".", "+", "-.", "+.e3",
    # dates and times
    "2022-09-15", "2022-9-15", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-1-1 1:00:00",
    "2001-12-14T21:59:43Z", "2022-09-15x", "2025-26", "2025-2026", "2022-13-45",
    # text
    "52%", "n/a", "K-8", "-x", "=x", "<x", "<<<", "x!", "a b", "école", "日本", "2024 school year", "9 to 5",
]


def _planlint_reading(text: str, pyyaml: object) -> object:
    """What planlint reads for a plain scalar that PyYAML reads as `pyyaml`: the same value where YAML tools
    agree on it, the text as written where they do not (and dates, which stay as written)."""
    if isinstance(pyyaml, bool):
        return pyyaml if text.lower() in ("true", "false") else text
    if pyyaml is None:
        return None
    if isinstance(pyyaml, int):
        return pyyaml if re.fullmatch(r"[-+]?(?:0|[1-9][0-9]*)", text) else text
    if isinstance(pyyaml, float):
        plain = re.fullmatch(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", text)
        return pyyaml if plain and math.isfinite(pyyaml) else text
    return text


@pytest.mark.parametrize("text", SCALARS)
def test_a_plain_scalar_reads_as_pyyaml_types_it_wherever_it_is(text):
    for raw, leaf in ((f"a: {text}\n", ()), (f"a:\n  - {text}\n", (0,)), (f"a: [{text}]\n", (0,)),
                      (f"a: {{b: {text}}}\n", ("b",))):
        try:
            expected = functools.reduce(operator.getitem, leaf, yaml.safe_load(raw)["a"])
        except ValueError:  # a date no calendar has (2022-13-45): PyYAML types it as one and cannot make it
            expected = datetime.date.min
        data = functools.reduce(operator.getitem, leaf, load_text(raw, "p.yaml").document.data["a"])
        wanted = _planlint_reading(text, expected)
        assert (type(data), data) == (type(wanted), wanted), raw


@pytest.mark.parametrize("text", [t for t in SCALARS if t not in ("~", "null", "Null", "NULL")])
def test_a_key_is_the_text_written_whatever_yaml_would_type_it(text):
    document = load_text(f"{text}: 1\n", "p.yaml").document
    assert document.data == {normalize_key(text): 1}


@pytest.mark.parametrize("text", ["'yes'", '"012"', "'~'", '"1.5"', "'2022-09-15'", "|\n  7\n", ">\n  true\n",
                                  "!!str 7", "!!str yes"])
def test_quoted_block_and_str_tagged_scalars_are_text(text):
    expected = yaml.safe_load(f"a: {text}\n")["a"]
    assert load_text(f"a: {text}\n", "p.yaml").document.data == {"a": expected}


@pytest.mark.parametrize(("raw", "tag"), [("a: =\n", "value"), ("=: 1\n", "value"), ("a: !!binary aGk=\n", "binary")])
def test_yaml_types_a_plan_cannot_hold_stop_the_load(raw, tag):
    _, finding = only(raw.encode())
    assert finding.code == "PL001" and f"tag:yaml.org,2002:{tag} is not allowed" in finding.message


def _nodes(node: yaml.Node, tag: Callable[[yaml.Node], str] = operator.attrgetter("tag")) -> list[tuple]:
    """Every node with its tag, value, style and place, in document order; planlint's tree with the tag the
    builder reads (a text without a tag is composed with none, and typed as it is built)."""
    place = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return [(type(node), tag(node), node.value, node.style, place)]
    children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
    return [(type(node), tag(node), node.flow_style, place)] + [row for child in children for row in _nodes(child, tag)]


def _planlint_nodes(root: yaml.Node) -> list[tuple]:
    return _nodes(root, loader._tag)


SCALAR_PARTS = st.sampled_from(list("0123456789-+._:eExXoObBtTrRuUfFaAlLsSnNyY~<=% ") + SCALARS)


@given(st.lists(SCALAR_PARTS, min_size=1, max_size=6).map("".join))
def test_every_node_is_tagged_and_placed_as_pyyaml_does(text):
    raw = f"a: {text}\nb:\n  - {text}\n  - [{text}, {{k: {text}}}]\nc: '{text}'\n"
    try:
        expected = yaml.compose(raw, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    document = load_text(raw, "p.yaml").document
    if document is not None:  # else a tag a plan cannot hold (`=`), or a merge of what is not a mapping
        assert _planlint_nodes(document.root) == _nodes(expected)


def test_the_example_plans_are_tagged_and_placed_as_pyyaml_does():
    for path in sorted((Path(__file__).parent.parent / "examples").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        document = load_text(text, path.name).document
        if document is not None:
            assert _planlint_nodes(document.root) == _nodes(yaml.compose(text, Loader=yaml.CSafeLoader)), path


def test_a_text_with_a_tag_and_one_without_are_read_alike(monkeypatch):
    """A text without a `!` is composed untagged and typed as it is built; one with a tag, by PyYAML's resolver.
    Both read every plan, and every scalar, alike."""
    examples = sorted((Path(__file__).parent.parent / "examples").rglob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in examples]
    texts += [f"a: {text}\nb:\n  - {text}\n  - [{text}, {{k: {text}}}]\n{text}: 1\nc: 52%\n" for text in SCALARS]
    untagged = [load_text(text, "p.yaml") for text in texts]
    monkeypatch.setattr(loader, "_UntaggedComposer", loader._Composer)  # every text composed as one with a tag
    for text, first in zip(texts, untagged):
        second = load_text(text, "p.yaml")
        assert [(f.code, f.span, f.message) for f in first.findings] == [
            (f.code, f.span, f.message) for f in second.findings], text
        assert (first.document and first.document.data) == (second.document and second.document.data), text


def test_a_text_with_a_tag_is_composed_with_every_tag():
    root = load_text("a: !!str 1\nb: [2, yes]\n", "p.yaml").document.root
    assert _nodes(root) == _nodes(yaml.compose("a: !!str 1\nb: [2, yes]\n", Loader=yaml.CSafeLoader))


@pytest.mark.parametrize(("raw", "lines"), [
    (b"a: 1\nb: 2\na: 3\na: 4\n", ["lines 1 and 3", "lines 3 and 4"]),
    (b"a: 1\n<<: {a: 0}\nb: 2\n'a': 3\n", ["lines 1 and 4"]),
    (b"x: &k a\ny:\n  *k : 1\n  a: 2\n", ["lines 1 and 4"]),  # an alias's place is its anchor's
    (b"t:\n  2025-26: 1\n  x: 0\n  2026: 2\n  2025-26: 3\n", ["lines 2 and 4", "lines 4 and 5"]),
])
def test_a_repeated_key_names_the_line_of_the_one_before(raw, lines):
    findings = load_bytes(raw, "p.yaml").findings
    assert [f.code for f in findings] == ["PL002"] * len(lines)
    assert [re.search(r"lines \d+ and \d+", f.message).group() for f in findings] == lines


@pytest.mark.parametrize("raw", [b"# a\x0c# b\n", b"\n  # a\r\n\t\n", "# a\u2028 # b\n".encode(), b" \x0b\n"])
def test_comments_and_white_space_alone_are_an_empty_file(raw):
    _, finding = only(raw)
    assert finding.code == "PL003" and "empty" in finding.message



NESTED = {  # a plan nested `n` collections deep, written in different ways
    "dashes": lambda n: "a:\n" + "- " * (n - 1) + "x\n",
    "flow": lambda n: "a: " + "[" * (n - 1) + "]" * (n - 1) + "\n",
    "flow across lines": lambda n: "a: " + "".join("[\n  " if i % 2 else "{k: " for i in range(n - 1)) + "x"
                                   + "".join("]" if i % 2 else "}" for i in reversed(range(n - 1))) + "\n",
    "indented keys": lambda n: "".join(" " * i + "k:\n" for i in range(n - 1)) + " " * (n - 1) + "k: x\n",
    "keys and flow": lambda n: "".join(" " * i + "k:\n" for i in range(n // 2)) + " " * (n // 2) + "k: "
                               + "[" * (n - n // 2 - 1) + "]" * (n - n // 2 - 1) + "\n",
}


@pytest.mark.parametrize("name", NESTED)
@pytest.mark.parametrize("depth", [3, 10, 30])
def test_nesting_one_level_past_the_limit_is_a_finding_and_at_the_limit_is_not(name, depth):
    raw = NESTED[name](depth).encode()
    assert not any("nests deeper" in f.message for f in load_bytes(raw, "p.yaml", LoadLimits(max_depth=depth)).findings)
    _, finding = only(raw, max_depth=depth - 1)
    assert "nests deeper" in finding.message


@given(st.text(alphabet="[]{}- \n\tk:x,", max_size=200), st.integers(min_value=1, max_value=40))
def test_the_quick_bound_on_nesting_sends_every_file_the_full_bound_would_send_to_the_event_scan(text, depth):
    """The guard's first, looser bound may only settle a file the full bound settles the same way."""
    from planlint.input_guards import _BLOCK_RUN, _FLOW_CLOSER, _NOT_FLOW, _may_be_deep

    flow = max(map(len, _FLOW_CLOSER.split(_NOT_FLOW.sub("", text))))
    block = max(map(len, _BLOCK_RUN.findall("\n" + text)), default=0)
    assert _may_be_deep(text, depth) == (flow + block >= depth)
