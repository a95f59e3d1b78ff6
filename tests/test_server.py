"""`planlint server` speaks the Language Server Protocol: a real exchange with a server process over
its standard input and output (initialize, didOpen, didChange, publishDiagnostics, hover)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")
# Three measures that do not say where their data comes from: PM004 on each.
WARNED = "".join(line for line in PLAN.splitlines(keepends=True) if not line.startswith("    source:"))


class Client:
    """An editor's side of the protocol: Content-Length framed JSON-RPC over the server's pipes."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "planlint", "server"], cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue[dict] = queue.Queue()
        self.seen: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, wanted: Callable[[dict], bool], timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(message)
            if wanted(message):
                return message
        raise AssertionError(f"no such message within {timeout}s; seen: {[m.get('method') for m in self.seen]}")

    def diagnostics(self, uri: str, version: int) -> list[dict]:
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri and m["params"].get("version") == version)
        return message["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


@pytest.fixture()
def district(tmp_path: Path) -> Path:
    (tmp_path / ".planlint.yaml").write_text("severity: {PM004: error}\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "lincoln.yaml").write_text(WARNED, encoding="utf-8")
    return tmp_path


@pytest.fixture()
def client(district: Path):
    editor = Client(district)
    result = editor.request("initialize", {"processId": None, "rootUri": district.as_uri(), "capabilities": {}})
    assert result["serverInfo"]["name"] == "planlint"
    assert result["capabilities"]["hoverProvider"] is True
    editor.notify("initialized", {})
    yield editor
    editor.close()


def open_plan(client: Client, path: Path, text: str) -> list[dict]:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "yaml",
                                                            "version": 1, "text": text}})
    return client.diagnostics(path.as_uri(), 1)


def check_json(district: Path, plan: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "planlint", "check", "-f", "json", str(plan)], cwd=district,
                          capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)["findings"]


def test_opening_a_plan_shows_the_findings_check_gives_under_the_same_configuration(client: Client, district: Path):
    plan = district / "plans" / "lincoln.yaml"
    shown = open_plan(client, plan, WARNED)
    expected = check_json(district, plan)
    assert len(expected) == 3
    assert [(d["code"], d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["message"])
            for d in shown] == [(f["code"], f["line"], f["column"], f["message"]) for f in expected]
    assert {d["severity"] for d in shown} == {1}  # error: the district's .planlint.yaml holds
    assert {d["source"] for d in shown} == {"planlint"}


def test_typing_is_checked_once_typing_pauses(client: Client, district: Path):
    plan = district / "plans" / "lincoln.yaml"
    uri = plan.as_uri()
    assert len(open_plan(client, plan, WARNED)) == 3
    # three quick edits: the source comes back to one measure after another
    texts = [WARNED.replace("  - id: reading-3-5\n", "  - id: reading-3-5\n    source: CMAS ELA results\n"),
             WARNED.replace("  - id: k2-reading\n", "  - id: k2-reading\n    source: Acadience spring screener\n")]
    texts.append(texts[0].replace("  - id: k2-reading\n", "  - id: k2-reading\n    source: Acadience spring screener\n"))
    for version, text in enumerate(texts, start=2):
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": text}]})
    final = client.diagnostics(uri, 4)
    assert [d["message"] for d in final] == [f["message"] for f in check_json(district, plan)][2:]
    assert len(final) == 1 and '"chronic-absence"' in final[0]["message"]
    published = [m for m in client.seen if m.get("method") == "textDocument/publishDiagnostics"]
    assert [m["params"]["version"] for m in published] == [1, 4]  # the edits in between were not checked


def test_hover_on_a_measure_shows_the_rule_why_and_what_to_do(client: Client, district: Path):
    plan = district / "plans" / "lincoln.yaml"
    open_plan(client, plan, WARNED)
    line = WARNED.splitlines().index("    name: Percent of K-2 students at or above benchmark on the spring "
                                     "Acadience Reading screener")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": plan.as_uri()},
                                                  "position": {"line": line, "character": 10}})
    value = hover["contents"]["value"]
    assert value.startswith("**PM004 ") and "(error): The measure \"k2-reading\" does not say" in value
    assert '"k2-reading"' in value and '"reading-3-5"' not in value
    assert "What to do:" in value


def test_hover_on_a_rule_code_shows_planlint_explain(client: Client, district: Path):
    plan = district / "plans" / "lincoln.yaml"
    text = WARNED.replace("measures:\n", "measures:  # planlint: disable=TGT006 -- the board set these targets\n")
    open_plan(client, plan, text)
    line = text.splitlines().index("measures:  # planlint: disable=TGT006 -- the board set these targets")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": plan.as_uri()},
                                                  "position": {"line": line, "character": 34}})
    explained = subprocess.run([sys.executable, "-m", "planlint", "explain", "TGT006"], cwd=district,
                               capture_output=True, text=True, timeout=60).stdout
    assert hover["contents"]["value"] == f"```text\n{explained}```"


def test_a_yaml_file_that_is_not_a_plan_gets_no_diagnostics(client: Client, district: Path):
    assert open_plan(client, district / "mkdocs.yml", "site_name: Handbook\nnav:\n  - Home: index.md\n") == []


def test_a_broken_configuration_is_one_diagnostic_that_names_it(client: Client, district: Path):
    (district / "plans" / ".planlint.yaml").write_text("select: [NOPE999]\n", encoding="utf-8")
    [shown] = open_plan(client, district / "plans" / "lincoln.yaml", WARNED)
    assert shown["severity"] == 1 and ".planlint.yaml" in shown["message"] and "NOPE999" in shown["message"]
