"""Plans whose verdicts the seeds decide, written as districts write them: the Louisiana example plan
and small changes to it, a Missouri plan, and a file that is not YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"
LOUISIANA = EXAMPLES / "strong-parish-2026.yaml"  # passes every check; one info finding (a tbd trajectory)
MISSOURI = EXAMPLES / "missouri-k12.yaml"
EIGHTH_MEASURE = HERE / "data" / "verdict" / "eighth-measure.yaml"


def louisiana(**changes: str) -> str:
    text = LOUISIANA.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def eight_measures() -> str:
    """The Louisiana plan with an eighth mission measure (chronic absence, where lower is better)."""
    extra = EIGHTH_MEASURE.read_text(encoding="utf-8")
    return louisiana(**{"\nstrategies:\n": "\n" + extra + "strategies:\n"})


def two_goals() -> str:
    """The Louisiana plan with measures that represent only two of LDOE's six critical goals."""
    text = louisiana(**{"goals: [ldoe.grade3-mastery, ldoe.grade8-mastery]": "goals: [ldoe.grade3-mastery]"})
    return text.replace("goals: [ldoe.college-career-credential, ldoe.tops-eligible]",
                        "goals: [ldoe.college-career-credential]")



def write_batch(folder: Path) -> Path:
    """A folder of five submissions: one clean but for an info finding, one with eight measures, one aligned
    with two of six goals, a Missouri plan, and one that cannot be read."""
    folder.mkdir(parents=True)
    (folder / "cypress-parish.yaml").write_text(LOUISIANA.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "eight-measures.yaml").write_text(eight_measures().replace(
        "Cypress Parish School System", "Bayou Teche Parish Schools"), encoding="utf-8")
    (folder / "two-goals.yaml").write_text(two_goals().replace(
        "Cypress Parish School System", "Sabine River Parish Schools"), encoding="utf-8")
    shutil.copy(MISSOURI, folder / "riverview-r-iv.yaml")
    (folder / "unreadable.yaml").write_text("system: {name: Broken Parish\nmeasures: [\n", encoding="utf-8")
    return folder
