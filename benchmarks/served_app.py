"""A Streamlit script served for real on a free local port, for the browser test and benchmark.

``serve(script, env)`` starts ``streamlit run`` in its own process group (so ending it ends its
children only), waits for ``/_stcore/health`` and stops it politely afterwards. Chromium is Debian's
(``make browser-deps``); Playwright's own browser download is never used.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HOTSPOT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 90  # seconds for the server to answer /_stcore/health


class ServerDidNotStart(RuntimeError):
    """The server exited or stayed silent; the message ends with its log."""


@dataclass(frozen=True)
class Served:
    url: str
    pid: int  # the server process: its CPU time is the app's own


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    """End the server we started (its own process group), politely first."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve(script: Path | str, env: dict[str, str], log: Path) -> Iterator[Served]:
    """``streamlit run script`` on 127.0.0.1 with ``env`` added to this process's, its output in ``log``."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(script),
                "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so _stop ends it and its children only
        )  # fmt: skip
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    out.flush()
                    raise ServerDidNotStart(f"streamlit did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
            yield Served(url, proc.pid)
        finally:
            _stop(proc)
