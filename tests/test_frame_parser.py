"""planlint's own LALR parser reads benchmark sentences exactly as lark's parser of frame.lark does.

Compared on every string of the example and test plans (benchmark sentences among them), the
sentences of a generated batch of plans, and variants of them made to be hard: words dropped or
swapped, stray punctuation, odd dates, repeated to great length, other cases and scripts. Both
the trees (each node's name, children and span of text, for both start rules) and what the reader
makes of them (every field of a Reading) must be the same.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib.util
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from planlint.benchmark import lalr, reader, tables

ROOT = Path(__file__).resolve().parent.parent
STARTS = ("statement", "date_only")
PUNCTUATION = [",", ";", ".", "!", "?", ":", "-", "%", "'", "\u2019", "(", ")", ",,", " , ", "\t"]
WORDS = ["will", "show", "that", "of", "are", "is", "be", "successfully", "as reported in", "according to",
         "the end of", "by", "Beginning", "all", "every", "each", "at least", "75%", "100 percent", "5.5 per cent",
         "2025-26", "2025-27", "Q3", "s2", "first semester", "fall", "winter break", "Sept.", "31st", "who are",
         "which is", "that have", "\u00e9l\u00e8ves", "caf\u00e9", "\u2014", "\u00a0", "\u200b", "\uff05",
         "\u0661\u0662", "\U0001f600", "\n"]
DATES = ["September 15", "Sept. 1st", "the 1st of May 2026", "May 2026", "2026-05-31", "5/31", "5/31/2026",
         "the end of the first quarter", "the close of the school year", "end of 2025-26", "the end of Q2",
         "spring", "Spring 2027", "the end of March", "June 30, 2026", "December", "the end of the academic year",
         "February 29", "April 31", "the 31st of June", "2026-13-01", "winter break", "next year", "13/45"]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in _strings(key) + _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def plan_strings() -> list[str]:
    """Every string of the example and test plans that YAML reads."""
    found: set[str] = set()
    for path in sorted([*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")]):
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the broken plans of the examples and tests
        found.update(text for document in documents for text in _strings(document) if len(text) < 3000)
    return sorted(found)


def strings_in_tests() -> list[str]:
    """The strings written in the tests, with the sentences of the reader's own tests among them."""
    found: set[str] = set()
    for path in sorted(ROOT.glob("tests/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value:
                found.add(node.value)
    return sorted(found)


def corpus_sentences(count: int) -> list[str]:
    """The benchmark sentences of the first `count` plans of the bench corpus."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = generate  # type: ignore[union-attr]  # its dataclasses look their module up
    spec.loader.exec_module(generate)  # type: ignore[union-attr]
    found: set[str] = set()
    for number in range(1, count + 1):
        plan = yaml.safe_load(generate.one_plan(7, number)[0])
        found.update(text for text in _strings(plan) if text.startswith("By "))
    return sorted(found)


def variant(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    kind = rng.randrange(9)
    if kind == 0 and len(words) > 1:
        del words[rng.randrange(len(words))]
    elif kind == 1 and len(words) > 2:
        at = rng.randrange(len(words) - 1)
        words[at], words[at + 1] = words[at + 1], words[at]
    elif kind == 2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(PUNCTUATION))
    elif kind == 3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
    elif kind == 4:
        at = rng.randrange(len(words))
        words[at] += rng.choice(PUNCTUATION)
    elif kind == 5:
        return f"By {rng.choice(DATES)}, {' '.join(words[2:])}"
    elif kind == 6:
        return (text + " ") * rng.randrange(2, 40)
    elif kind == 7:
        return text.upper() if rng.random() < 0.5 else text.lower()
    else:
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(WORDS) + text[at:]
    return " ".join(words)


@functools.cache
def sentences() -> tuple[str, ...]:
    plans, written, corpus = plan_strings(), strings_in_tests(), corpus_sentences(40)
    rng = random.Random(2026)
    seeds = [text for text in plans + written if 10 < len(text) < 400] + corpus
    variants = set()
    for _ in range(3000):
        text = rng.choice(seeds)
        for _ in range(rng.randrange(1, 4)):
            text = variant(text, rng)
        variants.add(text)
    return tuple(sorted({*plans, *written, *corpus, *variants}))


@functools.cache
def lark_parser() -> Any:
    return tables.build(tables.GRAMMAR.read_text(encoding="utf-8"))


@functools.cache
def lark_parse(text: str, start: str) -> Any:
    from lark.exceptions import LarkError

    try:
        return lark_parser().parse(text, start=start)
    except LarkError:
        return None


def shape(node: Any) -> Any:
    """A node of either parser as plain values: (name, start, end, children) or (terminal, text, start, end)."""
    from lark import Token, Tree

    if node is None:
        return None
    if isinstance(node, Tree):
        return (str(node.data), node.meta.start_pos, node.meta.end_pos, tuple(shape(child) for child in node.children))
    if isinstance(node, Token):
        return (node.type, str(node), node.start_pos, node.end_pos)
    if isinstance(node, list):  # planlint's node: [name, children, start, end]
        return (node[lalr.DATA], node[lalr.START], node[lalr.END], tuple(shape(child) for child in node[lalr.CHILDREN]))
    assert isinstance(node, tuple) and len(node) == 4  # planlint's token: (terminal, text, start, end)
    return node


def as_ours(node: Any) -> Any:
    """lark's tree of a text in the form planlint's parser gives it."""
    from lark import Tree

    if node is None:
        return None
    if isinstance(node, Tree):
        return [str(node.data), [as_ours(child) for child in node.children], node.meta.start_pos, node.meta.end_pos]
    return (node.type, str(node), node.start_pos, node.end_pos)


class LarkReading:
    """Stands in for the reader's parser: reads with lark, and keeps every text the reader asked about."""

    def __init__(self) -> None:
        self.asked: set[tuple[str, str]] = set()

    def parse(self, text: str, start: str) -> Any:
        self.asked.add((text, start))
        return as_ours(lark_parse(text, start))


def readings(texts: tuple[str, ...]) -> list[Any]:
    reader.clear_cache()
    out = []
    for text in texts:
        for period in (None, 2026):
            try:
                out.append(dataclasses.astuple(reader.read_statement(text, period)))
            except Exception as error:  # noqa: BLE001 - a sentence the reader fails on must fail the same way
                out.append((type(error).__name__, str(error)))
    reader.clear_cache()
    return out


def test_the_sentences_compared_are_many_and_varied() -> None:
    texts = sentences()
    assert len(texts) > 5000
    assert sum(reader.read_statement(text).follows_frame for text in texts) > 400
    assert any(len(text) > reader.MAX_LENGTH for text in texts)
    assert any(not text.isascii() for text in texts)


def test_every_reading_is_the_one_lark_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = sentences()
    ours = readings(texts)
    with_lark = LarkReading()
    monkeypatch.setattr(reader, "_parser", lambda: with_lark)
    theirs = readings(texts)
    differ = [(text, mine, lark) for text, mine, lark in zip([t for t in texts for _ in (1, 2)], ours, theirs)
              if mine != lark]
    assert differ == []
    assert len(with_lark.asked) > len(texts)  # the dates searched for in sentences outside the frame


@pytest.mark.parametrize("combine_after", [0, 10**9], ids=["alternation", "one by one"])
def test_every_tree_is_the_one_lark_gives(combine_after: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """For both start rules, on each text and on every piece of one the reader parses, with a state's
    terminals tried as one alternation and one by one."""
    monkeypatch.setattr(lalr, "COMBINE_AFTER", combine_after)
    ours = tables.parser()
    asked = LarkReading()
    monkeypatch.setattr(reader, "_parser", lambda: asked)
    readings(sentences())
    cases = asked.asked | {(text, start) for text in sentences() for start in STARTS}
    differ = [(text, start) for text, start in sorted(cases)
              if shape(ours.parse(text, start)) != shape(lark_parse(text, start))]
    assert differ == []
    assert sum(ours.parse(text, "date_only") is not None for text, _ in cases) > 100


def test_a_tree_names_its_nodes_and_spans_as_lark_does() -> None:
    """Aliases name the nodes, "_" terminals are left out but still count in a node's span, and the
    helpers of `x+` give their children to the rule."""
    text = "By the end of the school year, the walkthrough log shows 80% of grade 3 teachers are planning"
    tree = tables.parser().parse(text, "statement")
    name, children, start, end = lalr.DATA, lalr.CHILDREN, lalr.START, lalr.END
    lead, body = tree[children]
    date = lead[children][1]
    assert (date[name], date[children][0][name], date[children][0][children]) == ("end_of", "school_year_end", [])
    assert text[date[start]:date[end]] == "the end of the school year"
    assert [child[name] for child in body[children]] == ["shown", "percent_share", "who", "verb", "action"]
    who = body[children][2]
    assert ([token[lalr.VALUE] for token in who[children]], text[who[start]:who[end]]) == (
        ["grade", "3", "teachers"], "grade 3 teachers")
    assert shape(tree) == shape(lark_parse(text, "statement"))


def test_a_check_of_a_plan_in_the_frame_does_not_import_lark(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text((ROOT / "examples" / "strong-parish-2026.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    probe = ("import runpy, sys\n"
             "sys.argv = ['planlint', 'check', '--no-cache', '-j', '1', sys.argv[1]]\n"
             "try:\n    runpy.run_module('planlint', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print('read:', 'planlint.benchmark.lalr' in sys.modules, 'lark:', 'lark' in sys.modules)\n")
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-c", probe, str(plan)], capture_output=True, env=env, check=True)  # the rule cache
    done = subprocess.run([sys.executable, "-c", probe, str(plan)], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "read: True lark: False"
