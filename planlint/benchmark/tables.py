"""The benchmark frame's parser, from parse tables built ahead of time.

lark builds the LALR tables from `frame.lark`; planlint.benchmark.lalr runs them. The tables are
data, so they ship beside the grammar as JSON (`frame_tables.json`) with the grammar's checksum,
and a `planlint check` reads benchmark sentences without importing lark, which with its parser
took about 55 ms of a cold start. A table file that does not match the grammar, or that cannot
be read, is passed over and the tables are built from the grammar with lark as before, so a
stale file costs time, never a wrong reading. After changing the grammar, write the tables again:

    python -m planlint.benchmark.tables

JSON, not lark's own cache (a pickle), because a pickle can run code when it is read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from planlint.benchmark.lalr import Parser
from planlint.digests import sha256

HERE = Path(__file__).parent
GRAMMAR = HERE / "frame.lark"
TABLES = HERE / "frame_tables.json"
STARTS = ["statement", "date_only"]
OPTIONS: dict[str, Any] = {"propagate_positions": True}
FORMAT = 2


def parser() -> Parser:
    """The frame's parser: from the shipped tables when they match the grammar, else built with lark."""
    grammar = GRAMMAR.read_text(encoding="utf-8")
    tables = _tables_for(grammar)
    if tables is not None:
        try:
            return Parser(tables)
        except ValueError:  # a damaged file: build the tables instead
            pass
    return Parser(convert(build(grammar)))


def build(grammar: str) -> Any:
    """lark's own parser of `grammar`: what the tables are made from, and what they are tested against."""
    from lark import Lark  # here, not at the top: planlint reads sentences without loading lark

    return Lark(grammar, parser="lalr", lexer="contextual", start=STARTS, **OPTIONS)


def _tables_for(grammar: str) -> dict[str, Any] | None:
    try:
        stored = json.loads(TABLES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT \
            or stored.get("grammar_sha256") != _checksum(grammar) or not isinstance(stored.get("tables"), dict):
        return None
    return stored["tables"]


def tables_text(grammar: str) -> str:
    """The JSON that `parser()` reads for `grammar`."""
    import lark

    stored = {"format": FORMAT, "lark": lark.__version__, "grammar_sha256": _checksum(grammar),
              "tables": convert(build(grammar))}
    return json.dumps(stored, sort_keys=True, separators=(",", ":")) + "\n"


def _checksum(grammar: str) -> str:
    return sha256(grammar.encode("utf-8")).hexdigest()


def convert(built: Any, *, starts: list[str] = STARTS) -> dict[str, Any]:
    """The tables of lark's parser `built`, in the form planlint.benchmark.lalr.Parser runs (see
    lalr.check_tables). Raises ValueError for what the small parser does not do as lark does: lexer
    callbacks, `?rule`, `[optional]` placeholders, empty rules or tokens kept with `!`."""
    from lark.parsers.lalr_analysis import Shift

    if built.options.postlex is not None or built.lexer_conf.g_regex_flags or built.lexer_conf.use_bytes \
            or built.lexer_conf.re_module.__name__ != "re":
        raise ValueError("the frame's parser reads with lark's defaults only")
    table = built.parser.parser._parse_table
    contextual = built.parser.lexer
    if sorted(table.states) != list(range(len(table.states))):
        raise ValueError("lark's states are not numbered 0 to n - 1")
    lexers: list[list[str]] = []
    terminals: dict[str, str] = {}
    states: list[list[Any]] = []
    rules: list[Any] = []
    rule_index: dict[Any, int] = {}
    for number in range(len(table.states)):
        basic = contextual.lexers[number]
        scanner = basic.scanner  # lark builds a state's lexer, with its callbacks, on first use
        if basic.callback:
            raise ValueError(f"the lexer of state {number} has callbacks")
        order = [terminal.name for terminal in scanner.terminals]
        for terminal in scanner.terminals:
            terminals[terminal.name] = terminal.pattern.to_regexp()
        if order not in lexers:
            lexers.append(order)
        actions: dict[str, int] = {}
        for symbol, (action, argument) in table.states[number].items():
            if action is Shift:
                actions[symbol] = argument
            else:
                if argument not in rule_index:
                    rule_index[argument] = len(rules)
                    rules.append(_rule(argument, built.options.maybe_placeholders))
                actions[symbol] = -1 - rule_index[argument]
        states.append([lexers.index(order), actions])
    ignore = sorted(contextual.lexers[0].ignore_types)
    return {"terminals": terminals, "ignore": ignore, "lexers": lexers, "states": states, "rules": rules,
            "starts": {name: [table.start_states[name], table.end_states[name]] for name in starts}}


def _rule(rule: Any, placeholders: bool) -> list[Any]:
    """[origin, length, node name, kept children or None for all], as lark's tree builder makes the node."""
    options = rule.options
    if not rule.expansion:
        raise ValueError(f"rule {rule} is empty")
    if (options.expand1 and not rule.alias) or options.keep_all_tokens or (placeholders and options.empty_indices):
        raise ValueError(f"rule {rule} has options the frame's parser does not run")
    keep = [[index, int(not symbol.is_term and symbol.name.startswith("_"))]
            for index, symbol in enumerate(rule.expansion) if not (symbol.is_term and symbol.filter_out)]
    whole = len(keep) == len(rule.expansion) and not any(expand for _, expand in keep)
    data = rule.alias or options.template_source or rule.origin.name
    return [str(rule.origin.name), len(rule.expansion), str(data), None if whole else keep]


def main() -> int:
    TABLES.write_text(tables_text(GRAMMAR.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {TABLES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
