"""Text edits at the places the loader recorded: the plan's own bytes stay as they are around them.

A fix replaces the characters of one value (or inserts a line or an entry) and nothing else, so
comments, quoting, flow or block style, indentation, blank lines and line endings are kept as the
author wrote them. A YAML round trip (load, change, dump) cannot promise that: it re-spaces flow
mappings, re-indents lists and drops the file's line endings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

import yaml

# The line breaks libyaml counts lines by (YAML 1.1): CR LF, CR, LF, NEL, LS and PS.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class TextEdit:
    """Replace text[start:end] with `text` (start == end inserts)."""

    start: int
    end: int
    text: str


class Source:
    """A plan's text with its line starts, to turn the loader's marks (line, column) into offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in _BREAK.finditer(text)]

    def offset(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def scalar(self, node: yaml.Node) -> tuple[int, int] | None:
        """Where a one-line scalar's text is: for a plain scalar, exactly its value; for a quoted one,
        the value in its quotes. None for anything else (a block scalar, a value folded over lines)."""
        if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
            return None
        start, end = self.offset(node.start_mark), self.offset(node.end_mark)
        written = self.text[start:end]
        if not node.style and written == node.value:
            return start, end
        if node.style in ("'", '"') and written == f"{node.style}{node.value}{node.style}":
            return start, end
        return None

    def line_of(self, offset: int) -> int:
        """The 0-based line an offset lies on."""
        low, high = 0, len(self.starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low

    def line_end(self, line: int) -> tuple[int, str]:
        """Where a line's text ends, and the line break after it ("" on a last line without one)."""
        if line + 1 < len(self.starts):
            following = self.starts[line + 1]
            match = _BREAK.search(self.text, self.starts[line], following)
            assert match is not None  # every line but the last ends with a break
            return match.start(), match.group()
        return len(self.text), ""

    def newline(self) -> str:
        """The line break the file uses most (LF for a one-line file)."""
        found = [match.group() for match in _BREAK.finditer(self.text)]
        return max(sorted(set(found)), key=found.count) if found else "\n"

    def indent_of(self, line: int) -> str:
        start = self.starts[line]
        text = self.text[start:self.line_end(line)[0]]
        return text[:len(text) - len(text.lstrip(" "))]


def apply_edits(text: str, edits: Iterable[TextEdit]) -> tuple[str, list[TextEdit]]:
    """The text with every edit applied, and the edits applied; an edit that overlaps one before it is
    left for the next round (where the plan is read again)."""
    chosen: list[TextEdit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and (edit.start < chosen[-1].end or (edit.start == chosen[-1].start and edit.start == edit.end)):
            continue
        chosen.append(edit)
    parts, last = [], 0
    for edit in chosen:
        parts += [text[last:edit.start], edit.text]
        last = edit.end
    parts.append(text[last:])
    return "".join(parts), chosen


def moved(offset: int, edits: Iterable[TextEdit]) -> int:
    """Where an offset is after `edits` were applied before it."""
    return offset + sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= offset and e.start < offset)


# After a value: the brackets that close its flow collection, the spaces, and a comment.
_BEFORE_COMMENT = re.compile(r"([}\]]*)([ \t]+)#")


def keep_comment_column(text: str, edit: TextEdit) -> TextEdit:
    """A replacement that keeps the comment after it in its column (`70%   # of tutors` becomes
    `70    # of tutors`), as far as one space before the comment allows."""
    if edit.start == edit.end or _BREAK.search(edit.text):
        return edit
    after = _BEFORE_COMMENT.match(text, edit.end)
    if after is None or "\t" in after.group(2):
        return edit
    spaces = len(after.group(2)) - (len(edit.text) - (edit.end - edit.start))
    return TextEdit(edit.start, after.end(2), edit.text + after.group(1) + " " * max(1, spaces))
