"""The caches' and reports' SHA-256: hashlib's answers, without loading OpenSSL on a quick check."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planlint.digests import sha256

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "strong-parish-2026.yaml"


@pytest.mark.parametrize("data", [b"", b"planlint", "mesure de l'année 2025-26".encode(), bytes(range(256)) * 300])
def test_the_digest_is_hashlibs(data: bytes) -> None:
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert sha256(data).digest() == hashlib.sha256(data).digest()
    grown = sha256()
    for start in range(0, len(data), 1000):
        grown.update(data[start:start + 1000])
    assert grown.hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_check_of_one_plan_loads_neither_hashlib_nor_openssl(tmp_path: Path) -> None:
    """A pre-commit hook checks one plan at a time: loading OpenSSL cost each run about 5 ms of its start."""
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(EXAMPLE, plan)
    code = ("import runpy, sys\n"
            "sys.argv = ['planlint', 'check', 'plan.yaml']\n"
            "try:\n"
            "    runpy.run_module('planlint', run_name='__main__')\n"
            "except SystemExit as done:\n"
            "    print('exit', done.code)\n"
            "print('loaded:', sorted(m for m in ('hashlib', '_hashlib', 'ssl') if m in sys.modules))\n")
    env = {"PLANLINT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "", "HOME": str(tmp_path)}
    runs = []
    for edit in range(2):  # the first run compiles the rules and caches them, as a new install's first run does
        plan.write_text(EXAMPLE.read_text(encoding="utf-8") + f"# edit {edit}\n", encoding="utf-8")
        runs.append(subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                                   text=True, timeout=120))
    edited = runs[-1]  # the rules read from their cache, the plan checked anew: a hook's usual run
    assert "exit 0" in edited.stdout and "TGT008" in edited.stdout, edited.stdout + edited.stderr
    assert "loaded: []" in edited.stdout, edited.stdout + edited.stderr
    assert len(list((tmp_path / "cache").rglob("*"))) > 2  # results were cached, so their keys were computed
