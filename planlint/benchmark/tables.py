"""The benchmark frame's parser, from parse tables built ahead of time.

Building the LALR tables from `frame.lark` takes lark about 100 ms, the largest part of a cold
`planlint check`. The tables are data, so they ship beside the grammar as JSON
(`frame_tables.json`), with the grammar's checksum and the lark version that built them. A
table file that does not match the grammar, or that this lark cannot read, is passed over and
the parser is built from the grammar as before, so a stale file costs time, never a wrong
reading. After changing the grammar, write the tables again:

    python -m planlint.benchmark.tables

JSON, not lark's own cache (a pickle), because a pickle can run code when it is read.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
GRAMMAR = HERE / "frame.lark"
TABLES = HERE / "frame_tables.json"
STARTS = ["statement", "date_only"]
OPTIONS: dict[str, Any] = {"propagate_positions": True}
FORMAT = 1


def parser() -> Any:
    """The frame's LALR parser: from the shipped tables when they match the grammar, else built."""
    from lark import Lark  # here, not at the top: planlint starts without loading lark

    grammar = GRAMMAR.read_text(encoding="utf-8")
    tables = _tables_for(grammar)
    if tables is not None:
        try:
            return Lark._load_from_dict(tables["data"], tables["memo"], **OPTIONS)
        except Exception:  # noqa: BLE001 - a lark whose format differs: build the tables instead
            pass
    return build(grammar)


def build(grammar: str) -> Any:
    from lark import Lark

    return Lark(grammar, parser="lalr", lexer="contextual", start=STARTS, **OPTIONS)


def _tables_for(grammar: str) -> dict[str, Any] | None:
    import lark

    try:
        stored = json.loads(TABLES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("lark") != lark.__version__ \
            or stored.get("grammar_sha256") != _checksum(grammar):
        return None
    return _decode(stored.get("tables"))


def tables_text(grammar: str) -> str:
    """The JSON that `parser()` reads for `grammar`."""
    import lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = build(grammar).memo_serialize([TerminalDef, Rule])
    stored = {"format": FORMAT, "lark": lark.__version__, "grammar_sha256": _checksum(grammar),
              "tables": _encode({"data": data, "memo": memo})}
    return json.dumps(stored, sort_keys=True, separators=(",", ":")) + "\n"


def _checksum(grammar: str) -> str:
    return hashlib.sha256(grammar.encode("utf-8")).hexdigest()


# lark's tables hold tuples and mappings keyed by numbers, which JSON has not: each is written as
# an object with one marked key.
def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("@") for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {"@items": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"@tuple": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"lark's tables hold a {type(value).__name__}, which this format does not write")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "@items" in value:
            return {_decode(key): _decode(item) for key, item in value["@items"]}
        if "@tuple" in value:
            return tuple(_decode(item) for item in value["@tuple"])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def main() -> int:
    TABLES.write_text(tables_text(GRAMMAR.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {TABLES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
