"""The JSON Schemas compile under Ajv's strict mode (what schema catalogues that editors read check
against): no unknown keyword, no ignored one, every type stated. Ajv itself runs, from the bundle in
tests/vendor, in V8 through mini-racer (the `test` extra): no Node.js, no download, no skip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from py_mini_racer import MiniRacer

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
AJV = Path(__file__).resolve().parent / "vendor" / "ajv2020.min.js"
# Compile a schema with Ajv's draft 2020-12 class, strict in every respect: "ok", or what Ajv refused.
COMPILE = """
function strictCompile(text) {
  const Ajv2020 = globalThis.ajv2020.default || globalThis.ajv2020;
  const ajv = new Ajv2020({strict: true, strictTypes: true, strictTuples: true, strictRequired: true,
                           allowUnionTypes: true, validateFormats: false});
  try { ajv.compile(JSON.parse(text)); return "ok"; } catch (e) { return e.message; }
}
"""


@pytest.fixture(scope="module")
def strict_compile():
    context = MiniRacer()
    context.eval("var window = globalThis;")  # the bundle registers itself on window, as in a browser
    context.eval(AJV.read_text(encoding="utf-8"))
    context.eval(COMPILE)
    return lambda text: context.call("strictCompile", text)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda path: path.name)
def test_every_schema_compiles_under_ajv_strict_mode(strict_compile, schema: Path):
    assert strict_compile(schema.read_text(encoding="utf-8")) == "ok"


def test_the_schemas_are_the_five_planlint_ships():
    assert [path.name for path in SCHEMAS] == ["config.schema.json", "framework.schema.json", "plan.schema.json",
                                               "rubric.schema.json", "rule.schema.json"]


def test_ajv_strict_mode_rejects_a_custom_keyword(strict_compile):
    # the check can fail: the keyword the schemas used before is what strict mode refuses
    schema = json.loads(SCHEMAS[0].read_text(encoding="utf-8"))
    schema["x-expect"] = "anything"
    assert strict_compile(json.dumps(schema)) == 'strict mode: unknown keyword: "x-expect"'
