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

    def parse(self, text: str, start: str) -> Tree | None:
        """The tree of `text` read from the rule `start`, or None where lark would raise an error."""
        state, end_state = self._starts[start]
        actions, reductions, scanners, kinds, ignored = (self._actions, self._reductions, self._scanners, self._kinds,
                                                         self._ignored)
        state_stack, value_stack = [state], []
        pos, length = 0, len(text)
        while True:
            token, kind = _EOF, "$END"
            while pos < length:
                found = scanners[state](text, pos)
                if found is None:
                    return None
                group = found.lastgroup
                if group in ignored:
                    pos = found.end()
                    continue
                kind = kinds[group]
                start_pos, pos = found.span(group)
                token = (kind, text[start_pos:pos], start_pos, pos)
                break
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
        """One pattern that tries `names` in order, as lark does, and after an ignored terminal (whitespace)
        tries them all again where it ends, so that a word and the space before it take one call. The
        second try can match nothing (an empty alternative, which the engine runs faster than `?`), so
        the ignored terminal matches just what it would on its own, and the token after it is the first
        that matches there, as a second call would find: a sentence takes half the calls it did."""
        again = "|".join(f"(?P<{name}{_AFTER}>{self._patterns[name]})" for name in names)
        return "|".join(f"(?P<{name}>{self._patterns[name]})" + (f"(?:{again}|)" if name in self._ignore else "")
                        for name in names)


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
