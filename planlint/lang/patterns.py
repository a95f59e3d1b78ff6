"""Regular expressions for matches(), run by RE2: time linear in the text, whatever the pattern.

Python's `re` backtracks and has no time limit: `(a+)+$` takes exponential time on a text that
almost matches, and `.*a.*b.*c` minutes on a page of text, so one careless rule could stall a
whole batch. RE2 never backtracks. Its syntax is Python's without look-arounds and
back-references (a pattern using them is refused when the rule loads, with its place), and
`\\w`, `\\b` and `\\d` are ASCII.
"""

from __future__ import annotations

import functools
from typing import Any

from planlint.lang.errors import EvalError

MAX_PATTERN = 500


def pattern_problem(pattern: str) -> str | None:
    """Why matches() would refuse `pattern`, in plain words; None if it is fine."""
    try:
        compile_pattern(pattern)
    except EvalError as error:
        return error.message
    return None


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """`pattern` compiled for a case-blind search; EvalError if it is too long or cannot be read."""
    if len(pattern) > MAX_PATTERN:
        raise EvalError(f"matches() takes patterns of at most {MAX_PATTERN} characters")
    import re2  # only when a rule uses matches(): it is not needed to start

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would also print its complaint to stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) \
            else str(error)
        hint = (" (look-arounds such as (?=...) and back-references such as \\1 are not supported)"
                if "perl operator" in reason or "escape sequence" in reason else "")
        raise EvalError(f"matches() cannot read the pattern {pattern!r}: {reason}{hint}") from None
