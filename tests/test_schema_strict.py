"""The JSON Schemas compile under Ajv's strict mode (what schema catalogues that editors read check
against): no unknown keyword, no ignored one, every type stated. Needs Node.js and the ajv package
(.ci/run installs it); without them the test is skipped, and says why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from prerequisites import missing

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
# Compile each schema given on the command line with Ajv's draft 2020-12 class, strict in every respect.
SCRIPT = """
const Ajv2020 = require("ajv/dist/2020").default;
const fs = require("fs");
let failed = 0;
for (const file of process.argv.slice(1)) {
  const ajv = new Ajv2020({strict: true, strictTypes: true, strictTuples: true, strictRequired: true,
                           allowUnionTypes: true, validateFormats: false});
  try { ajv.compile(JSON.parse(fs.readFileSync(file, "utf8"))); console.log("ok " + file); }
  catch (e) { failed = 1; console.log("FAIL " + file + ": " + e.message); }
}
process.exit(failed);
"""


def _node_path() -> str | None:
    """Where ajv is installed: NODE_PATH (as .ci/run sets it), else node's own search."""
    node = shutil.which("node")
    if node is None:
        return None
    probe = subprocess.run([node, "-e", "require.resolve('ajv/dist/2020')"], capture_output=True, env=os.environ)
    return node if probe.returncode == 0 else None


@pytest.fixture(scope="module")
def node() -> str:
    found = _node_path()
    if found is None:
        missing("Node.js with the ajv package is not installed (.ci/run installs it: npm install ajv@8, "
                    "NODE_PATH pointing at its node_modules)")
    return found


def test_every_schema_compiles_under_ajv_strict_mode(node: str):
    done = subprocess.run([node, "-e", SCRIPT, *map(str, SCHEMAS)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok ") == len(SCHEMAS) == 5


def test_ajv_strict_mode_rejects_a_custom_keyword(node: str, tmp_path: Path):
    # the check can fail: the keyword the schemas used before is what strict mode refuses
    schema = json.loads(SCHEMAS[0].read_text(encoding="utf-8"))
    schema["x-expect"] = "anything"
    (tmp_path / "custom.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    done = subprocess.run([node, "-e", SCRIPT, str(tmp_path / "custom.schema.json")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and 'unknown keyword: "x-expect"' in done.stdout
