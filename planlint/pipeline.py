"""The pipeline for one file and for many: read -> load -> schema -> rules -> suppressions -> findings."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path as FsPath
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from planlint import patterns
from planlint.config import (
    CONFIG_NAMES, Config, Profile, Resolver, build_profile, find_config, load_config, matches_pattern,
)
from planlint.core_codes import CORE_CODES, core_finding
from planlint.config_error import ConfigError
from planlint.discovery import is_plan, skipped_finding
from planlint.facts import plan_facts
from planlint.findings import (
    FILE_START, FileResult, Finding, Path, Results, relative_path, shown_name, sort_findings, sort_results,
)
from planlint.frozen import frozen
from planlint.identity import Anchors
from planlint.input_guards import LoadLimits, read_plan, read_stream
from planlint.loader import load_bytes
from planlint.planinfo import plan_info
from planlint.printable import excerpt_source
from planlint.prepare import for_rules, school_year_readings
from planlint.resultcache import ResultCache
from planlint.rubric import judge
from planlint.schema import validate_plan
from planlint.suppressions import apply_suppressions

STDIN = "-"
Progress = Callable[[int, int, str], None]
PLAN_SUFFIXES = (".yaml", ".yml")

@frozen
class Target:
    """A file to check: the name findings show, and where its bytes come from."""

    name: str
    path: FsPath | None  # None: standard input
    found_in: str | None = None  # the folder argument it was found in; None when named
    named_as: FsPath | None = None  # standard input's --stdin-filename: its configuration and patterns apply

    @property
    def place(self) -> FsPath | None:
        """Where the file is, or stands, for configuration discovery and file patterns."""
        return self.path or self.named_as


@frozen
class Settings:
    """What the command line asked for; picklable, so that worker processes can rebuild profiles."""

    config_file: FsPath | None = None
    isolated: bool = False  # ignore configuration files
    overrides: tuple[tuple[str, Any], ...] = ()  # config keys set on the command line
    exclude: tuple[str, ...] = ()  # --exclude patterns, relative to the working folder
    cache_dir: str | None = None  # where results are cached; None: no cache
    force_exclude: bool = False  # exclude files named on the command line too (a hook names every file)
    charts: bool = True  # keep each measure's chart data, which only the HTML report draws

    def override(self, config: Config) -> Config:
        if not self.overrides:
            return config
        return replace(config, data={**config.data, **dict(self.overrides)},
                       command_line=frozenset(key for key, _ in self.overrides))


# Set by the command's entry point (planlint.__main__): this process is one command's run.
PROFILES_LAST_THE_PROCESS = False


class Profiles:
    """One Profile per configuration file, built on first use.

    `lasting`: the profiles live as long as the process, as in a command's run (not in the language
    server's session, which builds new ones as configurations change, nor where planlint is called as
    a library): each is then frozen once built, out of the cyclic collector's sight, which would
    otherwise scan its tens of thousands of objects again at its next collections (about 30 ms of a
    single file's check). By default, whether the command's entry point started the process."""

    def __init__(self, settings: Settings, *, lasting: bool | None = None) -> None:
        for pattern in settings.exclude:  # found before any file is walked, as a config's are
            problem = patterns.pattern_problem(pattern)
            if problem is not None:
                raise ConfigError(f"--exclude: {problem}")
        self.settings = settings
        self.lasting = PROFILES_LAST_THE_PROCESS if lasting is None else lasting
        self._built: dict[FsPath | None, Profile] = {}
        self._config_paths: dict[FsPath, FsPath | None] = {}  # by folder as given: a batch's files share a few
        self.cache = ResultCache(FsPath(settings.cache_dir)) if settings.cache_dir else None

    def config_path(self, folder: FsPath) -> FsPath | None:
        if self.settings.isolated:
            return None
        if self.settings.config_file:
            return self.settings.config_file
        if folder not in self._config_paths:  # resolved once a folder, not once a file
            self._config_paths[folder] = find_config(folder.resolve())
        return self._config_paths[folder]

    def for_folder(self, folder: FsPath) -> Profile:
        path = self.config_path(folder)
        if path not in self._built:
            with _collector_paused(freeze=self.lasting):
                config = load_config(path) if path is not None else Config()
                self._built[path] = build_profile(self.settings.override(config))
        return self._built[path]

    def built(self) -> list[Profile]:
        return list(self._built.values())

    def for_target(self, target: Target) -> Profile:
        return self.for_folder(target.place.parent if target.place is not None else FsPath.cwd())


@contextmanager
def _collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """A profile is tens of thousands of objects that last as long as the run, and few of them garbage: the
    cyclic collector, run meanwhile, would only scan them again and again. `freeze`: what was made is
    never scanned again (the little garbage among it is kept until the process ends)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_on:
            gc.enable()


def discover(paths: Sequence[str], *, stdin_name: str = "<stdin>",
             resolve: Resolver | None = None) -> tuple[list[Target], list[FileResult]]:
    """Expand files and folders into targets; a path that does not exist becomes a finding. `resolve`: the
    run's Resolver, which exclusion then asks again for the same paths."""
    targets: dict[str, Target] = {}
    missing: list[FileResult] = []
    resolve = resolve or Resolver()
    for raw in paths:
        if raw == STDIN:
            named_as = FsPath(stdin_name) if stdin_name != "<stdin>" else None
            targets.setdefault(STDIN, Target(stdin_name, None, named_as=named_as))
            continue
        path = FsPath(raw)
        if path.is_dir():
            for found in _walk(path):
                targets.setdefault(_key(found, resolve), Target(shown_name(str(found)), found, found_in=raw))
        elif path.name in CONFIG_NAMES:
            continue  # a configuration file named by a hook that passes every YAML file
        elif path.exists() or path.is_symlink():
            key = _key(path, resolve)
            if key not in targets or targets[key].found_in is not None:  # named beats found in a folder
                targets[key] = Target(shown_name(raw), path)
        else:
            finding = core_finding("PL001", shown_name(raw), "No such file or folder.", FILE_START)
            missing.append(FileResult(shown_name(raw), (finding,)))
    return sorted(targets.values(), key=lambda t: t.name), missing


def _key(path: FsPath, resolve: Resolver) -> str:
    """One key per file, however it is reached; a link that loops keeps its own name."""
    return str(resolve(path))


def _walk(folder: FsPath) -> Iterable[FsPath]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(PLAN_SUFFIXES) and not name.startswith("."):
                yield FsPath(root) / name


def read_target(target: Target, limits: LoadLimits, stdin: Any = None) -> bytes | Finding:
    """The bytes of a plan, never more than one past the size limit; pipes and devices are findings."""
    if target.path is None:
        return read_stream(stdin, target.name, limits) if stdin is not None else b""
    return read_plan(target.path, target.name, limits)


def check_bytes(raw: bytes, name: str, profile: Profile, *, path: FsPath | None = None,
                charts: bool = True) -> FileResult:
    """One plan's result. Without `charts` its measures' chart data are left out: only the HTML report
    draws them, and a batch of thousands of plans would hold them all until it is written."""
    loaded = load_bytes(raw, name, profile.limits)
    findings = list(loaded.findings)
    document = loaded.document
    shown = years_read = None
    if document is not None:
        shown, years_read = school_year_readings(document, profile.plan_schema)
        schema = validate_plan(years_read, name, profile.plan_schema)
        findings.extend(schema.findings)
        judged = for_rules(document, schema.rejected, profile.plan_schema, years_read=shown)
        findings.extend(profile.engine.run(judged, name, plan_facts(judged.data, name, profile.engine.facts)))
    ignored = profile.ignored_for(path)
    incomplete = schema.incomplete if document is not None else frozenset()
    findings = [_with_severity(f, profile) for f in _one_per_problem(findings, incomplete)
                if f.code not in ignored]
    kept, suppressed = apply_suppressions(findings, document, name)
    if document is not None:
        anchors = Anchors(document.data)
        kept = [replace(f, anchor=anchors(f.path)) if _has_index(f.path) else f for f in kept]
    info = plan_info(shown.data, charts=charts) if shown is not None else None
    verdicts = judge(profile.rubric, info, kept, profile.active_codes - ignored) if profile.rubric else ()
    source = excerpt_source(loaded.text, [(f.span.line, f.span.end_line) for f in kept])
    return FileResult(name, sort_findings(kept), suppressed=suppressed, fail_on=profile.fail_on, source=source,
                      plan=info, verdicts=verdicts)


def _has_index(path: Path) -> bool:
    return any(isinstance(part, int) for part in path)


def _with_severity(finding: Finding, profile: Profile) -> Finding:
    severity = profile.severities.get(finding.code)
    return finding if severity is None or severity is finding.severity else replace(finding, severity=severity)


def _one_per_problem(findings: list[Finding], incomplete: frozenset[Path] = frozenset()) -> list[Finding]:
    """One finding per problem. A value the schema rejects (`"56%"` where a number belongs) needs no
    second, milder PL007, and a number too long to read (PL001) no PL003; and rules do not judge a list item (a measure, a benchmark) the schema
    rejected (its own fields; items nested in it are judged), since what they would say follows
    from that error: fix it, and they judge it again. An item that only lacks a required key
    (`incomplete`) is still judged by every rule: a goal still in words leaves the rest of its
    measure to check."""
    rejected = {f.path for f in findings if f.code == "PL003"} - incomplete
    unreadable = {f.path for f in findings if f.code == "PL001" and f.path}  # a number planlint cannot read
    broken = {_item(path) for path in rejected} - {()}
    return [f for f in findings
            if not (f.code == "PL007" and f.path in rejected)
            and not (f.code == "PL003" and f.path in unreadable)
            and not (f.code not in CORE_CODES and _item(f.path) in broken)]


def _item(path: Path) -> Path:
    """The innermost list item a path lies in: ("measures", 1, "trajectory", "2024") -> ("measures", 1)."""
    last = max((i for i, part in enumerate(path) if isinstance(part, int)), default=-1)
    return path[:last + 1]


def _kept(targets: Sequence[Target], profiles: Profiles, resolve: Resolver) -> list[Target]:
    """Files found in a folder, less those excluded; named files too with --force-exclude."""
    force = profiles.settings.force_exclude
    return [t for t in targets if not ((t.found_in is not None or force) and _excluded(t, profiles, resolve))]


def _excluded(target: Target, profiles: Profiles, resolve: Resolver) -> bool:
    if target.place is None:
        return False
    if any(matches_pattern(relative_path(str(target.place)), p) for p in profiles.settings.exclude):
        return True
    return profiles.for_target(target).excludes(target.place, resolve=resolve)


def _no_plans_in(paths: Sequence[str], targets: Sequence[Target]) -> None:
    """A folder with no plan to check is a mistake worth stopping for (a mistyped path in CI)."""
    used = {t.found_in for t in targets}
    for raw in paths:
        if raw != STDIN and raw not in used and FsPath(raw).is_dir():
            raise ConfigError(f"{raw}: there is no plan file (*.yaml, *.yml) to check in this folder"
                              " (hidden folders, rule folders, framework files, `exclude:` and YAML files that are"
                              " not plans are passed over).")


def check_target(target: Target, profiles: Profiles, stdin: Any = None) -> FileResult | None:
    """The file's result; None for a YAML file that is not a plan (standard input is always a plan)."""
    profile = profiles.for_target(target)
    raw = read_target(target, profile.limits, stdin)
    if isinstance(raw, Finding):
        verdicts = judge(profile.rubric, None, (raw,), profile.active_codes) if profile.rubric else ()
        return FileResult(target.name, (raw,), fail_on=profile.fail_on, verdicts=verdicts)
    if target.path is not None and not is_plan(raw):
        if target.found_in is None and profile.report_skipped:
            return FileResult(target.name, (skipped_finding(target.name),), fail_on=profile.fail_on)
        return None
    if profiles.cache is None or target.path is None:
        return check_bytes(raw, target.name, profile, path=target.place, charts=profiles.settings.charts)
    key = profiles.cache.key(profile, target.name, target.path, raw)
    result = profiles.cache.get(key)
    if result is None:  # an entry keeps the charts, so that one entry serves every report
        result = check_bytes(raw, target.name, profile, path=target.place)
        profiles.cache.put(key, result)
    return result if profiles.settings.charts else _without_charts(result)


def _without_charts(result: FileResult) -> FileResult:
    if result.plan is None or not result.plan.measures:
        return result
    return replace(result, plan=replace(result.plan, measures=()))


def plan_targets(paths: Sequence[str], profiles: Profiles, *, stdin_name: str = "<stdin>") -> list[Target]:
    """The files a check would judge, in order: found and named, less excluded files and non-plans."""
    targets, _ = select_targets(paths, profiles, stdin_name=stdin_name)
    return [t for t in targets if t.path is None or _reads_as_plan(t, profiles)]


def _reads_as_plan(target: Target, profiles: Profiles) -> bool:
    raw = read_target(target, profiles.for_target(target).limits)
    return isinstance(raw, Finding) or is_plan(raw)


def select_targets(paths: Sequence[str], profiles: Profiles, *,
                   stdin_name: str = "<stdin>") -> tuple[list[Target], list[FileResult]]:
    """The files a run reads (named and found, less excluded ones), and a finding for each path that
    does not exist; a YAML file that is not a plan is passed over when it is read (is_plan)."""
    resolve = Resolver()  # each path resolved once for discovery and exclusion, and let go once they are done
    targets, missing = discover(paths, stdin_name=stdin_name, resolve=resolve)
    return _kept(targets, profiles, resolve), missing


def check_paths(paths: Sequence[str], profiles: Profiles, *, stdin: Any = None,
                stdin_name: str = "<stdin>", jobs: int = 1, progress: Progress | None = None) -> Results:
    """Check every plan; with jobs > 1 files are checked in worker processes. The results are sorted,
    so the output is the same whatever the order of paths or the number of workers. `progress` is told
    of each file as it is done: (done, total, file)."""
    targets, missing = select_targets(paths, profiles, stdin_name=stdin_name)
    files = [t for t in targets if t.path is not None]
    results: list[FileResult | None] = [check_target(t, profiles, stdin) for t in targets if t.path is None]
    workers = min(jobs if jobs > 0 else (os.cpu_count() or 1), len(files) // _MIN_FILES_PER_WORKER)
    if workers > 1:
        for folder in dict.fromkeys(t.path.parent for t in files):  # in the files' order, as one process meets them
            profiles.for_folder(folder)  # configuration errors surface here, before any worker starts
        checked = _in_workers(files, profiles, workers)
    else:
        checked = (check_target(t, profiles) for t in files)
    for done, (target, result) in enumerate(zip(files, checked), start=1):
        results.append(result)
        if progress is not None:
            progress(done, len(files), target.name)
        if profiles.lasting and done % _SETTLE_EVERY == 0:
            _settle()
    kept = [result for result in results if result is not None]
    names = {result.file for result in kept}
    _no_plans_in(paths, [t for t in targets if t.name in names])
    return sort_results(kept + missing)


_MIN_FILES_PER_WORKER = 8  # below this, starting processes costs more than it saves
_SETTLE_EVERY = 64  # files


def _settle() -> None:
    """Results kept until the batch ends: the cyclic collector's full passes would scan them all, again
    and again as they grow (40 full passes, 5% of the time of a 2,000-plan batch). Collected once, then
    frozen, they are never scanned again; plain values, they need no collector to be freed."""
    gc.collect()
    gc.freeze()


_WORKER_PROFILES: Profiles | None = None


def collect_less_often() -> None:
    """A plan's check makes and drops thousands of containers. At the collector's default threshold (700)
    its young generation is scanned several times a plan, 2.5% of a batch's work; at 10,000 it is a tenth of
    that, for a little more memory held between passes."""
    gc.set_threshold(_YOUNG_GENERATION, *gc.get_threshold()[1:])


_YOUNG_GENERATION = 10_000  # containers made and not yet freed, between passes of the cyclic collector


def _start_worker(settings: Settings) -> None:
    global _WORKER_PROFILES
    collect_less_often()
    _WORKER_PROFILES = Profiles(settings, lasting=True)


def _inherit_profiles(profiles: Profiles) -> None:
    """A forked worker starts with the profiles its parent built, instead of building them again."""
    global _WORKER_PROFILES
    _WORKER_PROFILES = profiles


def _check_in_worker(chunk: Sequence[Target]) -> list[FileResult | None]:
    assert _WORKER_PROFILES is not None
    return [check_target(target, _WORKER_PROFILES) for target in chunk]


_SHARES_PER_WORKER = 4  # a chunk is at most a quarter of one worker's share of the files left
_MAX_CHUNK = 32  # files; the progress line moves on at least this often


def _chunks(targets: Sequence[Target], workers: int) -> list[Sequence[Target]]:
    """The files in order, cut into chunks that shrink as the batch runs out (guided scheduling), down to one
    file: the workers finish within a file of each other. Equal chunks (an eighth of a worker's share, two
    seconds of work each in a batch of 2,000 plans) left one worker checking its last chunk while the other,
    done, waited: about half a second, and up to two when a busy machine ran one worker slower. A chunk costs
    the parent up to a millisecond to send and receive, so not every file is one."""
    chunks = []
    start = 0
    while start < len(targets):
        size = min(_MAX_CHUNK, max(1, (len(targets) - start) // (workers * _SHARES_PER_WORKER)))
        chunks.append(targets[start:start + size])
        start += size
    return chunks


def _in_workers(targets: list[Target], profiles: Profiles, workers: int) -> Iterator[FileResult | None]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # A forked worker has its parent's memory, profiles already built included; a spawned one is
    # given the settings and builds its own.
    forked = "fork" in multiprocessing.get_all_start_methods()
    start: tuple[Any, tuple[Any, ...]] = (_inherit_profiles, (profiles,)) if forked else \
        (_start_worker, (profiles.settings,))
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork" if forked else "spawn"),
                             initializer=start[0], initargs=start[1]) as pool:
        try:
            for results in pool.map(_check_in_worker, _chunks(targets, workers)):
                yield from results
        except BrokenProcessPool:
            raise ConfigError(f"a worker process stopped before the batch was checked (the system may have ended it "
                              f"for lack of memory), so no result is shown. Run again with fewer workers: "
                              f"-j {max(1, workers // 2)}.") from None
