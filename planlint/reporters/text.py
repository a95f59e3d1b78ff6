"""Text for people: each finding with its place, the source line and a marker, then a summary."""

from __future__ import annotations

from collections.abc import Sequence

from planlint.findings import Finding, Results, Severity, Summary
from planlint.printable import cells, printable, source_lines
from planlint.reporters.options import ReportOptions

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render(results: Results, *, color: bool = False, concise: bool = False, quiet: bool = False) -> str:
    blocks: list[str] = []
    for result in results.files:
        lines = source_lines(result.source) if result.source and not (concise or quiet) else []
        if concise or quiet:  # one line per place, for editors and scripts
            blocks += [_finding(finding, lines, color) for finding in result.findings]
            continue
        for first, others in recurring(result.findings):
            block = _finding(first, lines, color)
            if others:
                block += "\n" + _also_at(first, others)
            blocks.append(block)
    summary = results.summary()
    if not quiet:
        blocks.append(summary_line(summary, color=color))
    separator = "\n" if concise or quiet else "\n\n"
    return separator.join(blocks) + "\n" if blocks else ""


def _finding(finding: Finding, lines: list[str], color: bool) -> str:
    severity = _paint(finding.severity.label, _COLORS[finding.severity], color)
    head = (f"{_paint(file_name(finding.file), '1', color)}:{finding.span.line}:{finding.span.column}: "
            f"{_paint(finding.code, '1', color)} {severity} {printable(finding.message)}")
    if not lines or finding.span.line > len(lines):
        return head
    source = lines[finding.span.line - 1].replace("\t", " ")
    number = str(finding.span.line)
    gutter = " " * len(number)
    start = finding.span.column - 1
    end = finding.span.end_column - 1 if finding.span.end_line == finding.span.line else len(source)
    shown = printable(source)
    # Columns count characters as written; on screen an escaped one takes several cells, and a wide
    # one (a CJK character, most emoji) two, so the caret is placed by terminal cells.
    width = max(1, cells(printable(source[start:min(end, len(source))])))
    start = cells(printable(source[:start])) + max(0, start - len(source))
    marker = _paint("^" * width, _COLORS[finding.severity], color)
    return f"{head}\n {number} | {shown}\n {gutter} | {' ' * start}{marker}"


def recurring(findings: Sequence[Finding]) -> list[tuple[Finding, list[Finding]]]:
    """Each finding with the later ones that say the same thing of other items of the plan (the
    same rule, severity and message but for the item's id), in file order: a plan that repeats a
    problem over seven measures reads it once, with the seven places."""
    groups: dict[tuple, tuple[Finding, list[Finding]]] = {}
    for finding in findings:
        key = (finding.code, finding.severity, _shape(finding)) if finding.item else (id(finding),)
        if key in groups:
            groups[key][1].append(finding)
        else:
            groups[key] = (finding, [])
    return list(groups.values())


def _shape(finding: Finding) -> str:
    return finding.message.replace(f'"{finding.item}"', "\0").replace(str(finding.item), "\0")


def _also_at(first: Finding, others: Sequence[Finding]) -> str:
    places = ", ".join(f"{printable(str(f.item))} (line {f.span.line})" for f in [first, *others])
    return f"  The same for each of: {places}."


def file_name(file: str) -> str:
    """The file as given, printable; `./` before a name that starts with `::`, which GitHub Actions would run."""
    shown = printable(file)
    return f"./{shown}" if shown.startswith("::") else shown


def summary_line(summary: Summary, *, color: bool = False) -> str:
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    if not summary.findings:
        text = f"Checked {files}: no problems found."
    else:
        parts = [_count(n, word) for n, word in
                 ((summary.errors, "error"), (summary.warnings, "warning"), (summary.infos, "info")) if n]
        text = (f"Checked {files}: {', '.join(parts)} in {summary.files_with_findings} "
                f"file{'s' if summary.files_with_findings != 1 else ''}.")
    if summary.suppressed:
        text += f" ({summary.suppressed} suppressed.)"
    if summary.baselined:
        text += f" ({summary.baselined} in the baseline.)"
    return _paint(text, "1", color)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 and word != 'info' else ''}"


def render_report(results: Results, options: ReportOptions) -> str:
    return render(results, color=options.color, concise=options.concise, quiet=options.quiet)


def statistics(results: Results, options: ReportOptions) -> str:
    """One line per rule: how many findings, in how many files; then the summary (never coloured)."""
    rows = results.by_rule()
    lines = [f"{number:6d}  {code:<7} {name:<28} {severity.label:<8} in {files} file{'s' if files != 1 else ''}"
             for code, name, severity, number, files in rows]
    return "\n".join(lines + [summary_line(results.summary())]) + "\n"
