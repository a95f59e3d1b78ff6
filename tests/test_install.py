"""A built wheel, installed into a fresh virtual environment, checks plans from any directory:
the rules, schemas and frameworks ship inside the package."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "-w", str(work / "dist"), str(ROOT)], check=True, cwd=work)
    # The new environment sees the dependencies installed in the running one (not the system
    # Python's), so the install needs no network: a .pth file lists the running environment's
    # package folders, which Python appends after the new environment's own.
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(work / "venv")
    python = work / "venv" / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "running-environment.pth").write_text("\n".join(_package_folders()) + "\n")
    wheel = next((work / "dist").glob("planlint-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True, cwd=work)
    # Read now, before any test's run of the package could write bytecode of its own.
    unwritten = subprocess.run([str(python), "-B", "-c", "import importlib.util, pathlib, planlint; "
                                "root = pathlib.Path(planlint.__file__).parent; "
                                "print('\\n'.join(str(p) for p in root.rglob('*.py') "
                                "if not pathlib.Path(importlib.util.cache_from_source(str(p))).is_file()))"],
                               capture_output=True, text=True, cwd=work, check=True).stdout
    (work / "without-bytecode.txt").write_text(unwritten)
    return work


def _package_folders() -> list[str]:
    """The folders the running interpreter imports installed packages from, never the checkout."""
    return [entry for entry in dict.fromkeys(sys.path)
            if entry and Path(entry).name in ("site-packages", "dist-packages") and Path(entry).is_dir()]


def run(installed: Path, *args: str) -> subprocess.CompletedProcess:
    elsewhere = installed / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run([str(installed / "venv" / "bin" / "planlint"), *args], capture_output=True, text=True,
                          cwd=elsewhere, env={"PATH": "/usr/bin:/bin", "PLANLINT_NO_CACHE": "1"})


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path):
    done = subprocess.run([str(installed / "venv" / "bin" / "python"), "-c",
                           "import planlint.resources as r; print(r.rules_dir())"],
                          capture_output=True, text=True, cwd=installed)
    assert done.stdout.strip().startswith(str(installed / "venv")), done.stdout + done.stderr
    assert done.stdout.strip().endswith("planlint/_data/rules")


def test_the_installed_command_checks_plans_from_another_directory(installed: Path):
    good = run(installed, "check", str(ROOT / "examples" / "missouri-k12.yaml"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout == "Checked 1 file: no problems found.\n"
    bad = run(installed, "check", "--concise", str(ROOT / "examples" / "broken" / "mo-participation.yaml"))
    assert bad.returncode == 1 and "MO003 error" in bad.stdout


def test_the_installed_command_has_every_rule_schema_and_framework(installed: Path):
    rules = run(installed, "rules").stdout
    for code in ("PL004", "MKR001", "TGT011", "IB008", "PM006", "MO005"):
        assert code in rules
    assert '"$id": "urn:planlint:schema:framework:1"' in run(installed, "schema", "--kind", "framework").stdout
    assert "msip5" in run(installed, "frameworks").stdout


def test_the_installed_package_starts_from_bytecode(installed: Path):
    """A hook's cold start pays for compiling any module without bytecode, on every call where Python
    cannot write it (a read-only environment, PYTHONDONTWRITEBYTECODE): installing the wheel writes it
    for every module."""
    unwritten = (installed / "without-bytecode.txt").read_text().strip()
    assert unwritten == "", f"modules installed without bytecode:\n{unwritten}"
