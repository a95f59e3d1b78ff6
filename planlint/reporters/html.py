"""The reviewer's report: one self-contained HTML file (inline style, script and SVG; nothing fetched).

The overview is a matrix of plans x criteria, sortable and filterable in the browser, with the plans
to send back first; then the counts per rule; then each plan: its system, its verdicts, a chart per
measure with the findings on that measure beside it, and its other findings with their source lines.
Everything from a plan is untrusted and escaped; a Content-Security-Policy forbids any network use."""

from __future__ import annotations

from html import escape
from collections.abc import Sequence

from planlint import __version__
from planlint.findings import FileResult, Finding, Results, relative_path
from planlint.reporters.html_assets import CSS, JS, script_hash
from planlint.reporters.html_chart import chart_svg, defs_svg, legend_svg
from planlint.reporters.options import ReportOptions
from planlint.reporters.text import printable, source_lines
from planlint.rubric import criteria_of
from planlint.scorecard import MET, NOT_APPLICABLE, NOT_MET, VERDICTS, Verdict

# The page may run only its own script (by its hash): no request goes out, and markup a plan might smuggle in
# could not run even if it got past the escaping.
_POLICY = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash()}'"
_CSS_CLASS = {MET: "v-met", NOT_MET: "v-not", NOT_APPLICABLE: "v-na"}
_SORT = {NOT_MET: "0", MET: "1", NOT_APPLICABLE: "2"}  # not met first when sorted ascending


def esc(text: object) -> str:
    """Text from a plan or a finding as HTML text or an attribute value, control characters shown escaped."""
    return escape(printable(str(text)), quote=True)


def render(results: Results, options: ReportOptions) -> str:
    ordered = send_back_order(results.files)
    criteria = criteria_of(result.verdicts for result in ordered)
    folder = common_folder([result.file for result in ordered])
    names = {result.file: _shown_name(result.file, folder) for result in ordered}
    parts = [_head(), _overview(results, ordered, criteria, folder, names), _rule_counts(results),
             '<h2 id="plans">Plans</h2>', f'<p class="muted">Key to the charts:</p>{legend_svg()}']
    parts += [_plan(index, result, names[result.file]) for index, result in enumerate(ordered)]
    parts.append(f"</main><script>{JS}</script></body></html>\n")
    return "\n".join(parts)


def common_folder(files: Sequence[str]) -> str:
    """The folder every file is in, as the report names files (a batch's folder), or "" when there is none."""
    folders = {relative_path(file).rpartition("/")[0] for file in files}
    if not folders or "" in folders:
        return ""
    parts = [folder.split("/") for folder in folders]
    common = []
    for names in zip(*parts):
        if len(set(names)) != 1:
            break
        common.append(names[0])
    return "/".join(common)


def _shown_name(file: str, folder: str) -> str:
    name = relative_path(file)
    return name[len(folder) + 1:] if folder and name.startswith(folder + "/") else name


def send_back_order(files: Sequence[FileResult]) -> list[FileResult]:
    """Plans with the most criteria not met first, then the most errors, then by file."""
    return sorted(files, key=lambda r: (-_not_met(r), -sum(f.severity.label == "error" for f in r.findings), r.file))


def _not_met(result: FileResult) -> int:
    return sum(1 for v in result.verdicts if v.verdict == NOT_MET)


def _head() -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="generator" content="planlint {esc(__version__)}">'
            f'<title>Plan review: planlint report</title><style>{CSS}</style></head><body>{defs_svg()}')


def _overview(results: Results, ordered: list[FileResult], criteria: list[tuple[str, str]], folder: str,
              names: dict[str, str]) -> str:
    summary = results.summary()
    back = sum(1 for r in ordered if _not_met(r))
    cards = [(len(ordered), "plans checked"), (back, "to send back"), (len(ordered) - back, "meet every criterion"),
             (summary.errors, "errors"), (summary.warnings, "warnings")]
    head = ('<header><h1>Plan review</h1><p class="lead">Each plan against the criteria for a good plan: '
            '<span class="v v-met">met</span> <span class="v v-not">not met</span> '
            '<span class="v v-na">not applicable</span>. A criterion is not met when one of the rules that '
            'decide it reports an error or a warning; the codes under a verdict name them.</p><div class="cards">'
            + "".join(f'<div class="card"><b>{n}</b>{label}</div>' for n, label in cards) + "</div>"
            + (f'<p class="muted">Plans in {esc(folder)}/</p>' if folder else "") + "</header><main>")
    options = "".join(f'<option value="{esc(cid)}">{esc(name)}</option>' for cid, name in criteria)
    verdicts = "".join(f'<option value="{v}">{v}</option>' for v in VERDICTS)
    controls = ('<div class="controls"><label>System or file<input id="f-search" type="search" autocomplete="off" '
                'placeholder="Search a name, id or file"></label>'
                f'<label>Criterion<select id="f-criterion" autocomplete="off"><option value="">Any criterion</option>{options}'
                f'</select></label><label>Verdict<select id="f-verdict" autocomplete="off"><option value="">Any verdict</option>'
                f'{verdicts}</select></label><span class="shown" id="shown"></span></div>')
    columns = ['<th class="plancol"><button type="button">Plan</button></th>', '<th><button type="button">Id</button></th>',
               '<th class="num"><button type="button">Not met</button></th>',
               '<th class="num"><button type="button">Errors</button></th>',
               '<th class="num"><button type="button">Warnings</button></th>']
    columns += [f'<th><button type="button">{esc(name)}</button></th>' for _, name in criteria]
    rows = [_matrix_row(index, result, criteria, names[result.file]) for index, result in enumerate(ordered)]
    return (head + '<h2 id="overview">Plans and criteria, plans to send back first</h2>' + controls
            + '<div class="scroll"><table id="matrix"><thead><tr>' + "".join(columns) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def _matrix_row(index: int, result: FileResult, criteria: list[tuple[str, str]], file: str) -> str:
    plan = result.plan
    system = plan.system if plan and plan.system else "(no system name)"
    system_id = plan.system_id if plan else ""
    errors = sum(1 for f in result.findings if f.severity.label == "error")
    warnings = sum(1 for f in result.findings if f.severity.label == "warning")
    search = f"{system} {system_id} {file}".lower()
    by_id = {v.criterion: v for v in result.verdicts}
    cells = [f'<td data-sort="{esc(system.lower())}"><a class="sys" href="#plan-{index}">{esc(system)}</a>'
             f'<span class="file">{esc(file)}</span></td>', f"<td>{esc(system_id)}</td>",
             f'<td class="num">{_not_met(result)}</td>', f'<td class="num">{errors}</td>',
             f'<td class="num">{warnings}</td>']
    cells += [_verdict_cell(cid, by_id.get(cid)) for cid, _ in criteria]
    return f'<tr data-order="{index}" data-search="{esc(search)}">' + "".join(cells) + "</tr>"


def _verdict_cell(criterion: str, verdict: Verdict | None) -> str:
    if verdict is None:
        return f'<td data-criterion="{esc(criterion)}" data-verdict="" data-sort="3"></td>'
    codes = f'<span class="codes">{esc(" ".join(verdict.codes))}</span>' if verdict.codes else ""
    return (f'<td data-criterion="{esc(criterion)}" data-verdict="{verdict.verdict}" data-sort="{_SORT[verdict.verdict]}">'
            f'{_badge(verdict.verdict)}{codes}</td>')


def _badge(verdict: str) -> str:
    return f'<span class="v {_CSS_CLASS[verdict]}">{verdict}</span>'


def _rule_counts(results: Results) -> str:
    rows = "".join(f"<tr><td>{esc(code)}</td><td>{esc(name)}</td><td>{severity.label}</td>"
                   f'<td class="num">{number}</td><td class="num">{files}</td></tr>'
                   for code, name, severity, number, files in results.by_rule())
    if not rows:
        return '<h2 id="rules">Findings per rule</h2><p>No problems found.</p>'
    return ('<h2 id="rules">Findings per rule</h2><div class="scroll"><table id="rule-counts"><thead><tr><th>Code</th>'
            '<th>Rule</th><th>Severity</th><th class="num">Findings</th><th class="num">Plans</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _plan(index: int, result: FileResult, file: str) -> str:
    plan = result.plan
    system = plan.system if plan and plan.system else "(no system name)"
    ident = f" ({esc(plan.system_id)})" if plan and plan.system_id else ""
    missed = _not_met(result)
    status = f"{missed} not met" if missed else "every criterion that applies is met"
    verdicts = "".join(f"<li>{esc(v.name)}: {_badge(v.verdict)}"
                       f"{(' <span class=muted>' + esc(' '.join(v.codes)) + '</span>') if v.codes else ''}</li>"
                       for v in result.verdicts)
    lines = source_lines(result.source) if result.source else []
    charted = {i for i in range(len(plan.measures))} if plan else set()
    measures = [_measure(i, plan.measures[i], [f for f in result.findings if _measure_index(f) == i], lines)
                for i in sorted(charted)] if plan else []
    others = [f for f in result.findings if _measure_index(f) not in charted]
    other_html = (f"<h3>Other findings</h3>{_findings(others, lines)}" if others and measures else
                  _findings(others, lines) if others else "")
    if not result.findings:
        other_html = "<p>No findings.</p>"
    return (f'<details class="plan" id="plan-{index}"><summary>{esc(system)}{ident} — '
            f'<span class="muted">{esc(file)}</span> — {status}</summary><div class="body">'
            f'<ul class="verdicts">{verdicts}</ul>{"".join(measures)}{other_html}</div></details>')


def _measure_index(finding: Finding) -> int | None:
    path = finding.path
    return path[1] if len(path) >= 2 and path[0] == "measures" and isinstance(path[1], int) else None


def _measure(index: int, measure, findings: list[Finding], lines: list[str]) -> str:
    title = esc(measure.name or measure.id or f"measure {index + 1}")
    facts = [f"{label} {_number(value)} ({year})" for label, points in
             (("baseline", measure.baseline), ("projection", measure.projection[-1:]), ("target", measure.target))
             for year, value in points]
    facts.append("lower is better" if measure.lower_is_better else "higher is better")
    caption = f"<b>{title}</b><br>{esc(' · '.join(facts))}"
    listed = _findings(findings, lines) if findings else '<p class="muted">No findings.</p>'
    return (f'<div class="measure"><figure>{chart_svg(measure)}<figcaption>{caption}</figcaption></figure>'
            f'<div class="findings">{listed}</div></div>')


def _message(text: str) -> str:
    """A finding's message, its line breaks kept as breaks."""
    return "<br>".join(esc(line) for line in source_lines(text))


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _findings(findings: list[Finding], lines: list[str]) -> str:
    items = []
    for finding in findings:
        line = finding.span.line
        source = (f'<pre class="src">{line} | {esc(lines[line - 1])}</pre>' if 0 < line <= len(lines) else "")
        items.append(f'<li><span class="sev sev-{finding.severity.label}">{finding.severity.label}</span>'
                     f'<b>{esc(finding.code)}</b> <span class="muted">line {line}</span> {_message(finding.message)}'
                     f"{source}</li>")
    return f'<ul class="findings">{"".join(items)}</ul>'
