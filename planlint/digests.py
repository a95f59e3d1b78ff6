"""SHA-256, with which the caches and reports name what they hold.

CPython's own SHA-256 (`_sha2`; `_sha256` before Python 3.12) computes what hashlib's does, and
importing it does not load OpenSSL, which took a cold `planlint check` about 5 ms of its start.
hashlib's serves where CPython was built without its own.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # type: ignore[import-not-found]
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found, no-redef]
    except ImportError:  # pragma: no cover - depends on how Python was built
        from hashlib import sha256  # type: ignore[assignment]

__all__ = ["sha256"]
