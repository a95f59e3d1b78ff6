"""Where the shipped rules and schemas live: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

import functools
import os
import sys
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


def user_cache_dir() -> Path:
    """The user's cache folder for planlint: on Linux and other Unix systems but macOS, `$XDG_CACHE_HOME/planlint`
    or `~/.cache/planlint`, as the XDG base directory specification says and platformdirs answers, found
    here because importing platformdirs would cost a quick check more than the check itself spends on
    the cache; elsewhere, platformdirs' answer."""
    if os.name == "posix" and sys.platform != "darwin":
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / "planlint"
    import platformdirs

    return Path(platformdirs.user_cache_dir("planlint", appauthor=False))
