"""Who may write what, and the record of every write (table ``audit_log``, migration 0005).

Every engine function that writes (import, rollback, topic rename/merge/pin, matter split/join, mapping profiles)
takes an ``actor`` and records one row here in the same transaction as its change, so the app and
the command line leave the same trail. The app names its user (``web:<user>``, or ``local:<os
user>`` in 本机模式); the command line ``cli:<os user>``. Role checks are the app's (ui/auth.py):
the command line is as trusted as the operating-system account that can open the database file.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import duckdb

from analytics.errors import UserError
from analytics.store import stages

if TYPE_CHECKING:  # the command line imports this module; pandas loads only when a frame is asked for
    import pandas as pd

ROLES = ("viewer", "analyst", "admin")  # each role can do everything the ones before it can
ROLE_LABELS = {"viewer": "查看者", "analyst": "分析员", "admin": "管理员"}

# The least role each write needs. The CHECK of audit_log (migrations 0005, 0010) lists the same actions.
ACTION_ROLES: dict[str, str] = {
    "import": "analyst",
    "mapping_profile": "analyst",
    "topic_rename": "analyst",
    "topic_merge": "analyst",
    "topic_pin": "analyst",
    "hotspot_weights": "analyst",
    "matter_split": "analyst",
    "matter_join": "analyst",
    "rollback": "admin",
}
ACTION_LABELS = {
    "import": "导入数据",
    "mapping_profile": "保存映射方案",
    "topic_rename": "重命名话题",
    "topic_merge": "合并话题",
    "topic_pin": "置顶话题",
    "hotspot_weights": "保存热点权重",
    "matter_split": "拆分事项",
    "matter_join": "合并事项",
    "rollback": "撤销批次",
}


def allowed(role: str | None, action: str) -> bool:
    """Whether ``role`` may perform ``action`` (an unknown or missing role may do nothing)."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(ACTION_ROLES[action])


def check(role: str | None, action: str) -> None:
    """Raise a :class:`UserError` (with its Chinese line) unless ``role`` may perform ``action``."""
    if not allowed(role, action):
        need = ROLE_LABELS[ACTION_ROLES[action]]
        have = ROLE_LABELS.get(role or "", "未登录")
        raise UserError(
            f"Not allowed: {action} needs the {ACTION_ROLES[action]} role (current: {role or 'none'})",
            zh=f"无权{ACTION_LABELS[action]}：需要{need}或更高权限（当前：{have}）。",
        )


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (some containers)
        return "unknown"


def cli_actor() -> str:
    """The actor the command line records: the operating-system user that ran it."""
    return f"cli:{os_user()}"


def actor_name(actor: str | None) -> str:
    """The actor as recorded: a direct engine call that names nobody is the process's OS user."""
    text = (actor or "").strip()
    return text or f"python:{os_user()}"


def record(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    action: str,
    *,
    target: str | None = None,
    counts: Mapping[str, int] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Insert one audit row, and a new version of the audit stage, inside the writing transaction
    (:func:`analytics.store.stages.changing`)."""
    con.execute(
        "INSERT INTO audit_log (at_time, actor, action, target, counts, detail)"
        " VALUES (now()::TIMESTAMP, $actor, $action, $target, $counts, $detail)",
        {
            "actor": actor_name(actor),
            "action": action,
            "target": target,
            "counts": json.dumps(dict(counts), ensure_ascii=False) if counts is not None else None,
            "detail": json.dumps(dict(detail), ensure_ascii=False, default=str) if detail is not None else None,
        },
    )
    stages.bump(con, "audit")


@stages.reads("audit")
def audit_log(con: duckdb.DuckDBPyConnection, *, limit: int = 1000, action: str | None = None) -> pd.DataFrame:
    """The newest ``limit`` audit rows (optionally of one action), newest first."""
    if action is not None and action not in ACTION_ROLES:
        raise UserError(f"Unknown action {action!r}", zh=f"未知操作：{action}")
    where = "WHERE action = $action" if action else ""
    params: dict[str, Any] = {"action": action} if action else {}
    return con.execute(
        "SELECT id, at_time, actor, action, target, CAST(counts AS VARCHAR) AS counts,"
        f" CAST(detail AS VARCHAR) AS detail FROM audit_log {where} ORDER BY id DESC LIMIT $limit",
        {**params, "limit": int(limit)},
    ).df()
