"""A small LALR(1) parser that runs the benchmark frame's tables, as lark's LALR parser with its
contextual lexer and `propagate_positions` would run them, without lark.

lark builds the tables from `frame.lark` ahead of time (planlint.benchmark.tables). Importing lark
and loading its parser took a cold `planlint check` about 55 ms, and lark's general parser (tokens,
callbacks and positions for any grammar) did most of the work of reading a sentence. What this
runs, as lark does, is:

- the lexer works in the parser's state: it offers only the terminals the state can take, plus
  the ignored ones (whitespace), tried in lark's order (priority, then longest possible match,
  then longest pattern, then name); the first terminal that matches takes the text, as in lark's
  one alternation of them all, even where a later one would match more;
- a rule's node leaves out the terminals whose names start with "_" and puts the children of
  rules whose names start with "_" (lark's helpers for `x+` and `x*`) in place of them; an alias
  (`-> percent_share`) names the node;
- every node spans the text from its first token to its last, filtered tokens included.

Any text lark would refuse, this refuses (None), and for text it reads, the tree is lark's.
"""

from __future__ import annotations

import functools
import re
from typing import Any

try:  # the parser `re` compiles with, to see where a terminal's matches can start (see _ignored_first)
    from re import _parser as _regex_parser  # type: ignore[attr-defined]  # Python 3.11 and later
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _regex_parser  # type: ignore[no-redef]


# A token is a tuple (terminal, text, start, end) and a rule's node a list [name or alias, children, start,
# end], where start and end give the span of what was parsed that it covers: plain values, because a
# sentence makes dozens of them and an instance of a class costs about six times as much to make.
TYPE = DATA = 0
VALUE = CHILDREN = 1
START, END = 2, 3
Token = tuple[str, str, int, int]
Tree = list[Any]

_EOF: Token = ("$END", "", 0, 0)  # the end of the text, as lark names it
COMBINE_AFTER = 150  # tokens read in a state before its terminals are compiled into one alternation
_AFTER = "_after"  # a group name's suffix for a terminal read right after an ignored one


class Parser:
    """Parses text with tables in the form planlint.benchmark.tables writes (see `check_tables`).

    A state's terminals are first tried one by one, each compiled once for every state that offers
    it; a state met often has them compiled into one alternation, which tries them in the same
    order, in one call (as lark does), and reads the whitespace before a word in the same call as
    the word. Compiling the alternations of every state costs about 25 ms, more than a cold
    `planlint check` of one plan spends reading its sentences one terminal at a time, and a batch
    of plans soon earns them back."""

    def __init__(self, tables: dict[str, Any]) -> None:
        check_tables(tables)
        self._patterns: dict[str, str] = tables["terminals"]
        self._ignore = frozenset(tables["ignore"])
        self._lexers: list[list[str]] = tables["lexers"]
        self._state_lexer = [lexer for lexer, _ in tables["states"]]
        self._actions: list[dict[str, int]] = [actions for _, actions in tables["states"]]
        self._starts = {name: tuple(pair) for name, pair in tables["starts"].items()}
        # by action: the reduction by rule n is action -1 - n, and so item -1 - n of the list reversed
        self._reductions = [_reduction(origin, size, data, keep) for origin, size, data, keep in tables["rules"]][::-1]
        self._compiled: dict[str, Any] = {}  # each terminal on its own
        self._uses = [0] * len(self._lexers)
        # the terminal a group of a scanner's pattern names: itself, or the same name with _AFTER for one
        # read right after an ignored terminal, in the same call (see _alternation)
        self._kinds = {name: name for name in self._patterns}
        self._kinds.update({name + _AFTER: name for name in self._patterns})
        self._ignored = frozenset(group for group, name in self._kinds.items() if name in self._ignore)
        # what reads a token in each state: (text, pos) -> a match whose lastgroup names the terminal
        self._scanners: list[Any] = [functools.partial(self._one_by_one, lexer) for lexer in self._state_lexer]
        # by state: the terminal of the words of `x+` read there one after another (see _loops), and the name of
        # the node that takes them; None elsewhere
        loops = _loops(tables)
        self._loop_words = [loops[state][0] if state in loops else None for state in range(len(self._state_lexer))]
        self._loop_nodes = [loops[state][1] if state in loops else None for state in range(len(self._state_lexer))]

    def parse(self, text: str, start: str) -> Tree | None:
        """The tree of `text` read from the rule `start`, or None where lark would raise an error."""
        state, end_state = self._starts[start]
        actions, reductions, scanners, kinds, ignored = (self._actions, self._reductions, self._scanners, self._kinds,
                                                         self._ignored)
        loop_words, loop_nodes = self._loop_words, self._loop_nodes
        state_stack, value_stack = [state], []
        pos, length = 0, len(text)
        while True:
            if pos < length:
                found = scanners[state](text, pos)
                if found is None:
                    return None
                group = found.lastgroup
                if group in ignored:  # at the end of the text, or before what no terminal matches
                    pos = found.end()
                    continue
                kind = kinds[group]
                start_pos, pos = found.span(group)
                token = (kind, text[start_pos:pos], start_pos, pos)
                if loop_words[state] == kind:  # another word of a run: see _loops
                    node, last = value_stack[-2], value_stack[-1]
                    node[DATA] = loop_nodes[state]
                    node[CHILDREN].append(last)
                    node[END] = last[END]
                    value_stack[-1] = token
                    continue
            else:
                token, kind = _EOF, "$END"
            while True:
                try:
                    action = actions[state][kind]
                except KeyError:
                    return None
                if action >= 0:  # a shift; $END is never shifted
                    state = action
                    state_stack.append(state)
                    value_stack.append(token)
                    break
                origin, size, data, keep, grows = reductions[action]
                if grows:  # `_x: _x y`, lark's helper for `y+`: the node of its first child takes y, as lark would
                    node = value_stack[-size]
                    node[DATA] = data
                    children = node[CHILDREN]
                    for index in keep:
                        children.append(value_stack[index])
                    node[END] = value_stack[-1][END]
                    del state_stack[-size:], value_stack[1 - size:]
                else:
                    raw = value_stack[-size:]
                    del state_stack[-size:], value_stack[-size:]
                    if keep is None:
                        children = raw
                    else:
                        children = []
                        for index, expand in keep:
                            if expand:
                                children.extend(raw[index][CHILDREN])
                            else:
                                children.append(raw[index])
                    node = [data, children, raw[0][START], raw[-1][END]]
                    value_stack.append(node)
                state = actions[state_stack[-1]][origin]  # a goto: the tables have one for every reduction
                state_stack.append(state)
                if token is _EOF and state == end_state:
                    return node

    def _one_by_one(self, index: int, text: str, pos: int) -> Any:
        """The match of the first terminal of lexer `index`, in lark's order, that matches at `pos`."""
        self._uses[index] += 1
        if self._uses[index] > COMBINE_AFTER:
            match = re.compile(self._alternation(self._lexers[index])).match
            for state, lexer in enumerate(self._state_lexer):
                if lexer == index:
                    self._scanners[state] = match
            return match(text, pos)
        for name in self._lexers[index]:
            match = self._compiled.get(name)
            if match is None:
                match = self._compiled[name] = re.compile(f"(?P<{name}>{self._patterns[name]})").match
            found = match(text, pos)
            if found is not None:
                return found
        return None

    def _alternation(self, names: list[str]) -> str:
        """One pattern that tries `names` in order, as lark does, and reads an ignored terminal (whitespace) and
        the token after it in the same call: a sentence takes half the calls it would.

        Where the one ignored terminal can be tried first (see `_ignored_first`), it is an optional start, once
        more among the others: after it the first that matches takes the text, and where none does, the engine
        goes back to the ignored terminal alone, as a second call would find. Else, after an ignored terminal
        every terminal is tried again, where an empty alternative lets the ignored one match just what it would
        on its own (the engine runs that faster than `?`)."""
        names = _ignored_first(names, self._patterns, self._ignore)
        ignored = [name for name in names if name in self._ignore]
        if ignored == names[:1]:
            each = "|".join(f"(?P<{name}>{self._patterns[name]})" for name in names)
            return f"(?:{self._patterns[names[0]]})?(?:{each})"
        again = "|".join(f"(?P<{name}{_AFTER}>{self._patterns[name]})" for name in names)
        return "|".join(f"(?P<{name}>{self._patterns[name]})" + (f"(?:{again}|)" if name in self._ignore else "")
                        for name in names)


def _ignored_first(names: list[str], patterns: dict[str, str], ignore: frozenset[str]) -> list[str]:
    """`names` with each ignored terminal moved to the front where no terminal before it can match where it
    matches. The first terminal in lark's order that matches takes the text, and two terminals that never match
    at the same place take the same text in either order. Most tokens are read from the space before them, where
    each terminal before the space's was tried and failed; with the space's tried first, a token costs a third
    less. A terminal whose start cannot be told (see `_may_start`) keeps the ignored ones after it."""
    moved = []
    for at, name in enumerate(names):
        if name in ignore:
            first = _first_characters(patterns[name])
            if first is not None and not any(_may_start(patterns[other], first) for other in names[:at]):
                moved.append(name)
    return moved + [name for name in names if name not in moved]


@functools.lru_cache(maxsize=256)
def _first_characters(pattern: str) -> str | None:
    """The characters every match of `pattern` starts with, where they are few and written out (as in a
    pattern of spaces), else None."""
    try:
        parsed = _regex_parser.parse(pattern)
    except re.error:
        return None
    return _firsts(parsed, parsed.state.flags)


def _firsts(items: Any, flags: int) -> str | None:
    for op, value in items[:1]:
        if op is _regex_parser.SUBPATTERN:
            return _firsts(value[3], (flags | value[1]) & ~value[2])
        if op in _REPEATS and value[0] >= 1:
            return _firsts(value[2], flags)
        if flags & re.IGNORECASE:
            return None
        if op is _regex_parser.LITERAL:
            return chr(value)
        if op is _regex_parser.IN and all(kind is _regex_parser.LITERAL for kind, _ in value):
            return "".join(chr(code) for _, code in value)
    return None


@functools.lru_cache(maxsize=1024)
def _may_start(pattern: str, characters: str) -> bool:
    """Whether `pattern` may match at a place where one of `characters` comes next, an empty match included:
    False only where the pattern says so for certain. Lookarounds and word boundaries are passed over (they only
    take matches away), and a character or class is tried on each of `characters` as `re` itself reads it."""
    try:
        parsed = _regex_parser.parse(pattern)
    except re.error:
        return True
    return _starts(parsed, parsed.state.flags, characters) is not False


def _starts(items: Any, flags: int, characters: str) -> bool | None:
    """Whether a match of `items` may start with one of `characters` (True), cannot (False), or can be empty
    where none of them starts it (None)."""
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        found: bool | None
        if op is _regex_parser.SUBPATTERN:
            found = _starts(value[3], (flags | value[1]) & ~value[2], characters)
        elif op is _ATOMIC:
            found = _starts(value, flags, characters)
        elif op is _regex_parser.BRANCH:
            each = [_starts(branch, flags, characters) for branch in value[1]]
            found = True if True in each else None if None in each else False
        elif op in _REPEATS:
            found = _starts(value[2], flags, characters)
            if found is False and value[0] == 0:
                found = None
        elif op is _regex_parser.LITERAL:  # matching a character is symmetric, case-insensitive or not
            found = _any_of(characters, flags).fullmatch(chr(value)) is not None
        elif op in _ONE_CHARACTER:
            one = _one_character(op, value, flags)
            found = one is None or any(one.fullmatch(character) for character in characters)
        else:  # a back reference, a conditional: anything may follow
            return True
        if found is not None:
            return found
    return None


def _any_of(characters: str, flags: int) -> Any:
    return re.compile(f"[{''.join(map(re.escape, characters))}]", flags & _FLAGS)


def _one_character(op: Any, value: Any, flags: int) -> Any:
    """A compiled pattern of one character other than one, any character or a class, as parsed; None for what it
    cannot write."""
    if op is _regex_parser.NOT_LITERAL:
        text = f"[^{re.escape(chr(value))}]"
    elif op is _regex_parser.ANY:
        text = "."
    else:
        parts = []
        for kind, item in value:
            if kind is _regex_parser.NEGATE:
                parts.append("^")
            elif kind is _regex_parser.LITERAL:
                parts.append(re.escape(chr(item)))
            elif kind is _regex_parser.RANGE:
                parts.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
            elif kind is _regex_parser.CATEGORY and item in _CATEGORIES:
                parts.append(_CATEGORIES[item])
            else:
                return None
        text = f"[{''.join(parts)}]"
    return re.compile(text, flags & _FLAGS)


_REPEATS = {_regex_parser.MAX_REPEAT, _regex_parser.MIN_REPEAT, getattr(_regex_parser, "POSSESSIVE_REPEAT", None)} - {None}
_ATOMIC = getattr(_regex_parser, "ATOMIC_GROUP", None)  # Python 3.11 and later
_ZERO_WIDTH = {_regex_parser.AT, _regex_parser.ASSERT, _regex_parser.ASSERT_NOT}
_ONE_CHARACTER = {_regex_parser.NOT_LITERAL, _regex_parser.ANY, _regex_parser.IN}
_FLAGS = re.IGNORECASE | re.ASCII | re.DOTALL  # the flags that change what one character matches
_CATEGORIES = {_regex_parser.CATEGORY_DIGIT: r"\d", _regex_parser.CATEGORY_NOT_DIGIT: r"\D",
               _regex_parser.CATEGORY_SPACE: r"\s", _regex_parser.CATEGORY_NOT_SPACE: r"\S",
               _regex_parser.CATEGORY_WORD: r"\w", _regex_parser.CATEGORY_NOT_WORD: r"\W"}


def _loops(tables: dict[str, Any]) -> dict[int, tuple[str, str]]:
    """{state: (terminal, node name)} for each state that the words of `x+` are shifted to, where another word
    is read as the one before: the state reduces by a rule `_x: _x word` that grows its first child's node (see
    `_grows`) whatever comes next, the goto goes back to the state the word came from, and it shifts the next
    word to this state again. So another word only adds the one before it to the node and takes its place."""
    states, rules = tables["states"], tables["rules"]
    entered: dict[int, set[str]] = {}  # the symbols a state is reached by (one, in an LR automaton)
    came_from: dict[int, set[tuple[int, str]]] = {}  # the states and terminals a state is shifted to from
    for number, (_, actions) in enumerate(states):
        for symbol, action in actions.items():
            if action >= 0:
                entered.setdefault(action, set()).add(symbol)
                came_from.setdefault(action, set()).add((number, symbol))
    loops = {}
    for number, (_, actions) in enumerate(states):
        reductions = set(actions.values())
        if len(reductions) != 1 or min(reductions) >= 0 or len(entered.get(number, ())) != 1:
            continue
        origin, size, data, keep = rules[-1 - min(reductions)]
        (word,) = entered[number]
        if size == 2 and keep == [[0, 1], [1, 0]] and _grows(origin, size, data, keep) and word in actions \
                and all(entered.get(before) == {origin} for before, _ in came_from[number]):
            loops[number] = (word, data)
    return loops


def _reduction(origin: str, size: int, data: str, keep: list[list[int]] | None) -> tuple[Any, ...]:
    """(origin, size, node name, kept children, grows) for a rule, as `parse` reduces by it. Where the rule
    grows its first child's node (see `_grows`), the kept children are the others, by their place from the
    top of the stack; else (index, whether its children are put in its place), or None for all of them."""
    grows = _grows(origin, size, data, keep)
    if grows:
        return origin, size, data, tuple(index - size for index, _ in keep[1:]), True  # type: ignore[index]
    return origin, size, data, None if keep is None else tuple((index, bool(expand)) for index, expand in keep), False


def _grows(origin: str, size: int, data: str, keep: list[list[int]] | None) -> bool:
    """Whether a rule is a helper (its node is always put in its parent's place, so never seen) whose first
    child's node is put in place too, and no other: that node can take the other children and be the rule's
    node, instead of a new node copying its children (lark's `x+` would otherwise copy each word again)."""
    return origin.startswith("_") and data == origin and size > 1 and keep is not None and keep[0] == [0, 1] \
        and all(not expand for _, expand in keep[1:])


def check_tables(tables: Any) -> None:
    """Raise ValueError unless `tables` has the shape the parser runs:

    terminals  {name: regular expression}          ignore  [terminal names skipped between tokens]
    lexers     [[terminal names, in lark's order]]  states  [[lexer index, {symbol: action}]], by state number;
               an action >= 0 shifts to that state, -1 - n reduces by rule n
    starts     {start rule: [first state, state after the start rule]}
    rules      [[origin, length, node name, kept children or null for all]]; a kept child is
               [index, 1 when its own children are put in its place]"""
    try:
        terminals, lexers, states, rules = tables["terminals"], tables["lexers"], tables["states"], tables["rules"]
        ok = (isinstance(terminals, dict) and all(isinstance(v, str) for v in terminals.values())
              and all(name in terminals for name in tables["ignore"])
              and not any(name.endswith(_AFTER) for name in terminals)
              and all(isinstance(lexer, list) and all(name in terminals for name in lexer) for lexer in lexers)
              and all(0 <= lexer < len(lexers) and isinstance(actions, dict)
                      and all(isinstance(a, int) and -len(rules) <= a < len(states) for a in actions.values())
                      for lexer, actions in states)
              and all(0 <= first < len(states) and 0 <= last < len(states) for first, last in tables["starts"].values())
              and all(isinstance(origin, str) and isinstance(data, str) and isinstance(size, int) and size > 0
                      and (keep is None or all(0 <= index < size for index, _ in keep))
                      for origin, size, data, keep in rules))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"parse tables of the wrong shape: {error}") from error
    if not ok:
        raise ValueError("parse tables of the wrong shape")
