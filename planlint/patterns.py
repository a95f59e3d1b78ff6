"""File patterns, one meaning everywhere (`exclude:`, `--exclude`, `per-file-ignores`): gitignore's.

`drafts/` is the folder and everything in it, at any depth; `*.yaml` or `notes.yml` (no slash but a
trailing one) match at any depth; `/plans/*.yaml` or `plans/*.yaml` only from the configuration's
folder; `**` crosses folders and `*` does not; `!` re-includes. pathspec implements git's rules, so
a pattern means what it means in the repository's .gitignore.
"""

from __future__ import annotations

import functools
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
