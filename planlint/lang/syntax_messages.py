"""Plain-words explanations of parse failures, for people writing rules.

lark reports terminals by their grammar names (RPAR, COMPARE); a reviewer needs to read
"expected a value after '=='" or "'(' at column 7 is never closed".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

_QUANTIFIERS = frozenset({"ALL", "ANY", "NONE", "COUNT"})
_OPERATORS = frozenset({
    "PLUS", "MINUS", "STAR", "SLASH", "PERCENT", "COMPARE", "IN", "NOT", "AND", "OR",
    "DOT", "LSQB",
})
_PUNCTUATION = {"RPAR": "')'", "RSQB": "']'", "COMMA": "','", "FOR": "'for'",
                "THEN": "'then'", "ELSE": "'else'"}
_CLOSERS = {"LPAR": ")", "LSQB": "]"}
_OPENERS = {"RPAR": "LPAR", "RSQB": "LSQB"}
_CLOSER_TYPES = {"LPAR": "RPAR", "LSQB": "RSQB"}
_ENDS = frozenset({"RPAR", "RSQB", "COMMA"})
_CHARACTERS = {
    "&&": "write 'and' instead of '&&'",
    "||": "write 'or' instead of '||'",
    "!": "write 'not' instead of '!' (and '!=' for 'is not equal to')",
    "=": "write '==' to compare two values",
    "@": "a date is written @YYYY-MM-DD, for example @2022-09-15",
    ":": ("':' has no meaning here; "
          "a quantifier is written all(<condition> for <name> in <collection>)"),
    "'": "this text has no closing quote (text cannot span lines; write \\n)",
    '"': "this text has no closing quote (text cannot span lines; write \\n)",
    "{": "braces belong to message templates, not to expressions",
    "}": "braces belong to message templates, not to expressions",
}
_SHOWN = 30
# `m in measures` in a quantifier written without parentheses or with a ':'; the
# collection runs to the ':' (outside quotes) or the end of the line.
_COLLECTION = r"""((?:'[^'\n]*'|"[^"\n]*"|[^:'"\n])*)"""
_VARIABLE_IN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s+in\s+" + _COLLECTION + r"(?::|$)", re.M)
_BEFORE_COLON = re.compile(
    r"\b(all|any|none|count)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s+in\s+" + _COLLECTION + r"$")


Place = Callable[[int, int], tuple[int, int]]


def explain(error: UnexpectedInput, seen: list[Token], text: str,
            place: Place) -> tuple[str, int, int]:
    """(message, line, column) for a parse failure of `text` after the tokens `seen`.

    `place` turns a position in `text` into one in the text the user wrote (a template).
    """
    if isinstance(error, UnexpectedCharacters):
        return _character(text, error.pos_in_stream), *place(error.line, error.column)
    if not isinstance(error, UnexpectedToken):
        return "this expression cannot be read here", *place(error.line, error.column)
    token = error.token
    if token.type == "$END":
        return _at_end(set(error.expected), seen, text, place)
    # The lexer may refuse a token before the parser has seen it.
    before = seen[:-1] if seen and seen[-1] is token else seen
    previous = before[-1] if before else None
    message = _unexpected(token, previous, set(error.expected), before, text)
    opener = _unclosed(before)
    if token.type in _OPENERS and opener is not None and opener.type != _OPENERS[token.type]:
        where = "line {}, column {}".format(*place(opener.line, opener.column))
        message = f"expected '{_CLOSERS[opener.type]}' to close the '{opener}' at {where}"
    return message, *place(token.line, token.column)


def _character(text: str, index: int) -> str:
    if text.startswith(":", index):
        found = _BEFORE_COLON.search(text, 0, index)
        if found is not None:
            keyword, variable, collection = found.groups()
            return f"a quantifier has no ':'; write {_form(keyword, variable, collection)}"
    for start, message in _CHARACTERS.items():
        if text.startswith(start, index):
            return message
    return f"unexpected character {text[index]!r}"


def _at_end(expected: set[str], seen: list[Token], text: str,
            place: Place) -> tuple[str, int, int]:
    if not seen:
        return "the expression is empty", *place(1, 1)
    last = seen[-1]
    line, column = place(last.end_line or last.line, last.end_column or last.column)
    opener = _unclosed(seen)
    quantifier = _open_quantifier(seen)
    if _wants_value(expected):
        return f"expected a value after {_show(last)}", line, column
    if last.type == "DOT":
        return "expected a field name after '.'", line, column
    if last.type in _QUANTIFIERS:
        return _no_parentheses(last, None, text), line, column
    if quantifier is not None and _lacks_for(*quantifier):
        return _missing_for(*quantifier, text), line, column
    plausible = _plausible(expected, seen)
    if opener is not None and _CLOSER_TYPES[opener.type] in plausible:
        closer = _CLOSERS[opener.type]
        where = "line {}, column {}".format(*place(opener.line, opener.column))
        return f"'{opener}' at {where} is never closed; add '{closer}'", line, column
    after = f" after {_show(last)}" if opener is not None else ""
    return f"the expression ends too early; expected {_words(plausible)}{after}", line, column


def _unexpected(token: Token, previous: Token | None, expected: set[str],
                before: list[Token], text: str) -> str:
    found = _show(token)
    after = f" after {_show(previous)}" if previous is not None else ""
    quantifier = _open_quantifier(before)
    if _wants_value(expected):
        if token.type == "IF":
            return _parenthesize()
        return f"expected a value{after}, found {found}"
    if previous is not None and previous.type in _QUANTIFIERS:
        return _no_parentheses(previous, token, text)
    if previous is not None and str(previous) == "if" and token.type == "NAME":
        # Where `if` cannot start, the lexer reads it as a name.
        return _parenthesize()
    if token.type in ("COMPARE", "IN") and "COMPARE" not in expected:
        return "comparisons cannot be chained; write 'a < b and b < c'"
    if token.type in _OPENERS and _unclosed(before) is None:
        return f"{found} has no matching opening bracket"
    if quantifier is not None and _lacks_for(*quantifier) and token.type in _ENDS:
        return _missing_for(*quantifier, text)
    if token.type == "FOR" and quantifier is None:
        return ("'for' belongs inside all(...), any(...), none(...) or count(...), "
                "as in all(<condition> for m in measures)")
    if previous is not None and previous.type == "DOT" and token.type in ("NUMBER", "STRING"):
        return "a field whose name is not a plain word is written with brackets: x[\"2024\"]"
    if token.type == "LPAR" and previous is not None and previous.type == "NAME":
        if len(before) > 1 and before[-2].type == "DOT":
            return f"functions are called by name: write {previous}(x), not x.{previous}()"
    return f"expected {_words(_plausible(expected, before))}{after}, found {found}"


def _wants_value(expected: set[str]) -> bool:
    # NUMBER is accepted exactly where a value may start; NAME and '-' also follow '.' or sums.
    return "NUMBER" in expected


def _parenthesize() -> str:
    return ("an 'if ... then ... else ...' inside a larger expression needs parentheses, "
            "e.g. a and (if b then c else d)")


def _form(keyword: str, variable: str = "<name>", collection: str = "<collection>",
          condition: str = "<condition>") -> str:
    collection = collection.strip()
    if not collection or len(collection) > 2 * _SHOWN:
        collection = "<collection>"
    if len(condition) > _SHOWN:
        condition = "<condition>"
    return f"{keyword}({condition} for {variable} in {collection})"


def _no_parentheses(keyword: Token, token: Token | None, text: str) -> str:
    """For a quantifier keyword not followed by '(', as in `all m in measures: ...`."""
    word = str(keyword)
    found = None
    if token is not None and token.type == "NAME":
        found = _VARIABLE_IN.match(text, token.start_pos)
    if found is not None:
        return f"a quantifier is written in parentheses: write {_form(word, *found.groups())}"
    also = "; count(xs) counts the elements of xs" if keyword.type == "COUNT" else ""
    return f"'{word}' starts a quantifier: write {_form(word)}{also}"


def _missing_for(keyword: Token, inside: list[Token], text: str) -> str:
    """For `all(m in measures)` or `all(x > 0)`: a quantifier without its `for` part."""
    word = str(keyword)
    if len(inside) > 2 and inside[0].type == "NAME" and inside[1].type == "IN":
        collection = text[inside[2].start_pos:inside[-1].end_pos]
        return (f"'{word}(...)' is missing its condition and 'for': "
                f"write {_form(word, str(inside[0]), collection)}")
    condition = text[inside[0].start_pos:inside[-1].end_pos]
    return f"'{word}(...)' is missing 'for': write {_form(word, condition=condition)}"


def _unclosed(tokens: list[Token]) -> Token | None:
    stack: list[Token] = []
    for token in tokens:
        if token.type in _CLOSERS:
            stack.append(token)
        elif token.type in _OPENERS and stack:
            stack.pop()
    return stack[-1] if stack else None


def _open_quantifier(tokens: list[Token]) -> tuple[Token, list[Token]] | None:
    """When the innermost open bracket is a quantifier's '(': its keyword and the tokens
    written after that '(' so far."""
    starts: list[int] = []
    for index, token in enumerate(tokens):
        if token.type in _CLOSERS:
            starts.append(index)
        elif token.type in _OPENERS and starts:
            starts.pop()
    if not starts or starts[-1] == 0 or tokens[starts[-1]].type != "LPAR":
        return None
    keyword = tokens[starts[-1] - 1]
    if keyword.type not in _QUANTIFIERS:
        return None
    return keyword, tokens[starts[-1] + 1:]


def _lacks_for(keyword: Token, inside: list[Token]) -> bool:
    # `count(xs)` without `for` is the function, not an unfinished quantifier.
    return keyword.type != "COUNT" and not _has_for(inside)


def _has_for(inside: list[Token]) -> bool:
    """Whether `for` appears in `inside` outside any brackets nested in it."""
    depth = 0
    for token in inside:
        if token.type in _CLOSERS:
            depth += 1
        elif token.type in _OPENERS:
            depth -= 1
        elif token.type == "FOR" and depth == 0:
            return True
    return False


def _plausible(expected: set[str], before: list[Token]) -> set[str]:
    """`expected` without closers that nothing opened (LALR lookaheads over-approximate)."""
    opener = _unclosed(before)
    kinds = Counter(token.type for token in before)
    dropped = set()
    if opener is None:
        dropped |= {"RPAR", "RSQB", "COMMA"}
    else:
        dropped.add("RSQB" if opener.type == "LPAR" else "RPAR")
    quantifier = _open_quantifier(before)
    if quantifier is None or _has_for(quantifier[1]):
        dropped.add("FOR")
    if quantifier is not None and (quantifier[0].type != "COUNT" or _has_for(quantifier[1])):
        # Only `count(...)` without `for` is also a function call.
        dropped.add("COMMA")
        if not _has_for(quantifier[1]):
            dropped.add("RPAR")
    if kinds["IF"] <= kinds["THEN"]:
        dropped.add("THEN")
    if kinds["THEN"] <= kinds["ELSE"]:
        dropped.add("ELSE")
    return expected - dropped


def _words(expected: set[str]) -> str:
    words = [word for name, word in _PUNCTUATION.items() if name in expected]
    if "NAME" in expected:
        words.insert(0, "a name")
    operators = expected & _OPERATORS
    if operators == {"IN"}:
        words.append("'in'")
    elif operators:
        words.append("an operator")
    if "$END" in expected:
        words.append("the end")
    if not words:
        return "something else"
    return " or ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " or " + words[-1]


def _show(token: Token) -> str:
    if token.type == "$END":
        return "the end"
    value = str(token)
    if len(value) > _SHOWN:
        value = value[:_SHOWN] + "..."
    return value if token.type == "STRING" else f"'{value}'"
