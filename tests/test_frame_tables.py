"""The benchmark frame's parse tables ship prebuilt: they match the grammar, and a stale file is passed over."""

from __future__ import annotations

import json

import pytest

from planlint.benchmark import reader, tables

SENTENCES = [
    "By September 15, an audit of daily lesson plans will show that 70% of teachers are incorporating "
    "language objectives into their daily lesson plans",
    "By the end of the first quarter, 85% of teachers will be posting learning targets",
    "Beginning August 15, all students have a 1:1 meeting with their advisor every week, as reported in an "
    "internal Advisory Tracker",
]


def test_the_shipped_tables_are_those_of_the_grammar() -> None:
    """After a change to frame.lark, run `python -m planlint.benchmark.tables`. (lark numbers the
    parser's states differently from one build to the next, so the file is compared by the grammar
    it was built from, and the parsers by what they read.)"""
    grammar = tables.GRAMMAR.read_text(encoding="utf-8")
    stored = json.loads(tables.TABLES.read_text(encoding="utf-8"))
    assert stored["grammar_sha256"] == tables._checksum(grammar)


def test_the_parser_is_loaded_from_the_tables_not_built(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables written for this lark (the shipped ones are, unless lark was upgraded since) are used as they are."""
    written = tmp_path / "frame_tables.json"
    written.write_text(tables.tables_text(tables.GRAMMAR.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(tables, "TABLES", written)

    def no_build(grammar: str) -> None:
        raise AssertionError("the parser was built from the grammar")

    monkeypatch.setattr(tables, "build", no_build)
    loaded = tables.parser()
    for sentence in SENTENCES:
        assert loaded.parse(sentence, start="statement") is not None


def test_loaded_and_built_parsers_read_sentences_alike() -> None:
    grammar = tables.GRAMMAR.read_text(encoding="utf-8")
    loaded, built = tables.parser(), tables.build(grammar)
    for sentence in SENTENCES:
        assert loaded.parse(sentence, start="statement") == built.parse(sentence, start="statement")
    assert loaded.parse("by spring 2027", start="date_only") == built.parse("by spring 2027", start="date_only")


@pytest.mark.parametrize("change", ["grammar", "lark", "junk", "format"])
def test_tables_that_do_not_fit_are_passed_over(change: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = json.loads(tables.TABLES.read_text(encoding="utf-8"))
    if change == "grammar":
        stored["grammar_sha256"] = "0" * 64
    elif change == "lark":
        stored["lark"] = "0.0.1"
    elif change == "format":
        stored["tables"] = {"data": {}, "memo": {}}
    stale = tmp_path / "frame_tables.json"
    stale.write_text("{not json" if change == "junk" else json.dumps(stored), encoding="utf-8")
    monkeypatch.setattr(tables, "TABLES", stale)
    built: list[str] = []
    real_build = tables.build
    monkeypatch.setattr(tables, "build", lambda grammar: built.append(grammar) or real_build(grammar))
    parser = tables.parser()
    assert built, "a table file that does not fit must not be used"
    assert parser.parse(SENTENCES[0], start="statement") is not None


def test_the_reader_reads_the_frame_with_the_loaded_tables() -> None:
    reading = reader.read_statement(SENTENCES[0], 2023)
    assert (reading.date, reading.percent, reading.who) == ("2022-09-15", 70, "teachers")
    assert reading.follows_frame
