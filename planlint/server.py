"""`planlint server`: the Language Server Protocol over standard input and output, for editors.

Findings appear as diagnostics while a plan is typed: the same findings `check` gives for the file,
under the same configuration (found from the file's folder upward), a moment after typing stops.
Hovering over a measure or benchmark with findings shows each rule's why and what to do; hovering
over a rule code (in a suppression comment, say) shows `planlint explain`'s text for it.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any
from urllib.parse import unquote, urlparse

from planlint import __version__, rule_info
from planlint.config import CONFIG_NAMES, find_config
from planlint.discovery import is_plan
from planlint.config_error import ConfigError
from planlint.findings import FileResult, Severity, Span
from planlint.loader import Document, load_bytes
from planlint.pipeline import Profiles, Settings, check_bytes

DEBOUNCE_SECONDS = 0.3  # after the last keystroke: a plan is checked once a pause, not on every key
_CODE_WORD = re.compile(r"[A-Z]{2,4}[0-9]{3}")


def file_path(uri: str) -> FsPath | None:
    parsed = urlparse(uri)
    return FsPath(unquote(parsed.path)) if parsed.scheme == "file" else None


def utf16_column(line: str, column: int) -> int:
    """LSP counts columns in UTF-16 code units; planlint in characters (1-based)."""
    return len(line[:max(0, column - 1)].encode("utf-16-le")) // 2


def character_index(line: str, units: int) -> int:
    """The character (0-based) at a UTF-16 offset of a line."""
    count = 0
    for index, character in enumerate(line):
        if count >= units:
            return index
        count += 2 if ord(character) > 0xFFFF else 1
    return len(line)


@dataclass
class Checked:
    """The last check of one open document."""

    result: FileResult | None  # None: not a plan, or the configuration is broken
    text: str
    error: ConfigError | None = None
    document: Document | None = None  # for hover to find the lines of measures and benchmarks


@dataclass
class Workspace:
    """Profiles per configuration file (rebuilt when one is saved), and each document's last check."""

    profiles: Profiles = field(default_factory=lambda: Profiles(Settings(), lasting=False))  # replaced on a save
    checked: dict[str, Checked] = field(default_factory=dict)

    def reload(self) -> None:
        find_config.cache_clear()
        self.profiles = Profiles(Settings(), lasting=False)

    def check(self, uri: str, text: str) -> Checked:
        path = file_path(uri)
        raw = text.encode("utf-8")
        if not is_plan(raw):
            checked = Checked(None, text)
        else:
            try:
                profile = self.profiles.for_folder(path.parent if path is not None else FsPath.cwd())
                name = str(path) if path is not None else uri
                checked = Checked(check_bytes(raw, name, profile, path=path), text,
                                  document=load_bytes(raw, name, profile.limits).document)
            except ConfigError as error:
                checked = Checked(None, text, error)
        self.checked[uri] = checked
        return checked


def diagnostics(checked: Checked) -> list[dict[str, Any]]:
    """LSP diagnostics (as JSON objects) for a check: each finding, or the configuration's error."""
    lines = checked.text.splitlines() or [""]
    if checked.error is not None:
        where = checked.error.file or "the configuration"
        return [_diagnostic(Span(1, 1, 1, 1), Severity.ERROR, "PL000",
                            f"{where}: {checked.error.message} (planlint cannot check this plan until it is fixed)",
                            lines)]
    findings = checked.result.findings if checked.result is not None else ()
    return [_diagnostic(f.span, f.severity, f.code, f.message, lines) for f in findings]


_LSP_SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}


def _diagnostic(span: Span, severity: Severity, code: str, message: str, lines: list[str]) -> dict[str, Any]:
    def position(line: int, column: int) -> dict[str, int]:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return {"line": max(0, line - 1), "character": utf16_column(text, column)}

    return {"range": {"start": position(span.line, span.column), "end": position(span.end_line, span.end_column)},
            "severity": _LSP_SEVERITY[severity], "code": code, "source": "planlint", "message": message}


def hover_text(workspace: Workspace, uri: str, line: int, character: int) -> str | None:
    """Markdown for the place hovered (0-based line, UTF-16 character): a rule code's explanation, or
    the findings of the measure or benchmark there with each rule's why and what to do."""
    checked = workspace.checked.get(uri)
    if checked is None:
        return None
    lines = checked.text.splitlines()
    text = lines[line] if 0 <= line < len(lines) else ""
    index = character_index(text, character)
    path = file_path(uri)
    profile = _profile(workspace, path)
    for match in _CODE_WORD.finditer(text):
        if match.start() <= index <= match.end() and profile is not None:
            explained = rule_info.explain(profile, match.group())
            if explained is not None:
                return f"```text\n{explained}```"
    if checked.result is None or profile is None:
        return None
    item = _item_at(checked, line + 1)
    findings = [f for f in checked.result.findings if item and f.path[:len(item)] == item]
    if not findings:
        return None
    docs = rule_info.rule_docs([profile])
    parts = []
    for finding in findings:
        doc = docs.get(finding.code)
        parts.append(f"**{finding.code} {finding.name}** ({finding.severity.label}): {finding.message}"
                     + (f"\n\n{doc.help}" if doc is not None and doc.help else ""))
    return "\n\n---\n\n".join(parts)


def _profile(workspace: Workspace, path: FsPath | None) -> Any:
    try:
        return workspace.profiles.for_folder(path.parent if path is not None else FsPath.cwd())
    except ConfigError:
        return None


def _item_at(checked: Checked, line: int) -> tuple | None:
    """The innermost measure or benchmark with a finding whose lines include `line` (1-based)."""
    best: tuple | None = None
    if checked.result is None or checked.document is None:
        return None
    for item in {item for finding in checked.result.findings for item in _items(finding.path)}:
        node = checked.document.node_at(item)
        if node is None:
            continue
        last = node.end_mark.line + (1 if node.end_mark.column > 0 else 0)  # a block ends at the next line's start
        if node.start_mark.line + 1 <= line <= last and (best is None or len(item) > len(best)):
            best = item
    return best


def _items(path: tuple) -> list[tuple]:
    """The measures and benchmarks a finding's path lies in: ("measures", 2), (..., "benchmarks", 0)."""
    return [path[:index + 1] for index, part in enumerate(path)
            if isinstance(part, int) and index > 0 and isinstance(path[index - 1], str)
            and (path[index - 1] == "measures" or path[index - 1].endswith("benchmarks"))]


def serve() -> None:
    """Run the server on standard input and output until the editor says exit."""
    try:
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer
    except ImportError:
        raise SystemExit("planlint: error: the language server needs pygls: pip install 'planlint[server]'") from None
    server = LanguageServer("planlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    workspace = Workspace()
    pending: dict[str, asyncio.TimerHandle] = {}

    def publish(uri: str) -> None:
        pending.pop(uri, None)
        document = server.workspace.get_text_document(uri)
        checked = workspace.check(uri, document.source)
        found = [types.Diagnostic(range=types.Range(start=types.Position(**d["range"]["start"]),
                                                    end=types.Position(**d["range"]["end"])),
                                  message=d["message"], severity=types.DiagnosticSeverity(d["severity"]),
                                  code=d["code"], source=d["source"]) for d in diagnostics(checked)]
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=found, version=document.version))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in pending:
            pending[uri].cancel()
        pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, publish, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        path = file_path(params.text_document.uri)
        if path is not None and (path.name in CONFIG_NAMES or path.name == "pyproject.toml"):
            workspace.reload()  # a configuration changed: every open plan is checked again under it
            for uri in list(workspace.checked):
                publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        workspace.checked.pop(params.text_document.uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        text = hover_text(workspace, params.text_document.uri, params.position.line, params.position.character)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    server.start_io()
