"""planlint: check school-improvement plans against the criteria for a good plan."""

__version__ = "0.1.0"
