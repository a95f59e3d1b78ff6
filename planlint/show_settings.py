"""`check --show-settings`: the settings that apply to each plan, and the file each comes from.

A plan in a folder tree can be under any configuration above it; this says which one, what it sets,
what the command line set over it, what is left at its default, and which `per-file-ignores`
entries reach this very file.
"""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from planlint.config import Config, load_config, matches_pattern
from planlint.findings import relative_path
from planlint.pipeline import Profiles, Target
from planlint.resources import schema_path

DEFAULTS: dict[str, Any] = {"preset": "recommended", "fail-on": "error", "max-file-size": 5000000}


def render(targets: Sequence[Target], profiles: Profiles) -> str:
    keys = list(json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))["properties"])
    blocks = [_block(target, profiles, keys) for target in targets]
    return "\n".join(blocks)


def _block(target: Target, profiles: Profiles, keys: list[str]) -> str:
    folder = target.place.parent if target.place is not None else Path.cwd()
    path = profiles.config_path(folder)
    config = profiles.settings.override(load_config(path) if path is not None else Config())
    source = relative_path(str(path)) if path is not None else None
    lines = [f"{target.name}", f"  configuration file: {source or 'none'}"]
    for key in keys:
        if key in config.data:
            origin = f"--{key}" if key in config.command_line else source
            lines.append(f"  {key}: {_shown(config.data[key])}  ({origin})")
        elif key in DEFAULTS:
            default = "warning" if key == "fail-on" and config.get("preset") == "strict" else DEFAULTS[key]
            lines.append(f"  {key}: {_shown(default)}  (default)")
    if profiles.settings.exclude:
        lines.append(f"  exclude: {_shown(list(profiles.settings.exclude))}  (--exclude)")
    lines += _per_file(target, config, source)
    profile = profiles.for_target(target)
    lines.append(f"  rules that run: {len(profile.engine.rules)} (`planlint rules` lists them)")
    return "\n".join(lines) + "\n"


def _per_file(target: Target, config: Config, source: str | None) -> list[str]:
    """The per-file-ignores entries whose pattern matches this file."""
    if target.place is None:
        return []
    try:
        relative = target.place.resolve().relative_to(config.folder.resolve()).as_posix()
    except ValueError:
        return []
    return [f"  not run on this file: {', '.join(codes)}  (per-file-ignores \"{pattern}\" in {source})"
            for pattern, codes in config.get("per-file-ignores", {}).items() if matches_pattern(relative, pattern)]


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
