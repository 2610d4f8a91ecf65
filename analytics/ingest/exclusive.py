"""One writer of imported data at a time.

Every import and batch rollback runs inside ``import_lock()``. Within one process (the app's
sessions are threads sharing one DuckDB database) the lock serialises them, so the second of two
simultaneous imports of one file starts after the first committed and counts its rows as
duplicates instead of inserting them again, and ids are allocated (max + n) by one writer at a
time. The database enforces the same rules (primary key on ``complaints.id``, unique
``dedupe_key``: migration 0006), so a writer that bypasses this lock fails instead of duplicating.
Coordination between processes (the command line beside the app) wraps this one function.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()


@contextmanager
def import_lock() -> Iterator[None]:
    """Hold the process-wide import lock for the duration of one import or rollback."""
    with _LOCK:
        yield
