"""Topics and events computed in the background, so no page waits on a model fit.

After an import (the 数据导入 page or the ``import`` command) ``start`` launches
``python -m analytics topics --db DB`` as a detached subprocess: the same command an analyst runs.
That command (``refresh_topics``) holds the database only to read and to store, in turns with the
app (analytics/store/locking.py), never while the model is fitted:

1. read (write turn, seconds): tokenise new complaints; reuse the current run, or read what the
   incremental path needs (the new complaints and those near them in time), or else the corpus;
2. compute (no database held): the incremental path assigns the new complaints to the run's topics
   and finds the events near them again (seconds); a refit fits topics and events (minutes)
   (``topics.engine.compute``);
3. store (write turn, seconds): keep the earlier topic and event ids, save the new run.

Progress is a small JSON file beside the database that this module owns (``<db>.refresh.json``:
state, stage, times, message, pid); pages read it with ``progress`` and show what is stored
meanwhile. Refreshes of one database take turns on ``<db>.refresh.lock``, so a second import
during a fit queues one more refresh, which then extends the new run.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from analytics.errors import UserError
from analytics.store.access import open_database
from analytics.store.connection import database_path

ROOT = Path(__file__).resolve().parents[1]
ACTIVE = ("queued", "running")


@dataclass(frozen=True)
class Progress:
    """The background job's last word: state queued / running / done / failed, stage in Chinese."""

    state: str
    stage: str
    updated: str
    message: str
    pid: int

    @property
    def active(self) -> bool:
        """Queued or running, by a process that is still alive (a killed job is not waited for)."""
        return self.state in ACTIVE and _alive(self.pid)

    def describe(self) -> str:
        if self.active:
            return f"话题与事件正在后台计算：{self.stage}（更新于 {self.updated[11:19]}）。页面暂时显示已保存的结果。"
        if self.state == "failed":
            return f"后台计算话题失败（{self.updated[:16]}）：{self.message}"
        return self.message


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _sidecar(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def progress(db: Path | str | None = None) -> Progress | None:
    """The background job's progress for ``db`` (None: never run here)."""
    try:
        raw = json.loads(_sidecar(database_path(db), ".refresh.json").read_text(encoding="utf-8"))
        return Progress(str(raw["state"]), str(raw["stage"]), str(raw["updated"]), str(raw["message"]), int(raw["pid"]))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def note(db: Path, state: str, stage: str, message: str = "", pid: int | None = None) -> None:
    """Record progress atomically (write a temporary file, then rename), so a reader never sees half."""
    target = _sidecar(db, ".refresh.json")
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    record = {
        "state": state,
        "stage": stage,
        "updated": datetime.now().isoformat(timespec="seconds"),
        "message": message,
        "pid": os.getpid() if pid is None else pid,
    }
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


def start(db: Path | str | None = None) -> None:
    """Launch the background refresh of ``db`` and return at once (output to ``<db>.refresh.log``)."""
    path = database_path(db).resolve()
    with _sidecar(path, ".refresh.log").open("ab") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "analytics", "topics", "--db", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,  # outlives the app's request (and a restart of the app)
        )
    found = progress(path)
    if found is None or found.pid != child.pid:  # unless the job has already said more itself
        note(path, "queued", "排队等待开始", pid=child.pid)


def after_change(db: Path | str | None = None) -> bool:
    """After an import or a rollback: start the background refresh unless HOTSPOT_BACKGROUND_TOPICS
    is off. True when one was started."""
    from analytics.settings import get as setting

    if not setting("HOTSPOT_BACKGROUND_TOPICS"):
        return False
    start(db)
    return True


@contextmanager
def _turn(db: Path) -> Iterator[None]:
    """One refresh of a database at a time; the next waits (flock: released if a job dies)."""
    with _sidecar(db, ".refresh.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refresh_topics(db: Path | str | None = None, n_topics: int | None = None, *, keep: bool = True) -> str:
    """Bring the topic run of ``db`` up to date in three turns (module docstring); its run_id.

    ``n_topics``: K topics; else, with ``keep``, as many as the current run was asked for
    (automatic unless an analyst chose K), without it automatic."""
    from analytics.topics.engine import compute, current_run, prepare, store
    from analytics.topics.runs import chosen_n_topics, run_info

    path = database_path(db)
    with open_database(path) as con:  # a shared turn: current, nothing to write
        if n_topics is None and keep:
            n_topics = chosen_n_topics(con)
        if run_id := current_run(con, n_topics):
            return run_id
    with _turn(path):
        try:
            note(path, "running", "读取数据与分词")
            with open_database(path, write=True) as con:
                got = prepare(con, n_topics)
            if isinstance(got, str):
                run_id = got
            else:
                note(path, "running", got.working_zh)
                done = compute(got)
                note(path, "running", "保存结果")
                with open_database(path, write=True) as con:
                    run_id = store(con, done)
            with open_database(path) as con:
                message = run_info(con, run_id).describe()
        except BaseException as exc:
            # A UserError has its Chinese line; anything else is named for whoever reads the log.
            log = f"{path.name}.refresh.log"
            said = exc.zh if isinstance(exc, UserError) else f"程序错误 {type(exc).__name__}（详见 {log}）"
            note(path, "failed", "失败", said)
            raise
        note(path, "done", "完成", message)
    return run_id
