"""Frameworks: the goal sets a plan aligns with (built in: ldoe, msip5), as data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence


def load_frameworks(extra_files: Sequence[Path] = ()) -> Any:
    """The built-in frameworks plus the files a configuration adds."""
    return {}
