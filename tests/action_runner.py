"""Runs action.yml's steps as a GitHub runner does, to test the composite action without GitHub.

Each `run:` step goes to `bash --noprofile --norc -eo pipefail FILE` (GitHub's command for
`shell: bash`) with `${{ }}` substituted, its `env:`, the variables earlier steps wrote to GITHUB_ENV
and the folders they wrote to GITHUB_PATH; GITHUB_OUTPUT becomes `steps.<id>.outputs`; `if:` is
evaluated (without one a step runs only while every earlier step succeeded). A `uses:` step runs a
stand-in from `STAND_INS`: no network here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>&&|\|\||==|!=|!|\(|\))|"
                    r"(?P<call>[A-Za-z_]\w*)\(\)|(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))")


@dataclass
class StepRun:
    name: str
    ran: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    uploads: list[dict[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(step.returncode != 0 for step in self.steps)

    def step(self, name: str) -> StepRun:
        return next(step for step in self.steps if step.name == name)


def _setup_python(with_: dict[str, str], run: ActionRun, workspace: Path) -> dict[str, str]:
    assert with_.get("update-environment") == "false", "setup-python would change the job's Python"
    return {"python-path": getattr(sys, "_base_executable", sys.executable)}


def _upload_sarif(with_: dict[str, str], run: ActionRun, workspace: Path) -> dict[str, str]:
    run.uploads.append(dict(with_))
    # relative to the workspace, as the upload action reads it; a missing or broken file fails the step
    json.loads((workspace / with_["sarif_file"]).read_text(encoding="utf-8"))
    return {}


STAND_INS: dict[str, Callable[[dict[str, str], ActionRun, Path], dict[str, str]]] = {
    "actions/setup-python@v5": _setup_python,
    "github/codeql-action/upload-sarif@v3": _upload_sarif,
}


class Runner:
    """One job's view of the action: a workspace, a temp folder and the environment of the machine."""

    def __init__(self, workspace: Path, temp: Path, env: dict[str, str]) -> None:
        self.workspace, self.temp, self.env = workspace, temp, env
        self.action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))

    def run(self, inputs: dict[str, str], *, cwd: Path | None = None,
            done: dict[str, dict[str, str]] | None = None) -> ActionRun:
        """Run every step; `done` gives the outputs of steps (by id) already run in this job, which are skipped."""
        given = {name: _as_text(spec.get("default", "")) for name, spec in self.action["inputs"].items()}
        unknown = set(inputs) - set(given)
        assert not unknown, f"the action has no input {unknown}"
        context = {"inputs": {**given, **inputs}, "steps": {},
                   "github": {"workspace": str(self.workspace), "action_path": str(ROOT)},
                   "runner": {"temp": str(self.temp)}}
        run, exported, path_entries = ActionRun(), {}, []
        for number, step in enumerate(self.action["runs"]["steps"]):
            name = step.get("name") or step.get("uses") or f"step {number}"
            if done and step.get("id") in done:
                context["steps"][step["id"]] = {"outputs": done[step["id"]]}
                continue
            if not self._evaluate(step.get("if", "success()"), context, run):
                run.steps.append(StepRun(name, ran=False))
                continue
            if "uses" in step:
                with_ = {key: self._substitute(_as_text(value), context, run) for key, value in step.get("with", {}).items()}
                try:
                    outputs = STAND_INS[step["uses"]](with_, run, self.workspace)
                    run.steps.append(StepRun(name, ran=True))
                except (OSError, ValueError, AssertionError) as exc:
                    outputs = {}
                    run.steps.append(StepRun(name, ran=True, returncode=1, stderr=str(exc)))
            else:
                outputs = self._shell(step, name, context, run, exported, path_entries, cwd or self.workspace)
            if "id" in step:
                context["steps"][step["id"]] = {"outputs": outputs}
                run.outputs[step["id"]] = outputs
        return run

    def _shell(self, step: dict, name: str, context: dict, run: ActionRun, exported: dict[str, str],
               path_entries: list[str], cwd: Path) -> dict[str, str]:
        assert step["shell"] == "bash"
        files = {key: self.temp / f"{key.lower()}-{len(run.steps)}" for key in ("GITHUB_ENV", "GITHUB_PATH",
                                                                                "GITHUB_OUTPUT")}
        for file in files.values():
            file.write_text("", encoding="utf-8")
        script = self.temp / f"step-{len(run.steps)}.sh"
        script.write_text(self._substitute(step["run"], context, run), encoding="utf-8")
        env = {**self.env, **exported, **{key: str(value) for key, value in files.items()},
               "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_ACTION_PATH": str(ROOT),
               "RUNNER_TEMP": str(self.temp), "GITHUB_STEP_SUMMARY": str(self.temp / "summary.md")}
        env.update({key: self._substitute(_as_text(value), context, run) for key, value in step.get("env", {}).items()})
        env["PATH"] = os.pathsep.join([*reversed(path_entries), env.get("PATH", "")])
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=step.get(
            "working-directory", cwd), env=env, capture_output=True, text=True, timeout=600)
        run.steps.append(StepRun(name, True, done.returncode, done.stdout, done.stderr))
        exported.update(_key_values(files["GITHUB_ENV"].read_text(encoding="utf-8")))
        path_entries += [line for line in files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines() if line]
        return _key_values(files["GITHUB_OUTPUT"].read_text(encoding="utf-8"))

    def _substitute(self, text: str, context: dict, run: ActionRun) -> str:
        return _EXPRESSION.sub(lambda match: _as_text(self._value(match.group(1), context, run)), text)

    def _evaluate(self, condition: str, context: dict, run: ActionRun) -> bool:
        inner = _EXPRESSION.fullmatch(condition.strip())
        return bool(self._value(inner.group(1) if inner else condition, context, run))

    def _value(self, expression: str, context: dict, run: ActionRun) -> Any:
        """GitHub's expressions as far as action.yml uses them: names, 'strings', ==, !=, !, &&, ||,
        parentheses, always() and success()."""
        calls = {"always": True, "success": not run.failed, "failure": run.failed}
        python, position = [], 0
        text = expression.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            assert match and match.end() > position, f"cannot read {text[position:]!r}"
            position = match.end()
            if match.group("string") is not None:
                python.append(repr(match.group("string")[1:-1].replace("''", "'")))
            elif match.group("call") is not None:
                python.append(repr(calls[match.group("call")]))
            elif match.group("name") is not None:
                python.append(repr(_lookup(context, match.group("name"))))
            else:
                python.append({"&&": " and ", "||": " or ", "!": " not "}.get(match.group("op"), match.group("op")))
        return eval("".join(python), {"__builtins__": {}})  # only literals and operators, built above


def _lookup(context: dict, name: str) -> Any:
    value: Any = context
    for part in name.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _key_values(text: str) -> dict[str, str]:
    """GITHUB_ENV / GITHUB_OUTPUT: `name=value` lines, and `name<<DELIMITER` ... `DELIMITER` blocks."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            block = []
            for item in lines:
                if item == delimiter:
                    break
                block.append(item)
            values[key] = "\n".join(block)
        elif "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values
