"""Parsing rule expressions and message templates: trees, positions, errors, limits."""

from __future__ import annotations

import datetime
import logging

import lark
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from planlint.lang import ExprSyntaxError, Template, parse_expression, parse_template
from planlint.lang.ast import (
    Binary, Call, Conditional, Element, Field, Index, ListExpr, Literal, Name, Project,
    Quantifier, Unary, walk,
)
from planlint.lang.parser import MAX_DEPTH, MAX_LENGTH, grammar_text


def shape(node: object) -> object:
    """A compact, position-free picture of a tree, to compare against expectations."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Element):
        return "@"
    if isinstance(node, ListExpr):
        return ["list", *map(shape, node.items)]
    if isinstance(node, Field):
        return [".", shape(node.target), node.name]
    if isinstance(node, Index):
        return ["[]", shape(node.target), shape(node.index)]
    if isinstance(node, Project):
        condition = None if node.condition is None else shape(node.condition)
        return ["*", shape(node.source), shape(node.body), condition]
    if isinstance(node, Call):
        return [node.name + "()", *map(shape, node.args)]
    if isinstance(node, Unary):
        return [node.op, shape(node.operand)]
    if isinstance(node, Binary):
        return [node.op, shape(node.left), shape(node.right)]
    if isinstance(node, Conditional):
        return ["if", shape(node.condition), shape(node.then), shape(node.otherwise)]
    assert isinstance(node, Quantifier)
    return [node.kind, node.variable.name, shape(node.collection), shape(node.body)]


@pytest.mark.parametrize("text, expected", [
    ("7", 7),
    ("0.5", 0.5),
    ("-1.5", -1.5),
    ('"say \\"hi\\"\\n"', 'say "hi"\n'),
    ("'a\\'b\\\\'", "a'b\\"),
    ("true", True),
    ("false", False),
    ("null", None),
    ("@2022-09-15", datetime.date(2022, 9, 15)),
    ("[1, 2, 'a']", ["list", 1, 2, "a"]),
    ("[1, 2,]", ["list", 1, 2]),
    ("[]", ["list"]),
    ("target.value", [".", "target", "value"]),
    ('node["x-note"]', ["[]", "node", "x-note"]),
    ('trajectory["2024"]', ["[]", "trajectory", "2024"]),
    ("measures[-1]", ["[]", "measures", -1]),
    ("1 + 2 * 3", ["+", 1, ["*", 2, 3]]),
    ("(1 + 2) * 3", ["*", ["+", 1, 2], 3]),
    ("10 - 4 - 3", ["-", ["-", 10, 4], 3]),
    ("7 % 2 / 1", ["/", ["%", 7, 2], 1]),
    ("-x.y", ["-", [".", "x", "y"]]),
    ("- -1", 1),
    ("not a == b", ["not", ["==", "a", "b"]]),
    ("a or b and c", ["or", "a", ["and", "b", "c"]]),
    ("not not a", ["not", ["not", "a"]]),
    ("a + 1 >= b", [">=", ["+", "a", 1], "b"]),
    ("x in xs", ["in", "x", "xs"]),
    ("x not in xs", ["not in", "x", "xs"]),
    ("if a then 1 else 2", ["if", "a", 1, 2]),
    ("if a then 1 else if b then 2 else 3", ["if", "a", 1, ["if", "b", 2, 3]]),
    ("count(measures)", ["count()", "measures"]),
    ("count(measures,)", ["count()", "measures"]),
    ("round(x, 1)", ["round()", "x", 1]),
    ("f()", ["f()"]),
    ("count(m.a for m in measures)", ["count", "m", "measures", [".", "m", "a"]]),
    ("count(x for x in xs) > 3", [">", ["count", "x", "xs", "x"], 3]),
    ("count(a, b)", ["count()", "a", "b"]),
    ("count()", ["count()"]),
    ("all(m.baseline != null for m in measures)",
     ["all", "m", "measures", ["!=", [".", "m", "baseline"], None]]),
    ("any(s.owner == null for s in strategies)",
     ["any", "s", "strategies", ["==", [".", "s", "owner"], None]]),
    ("none(b.target == null for b in strategies[*].implementation_benchmarks)",
     ["none", "b", ["*", "strategies", [".", "@", "implementation_benchmarks"], None],
      ["==", [".", "b", "target"], None]]),
    ("count(m.direction == 'decrease' for m in measures)",
     ["count", "m", "measures", ["==", [".", "m", "direction"], "decrease"]]),
    ("all(m.a or m.b for m in ms)", ["all", "m", "ms", ["or", [".", "m", "a"], [".", "m", "b"]]]),
    ("all(m.a for m in ms) or b", ["or", ["all", "m", "ms", [".", "m", "a"]], "b"]),
    ("a and all(x > 0 for x in xs)", ["and", "a", ["all", "x", "xs", [">", "x", 0]]]),
    ("not any(x for x in xs) or b", ["or", ["not", ["any", "x", "xs", "x"]], "b"]),
    ("any(none(b.x for b in s.bs) for s in strategies)",
     ["any", "s", "strategies", ["none", "b", [".", "s", "bs"], [".", "b", "x"]]]),
    ("all(x in ys for x in xs)", ["all", "x", "xs", ["in", "x", "ys"]]),
    ("all(if a then b else c for x in if d then e else f)",
     ["all", "x", ["if", "d", "e", "f"], ["if", "a", "b", "c"]]),
    ("max(count(x for x in xs), 1)",
     ["max()", ["count", "x", "xs", "x"], 1]),
    ("a.count.all.in.if.for",
     [".", [".", [".", [".", [".", "a", "count"], "all"], "in"], "if"], "for"]),
    ("measures[*].target.value",
     ["*", "measures", [".", [".", "@", "target"], "value"], None]),
    ("measures[? direction == 'decrease'].id",
     ["*", "measures", [".", "@", "id"], ["==", "direction", "decrease"]]),
    ("a[*].b[*].c", ["*", "a", ["*", [".", "@", "b"], [".", "@", "c"], None], None]),
    ("a[*].b[0]", ["*", "a", ["[]", [".", "@", "b"], 0], None]),
    ("(a[*].b)[0]", ["[]", ["*", "a", [".", "@", "b"], None], 0]),
    ("m[*]", ["*", "m", "@", None]),
])
def test_expressions_parse_to_the_expected_tree(text: str, expected: object) -> None:
    assert shape(parse_expression(text)) == expected


@pytest.mark.parametrize("text", [
    "all(m.baseline != null for m in measures)",
    "any(s.owner == null for s in strategies)",
    "none(b.target == null for b in strategies[*].implementation_benchmarks)",
    "count(m.direction == 'decrease' for m in measures) <= 3",
])
def test_a_quantifier_is_a_plain_unquoted_yaml_string(text: str) -> None:
    document = yaml.safe_load(f"check: {text}\n")
    assert document == {"check": text}
    assert isinstance(parse_expression(document["check"]), (Quantifier, Binary))


def test_the_grammar_has_no_colon() -> None:
    assert '":"' not in grammar_text()
    with pytest.raises(ExprSyntaxError):
        parse_expression("all m in measures: m.baseline != null")


def test_every_node_knows_its_line_and_column() -> None:
    tree = parse_expression("all(\n  m.target.value != null\n  for m in measures)")
    assert (tree.line, tree.column) == (1, 1)
    assert isinstance(tree, Quantifier)
    assert (tree.variable.line, tree.variable.column) == (3, 7)
    assert (tree.collection.line, tree.collection.column) == (3, 12)
    body = tree.body
    assert isinstance(body, Binary) and (body.line, body.column) == (2, 18)
    assert isinstance(body.left, Field) and (body.left.line, body.left.column) == (2, 12)
    assert all(node.line >= 1 and node.column >= 1 for node in walk(tree))


def test_positions_of_calls_lists_and_projections() -> None:
    tree = parse_expression("max(xs[*].a) + [1]")
    assert isinstance(tree, Binary) and (tree.line, tree.column) == (1, 14)
    call, listed = tree.left, tree.right
    assert isinstance(call, Call) and (call.line, call.column) == (1, 1)
    assert isinstance(listed, ListExpr) and (listed.line, listed.column) == (1, 16)
    projection = call.args[0]
    assert isinstance(projection, Project) and (projection.line, projection.column) == (1, 7)


@pytest.mark.parametrize("text, message, line, column", [
    ("a ==", "expected a value after '=='", 1, 5),
    ("", "the expression is empty", 1, 1),
    ("a < b < c", "comparisons cannot be chained", 1, 7),
    ("a b", "expected an operator after 'a', found 'b'", 1, 3),
    ("count(a", "'(' at line 1, column 6 is never closed; add ')'", 1, 8),
    ("[1, 2", "'[' at line 1, column 1 is never closed; add ']'", 1, 6),
    ("a)", "')' has no matching opening bracket", 1, 2),
    ("f(a]", "expected ')' to close the '(' at line 1, column 2", 1, 4),
    ("[f(a)) + 1", "expected ']' to close the '[' at line 1, column 1", 1, 6),
    ("x.count()", "functions are called by name: write count(x), not x.count()", 1, 8),
    ("all m in measures: m.baseline != null",
     "a quantifier is written in parentheses: write all(<condition> for m in measures)", 1, 5),
    ("all m in measures", "write all(<condition> for m in measures)", 1, 5),
    ("a and none b in strategies[*].benchmarks: b.x",
     "write none(<condition> for b in strategies[*].benchmarks)", 1, 12),
    ("(count m in ms: m.a) > 1", "write count(<condition> for m in ms)", 1, 8),
    ("all(m in measures: m.x)",
     "a quantifier has no ':'; write all(<condition> for m in measures)", 1, 18),
    ("x: y", "':' has no meaning here", 1, 2),
    ("all(m in measures)",
     "'all(...)' is missing its condition and 'for': "
     "write all(<condition> for m in measures)", 1, 18),
    ("any(x > 0)", "'any(...)' is missing 'for': write any(x > 0 for <name> in <collection>)",
     1, 10),
    ("all(x, y)", "'all(...)' is missing 'for'", 1, 6),
    ("none(x > 0", "'none(...)' is missing 'for'", 1, 11),
    ("all(x y)", "expected 'for' or an operator after 'x', found 'y'", 1, 7),
    ("all(x > 0 for m measures)", "expected 'in' after 'm', found 'measures'", 1, 17),
    ("all(x > 0 for 1 in xs)", "expected a name after 'for', found '1'", 1, 15),
    ("all(x > 0 for m in)", "expected a value after 'in', found ')'", 1, 19),
    ("all(x for m in xs", "'(' at line 1, column 4 is never closed; add ')'", 1, 18),
    ("all(x for", "the expression ends too early; expected a name after 'for'", 1, 10),
    ("all(x for m", "the expression ends too early; expected 'in' after 'm'", 1, 12),
    ("all(x for m in xs for n in ys)", "expected ')' after 'xs', found 'for'", 1, 19),
    ("count(x for x in xs, 1)", "expected ')' after 'xs', found ','", 1, 20),
    ("f(a for a in xs)", "'for' belongs inside all(...), any(...), none(...) or count(...)",
     1, 5),
    ("all", "'all' starts a quantifier: write all(<condition> for <name> in <collection>)",
     1, 4),
    ("count + 1", "count(xs) counts the elements of xs", 1, 7),
    ("a or if x then 1 else 2", "needs parentheses", 1, 9),
    ("a = b", "write '==' to compare", 1, 3),
    ("a && b", "write 'and' instead of '&&'", 1, 3),
    ("a || b", "write 'or' instead of '||'", 1, 3),
    ("!a", "write 'not'", 1, 1),
    ("'abc", "no closing quote", 1, 1),
    ("@2022-13-01", "'@2022-13-01' is not a real date", 1, 1),
    ("@2022", "a date is written @YYYY-MM-DD", 1, 1),
    ("'\\q'", "unknown escape '\\q'", 1, 2),
    ("x.2024", 'written with brackets: x["2024"]', 1, 3),
    ("a.", "expected a field name after '.'", 1, 3),
    ("1 +* 2", "expected a value after '+', found '*'", 1, 4),
    ("if a then b", "expected 'else'", 1, 12),
    ("if a b", "expected 'then' or an operator after 'a', found 'b'", 1, 6),
    ("[1 2]", "expected ']', ',' or an operator after '1', found '2'", 1, 4),
    ("f(a b)", "expected ')', ',' or an operator", 1, 5),
    ("a {b}", "braces belong to message templates", 1, 3),
    ("x # y", "unexpected character '#'", 1, 3),
    ("'it''s'", "expected an operator after 'it', found 's'", 1, 5),
    ("1" * 31, "numbers are limited to 30 digits", 1, 1),
    ("a +\n  (b * c", "'(' at line 2, column 3 is never closed", 2, 9),
    ("a +\n  * b", "expected a value after '+', found '*'", 2, 3),
])
def test_syntax_errors_say_what_is_wrong_and_where(
    text: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse_expression(text)
    error = caught.value
    assert message in error.message
    assert (error.line, error.column) == (line, column)
    assert error.text == text


def test_a_syntax_error_shows_the_line_and_a_caret() -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse_expression("count(measures) >")
    assert str(caught.value).splitlines() == [
        "expected a value after '>' (line 1, column 18)",
        "  count(measures) >",
        "                   ^",
    ]


def test_a_caret_in_a_long_line_stays_near_the_error() -> None:
    text = "a + " * 100 + "*"
    with pytest.raises(ExprSyntaxError) as caught:
        parse_expression(text)
    shown, caret = str(caught.value).splitlines()[1:]
    assert len(shown) < 80
    assert shown[caret.index("^")] == "*"


def test_the_length_limit() -> None:
    longest = "'" + "a" * (MAX_LENGTH - 2) + "'"
    assert shape(parse_expression(longest)) == "a" * (MAX_LENGTH - 2)
    with pytest.raises(ExprSyntaxError, match="longer than 10000 characters"):
        parse_expression(longest + " ")


def test_the_depth_limit() -> None:
    assert shape(parse_expression("-" * (MAX_DEPTH - 1) + "x"))
    with pytest.raises(ExprSyntaxError, match="nests more than 100 levels") as caught:
        parse_expression("-" * MAX_DEPTH + "x")
    assert caught.value.line == 1
    with pytest.raises(ExprSyntaxError, match="nests more than 100 levels"):
        parse_expression("a" + ".b" * 150)
    with pytest.raises(ExprSyntaxError, match="nests more than 100 levels"):
        parse_expression("f(" * 200 + ")" * 200)


def test_parentheses_alone_do_not_count_as_depth_and_do_not_recurse() -> None:
    text = "(" * 4900 + "x" + ")" * 4900
    assert parse_expression(text) == Name("x", line=1, column=4901)


def test_the_grammar_has_no_lalr_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lark")
    lark.Lark(grammar_text(), parser="lalr")
    assert not [record for record in caplog.records if "conflict" in record.getMessage()]


def test_the_conflict_check_would_notice_a_conflict(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lark")
    dangling_else = 'start: "if" "x" start | "if" "x" start "else" start | "y"'
    lark.Lark(dangling_else, parser="lalr")
    assert [record for record in caplog.records if "conflict" in record.getMessage()]


def test_templates_split_text_and_holes() -> None:
    template = parse_template(
        "The plan has {count(measures)} mission measures; "
        "keep fewer than {options.max_measures + 1}. {{literal}}"
    )
    assert isinstance(template, Template)
    texts = [part for part in template.parts if isinstance(part, str)]
    assert texts == ["The plan has ", " mission measures; keep fewer than ", ". {literal}"]
    assert [shape(hole) for hole in template.holes] == [
        ["count()", "measures"], ["+", [".", "options", "max_measures"], 1],
    ]
    assert (template.holes[0].line, template.holes[0].column) == (1, 15)


def test_template_holes_may_hold_braces_inside_text() -> None:
    template = parse_template("x {join(xs, '}{')} y")
    assert [shape(hole) for hole in template.holes] == [["join()", "xs", "}{"]]


@pytest.mark.parametrize("text, message, line, column", [
    ("Has {count(measures} measures", "'(' at line 1, column 11 is never closed", 1, 20),
    ("Has {count(measures) measures", "this '{' is never closed", 1, 5),
    ("a } b", "a '}' on its own must be written '}}'", 1, 3),
    ("{}", "the expression is empty", 1, 2),
    ("first line\n  then {a ==}", "expected a value after '=='", 2, 13),
    ("{a {b}}", "a '{' cannot appear inside", 1, 4),
    ("Missing: {all m in measures: m.x}", "write all(<condition> for m in measures)", 1, 15),
    ("Missing: {count(m in xs: m)}",
     "a quantifier has no ':'; write count(<condition> for m in xs)", 1, 24),
])
def test_template_errors_point_into_the_whole_template(
    text: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse_template(text)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.text == text


def test_template_without_holes() -> None:
    assert parse_template("plain {{text}}").parts == ("plain {text}",)
    assert parse_template("").parts == ()


_TOKENS = st.sampled_from([
    "a", "b", "x.y", "1", "2.5", "'s'", "@2022-09-15", "true", "null", "(", ")", "[", "]",
    "[*]", "[?", ",", ".", "+", "-", "*", "/", "%", "==", "<", ">=", "and", "or", "not",
    "in", "if", "then", "else", "all", "count", "none", "for", "m", ":", "f(", "{", "}", "=",
    "!", "\n",
])


@given(st.text(st.characters(min_codepoint=1, max_codepoint=0x2FFF), max_size=80))
def test_random_text_only_ever_raises_syntax_errors(text: str) -> None:
    try:
        parse_expression(text)
    except ExprSyntaxError as error:
        assert error.message and error.line >= 1 and error.column >= 1
        assert str(error)


@given(st.lists(_TOKENS, max_size=25).map(" ".join))
def test_random_token_soup_only_ever_raises_syntax_errors(text: str) -> None:
    for parse in (parse_expression, parse_template):
        try:
            parse(text)
        except ExprSyntaxError as error:
            assert error.message and error.line >= 1 and error.column >= 1
            assert str(error)
