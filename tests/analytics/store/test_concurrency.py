"""Real processes side by side: a busy app process and command-line readers and writers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics.store import open_database

ROOT = Path(__file__).resolve().parents[3]

# An app process that never idles long enough to close (60 s): two threads asking the shared
# connection one query after another (a short pause each, so the machine's two cores stay usable).
BUSY_APP = """
import sys, threading, time
from analytics.filters import Filters
from analytics.queries.overview import kpis
from analytics.store.lease import SharedConnection
shared = SharedConnection(sys.argv[1], idle_seconds=60)
answered = [0]
counting = threading.Lock()
def serve():
    while True:
        with shared.cursor() as cur:
            kpis(cur, Filters())
        with counting:
            answered[0] += 1
            if answered[0] == 5:
                print("serving", flush=True)
        time.sleep(0.02)
for _ in range(2):
    threading.Thread(target=serve, daemon=True).start()
for line in sys.stdin:  # any line: report how many requests were answered, then stop
    print(answered[0], flush=True)
    break
"""


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.slow
def test_cli_reads_and_imports_while_an_app_process_serves(demo_db: Path, demo_db_copy: Path, tmp_path: Path) -> None:
    csv = tmp_path / "export.csv"
    with open_database(demo_db) as con:
        con.execute(
            "COPY (SELECT 'T' || complaint_id AS complaint_id, received_at, kind, county, title, content"
            f" FROM complaints LIMIT 3000) TO '{csv}' (HEADER)"
        )
    app = subprocess.Popen(
        [sys.executable, "-c", BUSY_APP, str(demo_db_copy)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None and app.stdin is not None
        assert app.stdout.readline().strip() == "serving"
        info = _cli("info", "--db", str(demo_db_copy), "--json")
        assert info.returncode == 0, info.stderr
        imported = _cli("import", str(csv), "--db", str(demo_db_copy), "--source", "12345")
        assert imported.returncode == 0, imported.stderr
        assert "imported 3,000" in imported.stdout
        batches = _cli("batches", "--db", str(demo_db_copy))
        assert batches.returncode == 0 and "imported 3,000" in batches.stdout
        app.stdin.write("report\n")
        app.stdin.flush()
        served = int(app.stdout.readline())
        assert app.poll() is None or app.returncode == 0  # the app never failed a request
    finally:
        app.kill()
        app.wait()
    assert served > 5  # and it went on answering around the commands' turns
    with open_database(demo_db_copy) as con:
        assert con.execute("SELECT count(*) FROM complaints WHERE complaint_id LIKE 'T%'").fetchone()[0] == 3000
