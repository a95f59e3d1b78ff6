"""A configuration error where CI looks for findings: a SARIF log that says the run failed (so the
upload step that always runs has a file, and code scanning shows why), and a GitHub annotation on
the configuration file. The error itself goes to standard error as everywhere else, exit 2."""

from __future__ import annotations

import json

from planlint import __version__
from planlint.config_error import ConfigError
from planlint.findings import relative_path
from planlint.reporters.github import escape_data, escape_property
from planlint.reporters.sarif import INFORMATION_URI, SCHEMA_URI, artifact_location

TITLE = "planlint configuration"


def sarif(error: ConfigError) -> str:
    """An empty run whose invocation failed, with the error as a tool notification at its place."""
    notification: dict = {"level": "error", "message": {"text": error.message}}
    if error.file is not None:
        location: dict = {"artifactLocation": artifact_location(error.file)}
        if error.span is not None:
            location["region"] = {"startLine": error.span.line, "startColumn": error.span.column}
        notification["locations"] = [{"physicalLocation": location}]
    run = {
        "tool": {"driver": {"name": "planlint", "version": __version__, "informationUri": INFORMATION_URI,
                            "rules": []}},
        "invocations": [{"executionSuccessful": False, "exitCode": 2, "toolExecutionNotifications": [notification]}],
        "columnKind": "unicodeCodePoints",
        "results": [],
    }
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"


def github(error: ConfigError) -> str:
    """An ::error workflow command on the configuration file (or without a file, for a bad option)."""
    properties = []
    if error.file is not None:
        properties.append(f"file={escape_property(relative_path(error.file))}")
        if error.span is not None:
            properties += [f"line={error.span.line}", f"col={error.span.column}"]
    properties.append(f"title={escape_property(TITLE)}")
    return f"::error {','.join(properties)}::{escape_data(error.message)}\n"


RENDERERS = {"sarif": sarif, "github": github}
