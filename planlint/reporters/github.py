"""GitHub Actions workflow commands: one annotation per finding, plus a Markdown step summary."""

from __future__ import annotations


from planlint.findings import Finding, Results, Severity
from planlint.reporters import markdown
from planlint.reporters.sarif import relative_path

from planlint.reporters.options import ReportOptions
from planlint.reporters.text import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """As the Actions toolkit escapes a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """As the Actions toolkit escapes a property value, where `:` and `,` are separators."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: Results, options: ReportOptions) -> str:
    return "".join(annotation(finding) + "\n" for finding in results.findings)


def step_summary(results: Results, options: ReportOptions) -> str:
    """For $GITHUB_STEP_SUMMARY: GitHub shows only 10 annotations of each kind per step; the summary shows the
    first MAX_ROWS findings, errors first, as a job summary has a size limit, and says when it stops."""
    return markdown.render(results, options, max_rows=markdown.MAX_ROWS)


def annotation(finding: Finding) -> str:
    span = finding.span
    # Control characters (ESC, BEL, an OSC-8 link) would act on the workflow log: escaped as in text output.
    properties: list[tuple[str, object]] = [("file", printable(relative_path(finding.file))), ("line", span.line)]
    if span.end_line == span.line:
        # GitHub's end column is inclusive (it defaults to the start column); a Span's is exclusive.
        properties += [("col", span.column), ("endLine", span.end_line),
                       ("endColumn", max(span.column, span.end_column - 1))]
    else:  # GitHub rejects columns on an annotation that spans lines
        properties.append(("endLine", span.end_line))
    properties.append(("title", f"{finding.code} {finding.name}"))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    message = "\n".join(printable(line) for line in finding.message.split("\n"))  # a line break is %0A
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(message)}"
