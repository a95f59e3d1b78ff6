"""The benchmark frame's parse tables ship prebuilt: they match the grammar, and a stale file is passed over."""

from __future__ import annotations

import json

import pytest

from planlint.benchmark import lalr, reader, tables

SENTENCES = [
    "By September 15, an audit of daily lesson plans will show that 70% of teachers are incorporating "
    "language objectives into their daily lesson plans",
    "By the end of the first quarter, 85% of teachers will be posting learning targets",
    "Beginning August 15, all students have a 1:1 meeting with their advisor every week, as reported in an "
    "internal Advisory Tracker",
]


def shape(node):
    """A tree of planlint's parser as plain values, to compare two parsers' trees."""
    if isinstance(node, list):  # a node: [name, children, start, end]
        return (node[lalr.DATA], node[lalr.START], node[lalr.END], [shape(child) for child in node[lalr.CHILDREN]])
    return node  # a token: (terminal, text, start, end)


def test_the_shipped_tables_are_those_of_the_grammar() -> None:
    """After a change to frame.lark, run `python -m planlint.benchmark.tables`. (lark numbers the
    parser's states differently from one build to the next, so the file is compared by the grammar
    it was built from, and the parsers by what they read.)"""
    grammar = tables.GRAMMAR.read_text(encoding="utf-8")
    stored = json.loads(tables.TABLES.read_text(encoding="utf-8"))
    assert stored["grammar_sha256"] == tables._checksum(grammar)
    assert stored["format"] == tables.FORMAT


def test_the_parser_is_loaded_from_the_tables_not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(grammar: str) -> None:
        raise AssertionError("the parser was built from the grammar")

    monkeypatch.setattr(tables, "build", no_build)
    loaded = tables.parser()
    for sentence in SENTENCES:
        assert loaded.parse(sentence, "statement") is not None


def test_loaded_and_built_tables_read_sentences_alike() -> None:
    grammar = tables.GRAMMAR.read_text(encoding="utf-8")
    loaded, built = tables.parser(), lalr.Parser(tables.convert(tables.build(grammar)))
    for sentence in SENTENCES:
        assert shape(loaded.parse(sentence, "statement")) == shape(built.parse(sentence, "statement"))
    assert shape(loaded.parse("by spring 2027", "date_only")) == shape(built.parse("by spring 2027", "date_only"))


def test_written_tables_are_read_back_as_written(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = tmp_path / "frame_tables.json"
    written.write_text(tables.tables_text(tables.GRAMMAR.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(tables, "TABLES", written)
    monkeypatch.setattr(tables, "build", lambda grammar: pytest.fail("the parser was built from the grammar"))
    tree = tables.parser().parse(SENTENCES[2], "statement")
    assert tree[lalr.CHILDREN][1][lalr.CHILDREN][-1][lalr.DATA] == "tail"


@pytest.mark.parametrize("change", ["grammar", "junk", "format", "shape", "state"])
def test_tables_that_do_not_fit_are_passed_over(change: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = json.loads(tables.TABLES.read_text(encoding="utf-8"))
    if change == "grammar":
        stored["grammar_sha256"] = "0" * 64
    elif change == "format":
        stored["format"] = 1
    elif change == "shape":
        stored["tables"] = {"data": {}, "memo": {}}  # the format lark's own serialization had
    elif change == "state":
        stored["tables"]["states"][0][1]["LEAD"] = len(stored["tables"]["states"])  # a shift to no state
    stale = tmp_path / "frame_tables.json"
    stale.write_text("{not json" if change == "junk" else json.dumps(stored), encoding="utf-8")
    monkeypatch.setattr(tables, "TABLES", stale)
    built: list[str] = []
    real_build = tables.build
    monkeypatch.setattr(tables, "build", lambda grammar: built.append(grammar) or real_build(grammar))
    parser = tables.parser()
    assert built, "a table file that does not fit must not be used"
    assert parser.parse(SENTENCES[0], "statement") is not None


@pytest.mark.parametrize("grammar", [
    "start: A b\n?b: B | B B\nA: \"a\"\nB: \"b\"\n",  # ?rule: a node with one child is replaced by the child
    "start: A [B]\nA: \"a\"\nB: \"b\"\n",  # [optional]: None where it is missing
    "start: A b\nb: \nA: \"a\"\n",  # an empty rule: lark gives its node no span
], ids=["expand one", "placeholder", "empty rule"])
def test_grammars_the_parser_would_read_otherwise_than_lark_are_refused(grammar: str) -> None:
    from lark import Lark

    built = Lark(grammar, parser="lalr", lexer="contextual", start="start", propagate_positions=True)
    with pytest.raises(ValueError):
        tables.convert(built, starts=["start"])


def test_the_reader_reads_the_frame_with_the_loaded_tables() -> None:
    reading = reader.read_statement(SENTENCES[0], 2023)
    assert (reading.date, reading.percent, reading.who) == ("2022-09-15", 70, "teachers")
    assert reading.follows_frame
