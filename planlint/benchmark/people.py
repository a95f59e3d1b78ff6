"""Who a benchmark is about, from the words of `who`: the head word of each group it names.

"teachers of students with disabilities" is about teachers, "students who tested below grade
level" about students. IB002 takes its own word lists as options; these are the defaults.
"""

from __future__ import annotations

import re

STUDENT_WORDS = ("student", "learner", "scholar", "child", "pupil", "kid", "youth", "graduate",
                 "senior", "junior", "sophomore", "freshman", "kindergartner", "kindergartener",
                 "grader", "advisee", "mentee", "ell", "el")
ADULT_WORDS = ("teacher", "educator", "coach", "staff", "leader", "principal", "administrator",
               "counselor", "advisor", "adviser", "interventionist", "paraprofessional", "aide",
               "specialist", "tutor", "mentor", "faculty", "instructor", "librarian", "nurse",
               "psychologist", "worker", "coordinator", "director", "superintendent", "family",
               "parent", "guardian", "caregiver", "adult", "employee", "team", "department",
               "board", "volunteer")
# Words after which a group's name ends: "teachers of ...", "students who ...".
_CLAUSE_WORDS = frozenset("who whom whose that which of in at from with within across on for by "
                          "to under over whom".split())
_CONJUNCTIONS = re.compile(r",|;|&|\band\b|\bor\b|/", re.IGNORECASE)
_IRREGULAR = {"children": "child", "people": "person", "freshmen": "freshman", "men": "man",
              "women": "woman", "staff": "staff", "faculty": "faculty", "alumni": "alumnus"}


def singular(word: str) -> str:
    """A plural noun in its singular form, lower case: teachers -> teacher, families -> family."""
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


def group_of(who: str, students: frozenset[str], adults: frozenset[str]) -> str | None:
    """'students', 'adults', 'both' or None (no word of either list) for the people `who` names."""
    found = set()
    for group in _CONJUNCTIONS.split(who):
        for word in reversed(_group_words(group)):
            if word in adults or word in students:
                found.add("adults" if word in adults else "students")
                break
    if len(found) == 2:
        return "both"
    return found.pop() if found else None


def _group_words(group: str) -> list[str]:
    """The words that name a group, up to the first word of a clause about it."""
    words = []
    for word in re.findall(r"[A-Za-z][A-Za-z'\-]*", group):
        if word.lower() in _CLAUSE_WORDS and words:
            break
        words.append(singular(word))
    return words
