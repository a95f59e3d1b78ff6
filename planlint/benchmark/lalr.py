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


class Token:
    """A terminal as read: its name, the text and where the text is in what was parsed."""

    __slots__ = ("type", "value", "start_pos", "end_pos")

    def __init__(self, type_: str, value: str, start_pos: int, end_pos: int) -> None:
        self.type, self.value, self.start_pos, self.end_pos = type_, value, start_pos, end_pos

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"


class Tree:
    """A rule's node: its name (or alias), its children, and the span of text it covers."""

    __slots__ = ("data", "children", "start_pos", "end_pos")

    def __init__(self, data: str, children: list[Any], start_pos: int, end_pos: int) -> None:
        self.data, self.children, self.start_pos, self.end_pos = data, children, start_pos, end_pos

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


_END = Token("$END", "", 0, 0)
COMBINE_AFTER = 150  # tokens read in a state before its terminals are compiled into one alternation


class Parser:
    """Parses text with tables in the form planlint.benchmark.tables writes (see `check_tables`).

    A state's terminals are first tried one by one, each compiled once for every state that offers
    it; a state met often has them compiled into one alternation, which tries them in the same
    order, in one call (as lark does). Compiling the alternations of every state costs about 20 ms,
    more than a cold `planlint check` of one plan spends reading its sentences one terminal at a
    time, and a batch of plans soon earns them back."""

    def __init__(self, tables: dict[str, Any]) -> None:
        check_tables(tables)
        self._patterns: dict[str, str] = tables["terminals"]
        self._ignore = frozenset(tables["ignore"])
        self._lexers: list[list[str]] = tables["lexers"]
        self._state_lexer = [lexer for lexer, _ in tables["states"]]
        self._actions: list[dict[str, int]] = [actions for _, actions in tables["states"]]
        self._starts = {name: tuple(pair) for name, pair in tables["starts"].items()}
        self._rules = [(origin, size, data, None if keep is None else [(index, bool(expand)) for index, expand in keep],
                        _grows(origin, size, data, keep))
                       for origin, size, data, keep in tables["rules"]]
        self._compiled: dict[str, Any] = {}  # each terminal on its own
        self._uses = [0] * len(self._lexers)
        # what reads a token in each lexer's state: (text, pos) -> a match whose lastgroup names the terminal
        self._scanners: list[Any] = [functools.partial(self._one_by_one, index) for index in range(len(self._lexers))]

    def parse(self, text: str, start: str) -> Tree | None:
        """The tree of `text` read from the rule `start`, or None where lark would raise an error."""
        state, end_state = self._starts[start]
        actions, rules, ignore, scanners, state_lexer = (self._actions, self._rules, self._ignore, self._scanners,
                                                         self._state_lexer)
        state_stack, value_stack = [state], []
        pos, length = 0, len(text)
        while True:
            token, kind = _END, "$END"
            while pos < length:
                found = scanners[state_lexer[state]](text, pos)
                if found is None:
                    return None
                kind, end = found.lastgroup, found.end()
                if kind in ignore:
                    kind = "$END"
                    pos = end
                    continue
                token = Token(kind, text[pos:end], pos, end)
                pos = end
                break
            while True:
                action = actions[state].get(kind)
                if action is None:
                    return None
                if action >= 0:  # a shift; $END is never shifted
                    state = action
                    state_stack.append(state)
                    value_stack.append(token)
                    break
                origin, size, data, keep, grows = rules[-1 - action]
                if grows:  # `_x: _x y`, lark's helper for `y+`: the node of its first child takes y, as lark would
                    node = value_stack[-size]
                    node.data = data
                    node.children.extend([value_stack[index - size] for index, _ in keep[1:]])
                    node.end_pos = value_stack[-1].end_pos
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
                                children.extend(raw[index].children)
                            else:
                                children.append(raw[index])
                    node = Tree(data, children, raw[0].start_pos, raw[-1].end_pos)
                    value_stack.append(node)
                state = actions[state_stack[-1]][origin]  # a goto: the tables have one for every reduction
                state_stack.append(state)
                if token is _END and state == end_state:
                    return node

    def _one_by_one(self, index: int, text: str, pos: int) -> Any:
        """The match of the first terminal of lexer `index`, in lark's order, that matches at `pos`."""
        self._uses[index] += 1
        if self._uses[index] > COMBINE_AFTER:
            alternation = "|".join(f"(?P<{name}>{self._patterns[name]})" for name in self._lexers[index])
            self._scanners[index] = re.compile(alternation).match
            return self._scanners[index](text, pos)
        for name in self._lexers[index]:
            match = self._compiled.get(name)
            if match is None:
                match = self._compiled[name] = re.compile(f"(?P<{name}>{self._patterns[name]})").match
            found = match(text, pos)
            if found is not None:
                return found
        return None


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
