"""Measure the reviewer's outputs on a state's batch: the result cache's second run, and the HTML report's
size and the time Chromium takes to open it.

    python bench/verdict.py                       # 300 plans for the cache, 1,500 for the report
    python bench/verdict.py --cache-count 300 --report-count 1500 --runs 3

Each run of `planlint check` is a separate process, as a reviewer runs it; the cache lives in a
temporary folder, so the first run starts cold. The second run must print the same bytes.
The browser part needs Chromium, chromedriver and selenium, and is left out without them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus(folder: Path, count: int) -> Path:
    if not folder.is_dir() or len(list(folder.glob("*.yaml"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(folder), "--count", str(count), "--seed", "7"],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def check(folder: Path, output: Path, output_format: str, cache: Path | None) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANLINT_NO_CACHE", "PLANLINT_CACHE_DIR")}
    if cache is None:
        env["PLANLINT_NO_CACHE"] = "1"
    else:
        env["PLANLINT_CACHE_DIR"] = str(cache)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planlint", "check", "--no-config", "-f", output_format, "-o", str(output),
                    str(folder)], env=env, check=False)
    return time.perf_counter() - start


def measure_cache(folder: Path, runs: int) -> None:
    print(f"result cache, {len(list(folder.glob('*.yaml')))} plans, -f json:")
    ratios = []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            cache, first_out, second_out = Path(scratch) / "cache", Path(scratch) / "1.json", Path(scratch) / "2.json"
            first = check(folder, first_out, "json", cache)
            second = check(folder, second_out, "json", cache)
            same = first_out.read_bytes() == second_out.read_bytes()
            ratios.append(second / first)
            print(f"  run {run + 1}: first {first:.2f} s, second {second:.2f} s, ratio {second / first:.3f}, "
                  f"output {'byte-identical' if same else 'DIFFERENT'}")
    print(f"  best ratio {min(ratios):.3f}, worst {max(ratios):.3f}")


def measure_report(folder: Path, runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.html"
        took = check(folder, report, "html", None)
        size = report.stat().st_size
        print(f"HTML report, {len(list(folder.glob('*.yaml')))} plans: {size / 1e6:.1f} MB, written in {took:.1f} s")
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError:
            print("  (selenium is not installed: no browser timing)")
            return
        browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
        if not browser or not driver_path:
            print("  (no chromium and chromedriver: no browser timing)")
            return
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1000"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.execute_cdp_cmd("Performance.enable", {})
        try:
            for run in range(runs):
                driver.get("about:blank")
                before = _cpu(driver)
                start = time.perf_counter()
                driver.get(f"{report.as_uri()}?run={run}")  # returns when the page has loaded and its script ran
                loaded = time.perf_counter() - start
                cpu = _cpu(driver) - before
                timing = driver.execute_script(
                    "var t=performance.getEntriesByType('navigation')[0];"
                    "return [t.domContentLoadedEventEnd, t.loadEventEnd];")
                start = time.perf_counter()
                driver.find_element("css selector", "#f-verdict option[value='not met']").click()
                filtered = time.perf_counter() - start
                print(f"  open {run + 1}: {loaded:.2f} s to load (DOMContentLoaded {timing[0] / 1000:.2f} s, "
                      f"load {timing[1] / 1000:.2f} s; the page's main thread used {cpu:.2f} s of CPU); "
                      f"filter to not met {filtered:.2f} s")
        finally:
            driver.quit()


def _cpu(driver) -> float:
    """CPU time of the page's main thread: on a busy machine a steadier figure than the time on the clock."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next((m["value"] for m in metrics if m["name"] == "ThreadTime"), 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-count", type=int, default=300)
    parser.add_argument("--report-count", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    measure_cache(corpus(args.out / f"corpus-{args.cache_count}", args.cache_count), args.runs)
    measure_report(corpus(args.out / f"corpus-{args.report_count}", args.report_count), args.runs)


if __name__ == "__main__":
    main()
