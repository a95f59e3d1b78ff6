"""Implementation benchmarks written as sentences: the frame of read with its own grammar.

`read_statement` reads a sentence into its parts (date, tool, percent, who, action);
`explain_sentence` says, in plain words, what was read, what is missing and the frame to use.
"""

from planlint.benchmark.explain import explain_sentence, sentence_holds
from planlint.benchmark.reader import FRAME, FRAME_EXAMPLE, PARTS, PERIOD_ENDS, Reading, read_statement

__all__ = ["FRAME", "FRAME_EXAMPLE", "PARTS", "PERIOD_ENDS", "Reading", "explain_sentence", "read_statement",
           "sentence_holds"]
