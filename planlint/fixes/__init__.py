"""`planlint fix`: the findings with one right answer, mended in the plan's own text.

FIXERS is the registry: a rule code -> how its findings are fixed. A code not in it has no fix.
"""

from __future__ import annotations

from planlint.fixes.base import Fixer
from planlint.fixes.targets import fill_trajectory, restate_projection
from planlint.fixes.values import drop_unit, quote_trap

FIXERS: dict[str, Fixer] = {
    "PL003": Fixer("a number written with its unit (`45%`, `4.5 pts`) where the plan format wants a number "
                   "becomes the number (45), in a measure whose unit is a percent or points, or in a "
                   "benchmark's target or result.", 0, drop_unit),
    "PL007": Fixer("a value other YAML tools read differently (`036`, `yes`) is quoted (\"036\") where the plan "
                   "format wants text; where a number or true/false would fit too, it is left for you.",
                   0, quote_trap),
    "TGT002": Fixer("each missing year between two years of the trajectory gets the straight-line value between "
                    "them, rounded as they are written (2024: 85, 2026: 89 gives 2025: 87); a year before the "
                    "first or after the last is not guessed.", 1, fill_trajectory),
    "TGT005": Fixer("the stated projection becomes the one the guide's formula gives from the history, the number "
                    "`planlint forecast` prints.", 1, restate_projection),
}
