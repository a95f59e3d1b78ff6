"""Where the shipped rules and schemas live: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def schema_path(name: str) -> Path:
    return data_dir("schemas") / name


def rules_dir() -> Path:
    return data_dir("rules")


def frameworks_dir() -> Path:
    return data_dir("frameworks")
