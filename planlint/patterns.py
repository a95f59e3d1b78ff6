"""File patterns, one meaning everywhere (`exclude:`, `--exclude`, `per-file-ignores`): gitignore's.

`drafts/` is the folder and everything in it, at any depth; `*.yaml` or `notes.yml` (no slash but a
trailing one) match at any depth; `/plans/*.yaml` or `plans/*.yaml` only from the configuration's
folder; `**` crosses folders and `*` does not; `!` re-includes. pathspec implements git's rules, so
a pattern means what it means in the repository's .gitignore.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any


@functools.lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> Any:
    import pathspec  # when there is a pattern to match, not at start-up

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def matches(relative: str, patterns: Iterable[str]) -> bool:
    """Whether a file's path (relative to the patterns' folder, with `/`) matches any of the patterns."""
    patterns = tuple(patterns)
    return bool(patterns) and _spec(patterns).match_file(relative)


def pattern_problem(pattern: str) -> str | None:
    """Why a file pattern cannot be used, in plain words; None if it is fine. pathspec builds a pattern's
    regular expression only when it first matches a file, so a bad one is found here, where it is given."""
    try:
        _spec((pattern,)).match_file("x")
    except (ValueError, re.error) as exc:
        reason = re.sub(r" at position \d+$", "", str(exc).rstrip("."))  # a place in pathspec's regex, not in the pattern
        return (f"\"{pattern}\" is not a file pattern planlint can read ({reason}). Patterns are gitignore's: "
                "drafts/, *.yaml, **/old-*.yaml, [abc] with a range from low to high, and a \\ only before the "
                "character it escapes.")
    return None
