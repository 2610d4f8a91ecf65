"""An uploaded file on disk only while it is read, readable only by this process's user.

Readers need a path (workbooks are opened by name). Uploads hold complaints with personal data,
so a copy is written into a fresh private directory (0700, from ``tempfile.mkdtemp``) with mode
0600 and removed, directory and all, when the block ends, whether the import succeeded or not.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_copy(name: str, data: bytes) -> Iterator[Path]:
    """``data`` as a file named like the upload (its extension matters to nobody but the analyst)."""
    folder = Path(tempfile.mkdtemp(prefix="hotspot_upload_"))
    try:
        path = folder / (Path(name).name or "upload")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
