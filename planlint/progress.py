"""Progress for a batch on a terminal: `120/300 plans/north-parish.yaml` on one line of standard error,
rewritten as files are done and cleared at the end. Nothing in a pipe, a file, CI logs or with -q,
where a line rewritten hundreds of times is noise."""

from __future__ import annotations

import os
import time
from typing import TextIO

from planlint.reporters.text import printable

_CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")
_INTERVAL = 0.1  # seconds between redraws: often enough to look alive, rarely enough to cost nothing


def wanted(stream: TextIO, *, quiet: bool) -> bool:
    if quiet or any(os.environ.get(name) for name in _CI_VARIABLES):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Called with (done, total, file) after each file; `close()` clears the line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int, file: str) -> None:
        now = time.monotonic()
        if done < total and now - self.last < _INTERVAL:
            return
        self.last = now
        import shutil  # here: a check run in a hook or a pipe never draws the line

        width = shutil.get_terminal_size((80, 24)).columns - 1
        count, name = f"{done}/{total} ", printable(file)
        room = max(width - len(count), 10)
        if len(name) > room:  # keep the end of the path: the file's own name
            name = "…" + name[-(room - 1):]
        line = count + name
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
