"""Every write path of the app checks its role and leaves an audit row: a viewer cannot (the control
is disabled, and a click forced past it is refused at the write), an analyst can import, save a
mapping profile, curate topics and correct matters but not roll back, an admin can roll back. Users
sign in from a users file (HOTSPOT_USERS_FILE); AppTest puts the signed-in user where
streamlit-authenticator does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit_authenticator as stauth
import yaml
from streamlit.testing.v1 import AppTest

from analytics.store import connect
from tests.pages.conftest import ROOT, TIMEOUT

GBK = "import/12345_gbk.csv"
USERS = {"li": "viewer", "wang": "analyst", "zhao": "admin"}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.yaml"
    one_hash = stauth.Hasher.hash("Secret-1234")  # bcrypt is slow on purpose: one hash for all
    config = {
        "credentials": {
            "usernames": {u: {"name": f"用户{u}", "password": one_hash, "roles": [role]} for u, role in USERS.items()}
        },
        "cookie": {"name": "hotspot_test", "key": "k" * 40, "expiry_days": 1},
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def signed_in(users_file: Path, monkeypatch: pytest.MonkeyPatch):
    """``signed_in(at, "wang")``: the AppTest's session is signed in as that user."""
    monkeypatch.setenv("HOTSPOT_USERS_FILE", str(users_file))
    monkeypatch.chdir(ROOT)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))

    def sign(at: AppTest, username: str) -> AppTest:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = f"用户{username}"
        return at

    return sign


def _audit(sql_where: str = "true") -> list[tuple]:
    from ui import cache

    with cache.cursor() as cur:  # the page's own connection to HOTSPOT_DB
        return cur.execute(f"SELECT actor, action, target FROM audit_log WHERE {sql_where} ORDER BY id").fetchall()


def _count(sql: str) -> int:
    from ui import cache

    with cache.cursor() as cur:
        return cur.execute(sql).fetchall()[0][0]


@pytest.fixture
def import_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path):
    db = tmp_path / "roles.duckdb"
    connect(db).close()
    monkeypatch.setenv("HOTSPOT_DB", str(db))

    def make() -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages/import_data.py"), default_timeout=TIMEOUT)
        at.session_state["import_files"] = {"12345_gbk.csv": (fixtures_dir / GBK).read_bytes()}
        return at

    return make


def test_viewer_cannot_import_or_save_a_mapping(import_page, signed_in) -> None:
    at = signed_in(import_page(), "li").run()
    assert not at.exception
    assert at.button(key="import_go").disabled and at.button(key="import_dry_run").disabled
    assert at.checkbox(key="import_remember").disabled
    # A click that reaches the server anyway (the page drawn for an analyst, the role taken away
    # before the click) finds the control disabled in that run, and Streamlit ignores it.
    at = signed_in(import_page(), "wang").run()
    at.checkbox(key="import_remember").check()
    at.button(key="import_go").click()
    signed_in(at, "li").run()
    assert not at.exception
    assert _count("SELECT count(*) FROM complaints") == 0
    assert _count("SELECT count(*) FROM mapping_profiles") == 0
    assert _audit() == []


def test_analyst_imports_and_saves_a_mapping_but_cannot_roll_back(import_page, signed_in) -> None:
    at = signed_in(import_page(), "wang").run()
    at.selectbox(key="import_source").set_value("12345")
    at.checkbox(key="import_remember").check()
    at.button(key="import_go").click().run()
    assert not at.exception
    assert _count("SELECT count(*) FROM complaints") == 6
    batch = _audit("action = 'import'")[0][2]
    assert _audit() == [("web:wang", "mapping_profile", "12345"), ("web:wang", "import", batch)]
    # Rolling back is for admins: the control is not there, and the page says why.
    assert not [b for b in at.button if b.key == "import_rollback_go"]
    assert any("撤销批次需要管理员权限" in c.value for c in at.caption)


def test_admin_rolls_back_and_the_row_names_them(import_page, signed_in) -> None:
    at = signed_in(import_page(), "zhao").run()
    at.button(key="import_go").click().run()
    at.checkbox(key="import_rollback_sure").check().run()
    at.button(key="import_rollback_go").click().run()
    assert not at.exception
    assert _count("SELECT count(*) FROM complaints") == 0
    assert [(a, act) for a, act, _ in _audit()] == [("web:zhao", "import"), ("web:zhao", "rollback")]


def _write_as_checked() -> None:
    """A page's write, as every page makes one: allowed() right before it, or no write."""
    import streamlit as st

    from ui import auth

    if user := auth.allowed("import", "mapping_profile"):
        st.success(f"写入：{user.actor}")


@pytest.mark.parametrize(
    ("username", "shown"), [("li", "无权导入数据"), ("ghost", "未登录"), ("wang", "写入：web:wang")]
)
def test_the_check_before_each_write(signed_in, username: str, shown: str) -> None:
    """The check each page makes at the write, whatever its controls showed: a viewer and a user
    no longer in the file are refused with the reason, an analyst passes as web:<user>."""
    at = signed_in(AppTest.from_function(_write_as_checked, default_timeout=TIMEOUT), username).run()
    assert not at.exception
    assert any(shown in m.value for m in [*at.error, *at.success])


def test_topic_curation_viewer_refused_analyst_audited(app, demo_db_copy: Path, monkeypatch, signed_in) -> None:
    monkeypatch.setenv("HOTSPOT_DB", str(demo_db_copy))  # curation writes: a private copy
    at = signed_in(app("pages/topics.py"), "li").run()
    assert not at.exception
    assert at.button(key="topic_rename_btn").disabled and at.button(key="topic_pin_btn").disabled
    topic_id = int(at.selectbox(key="topic_drill").value)
    signed_in(at, "wang").run()  # drawn for an analyst; the click arrives once the role is gone
    at.text_input(key="topic_rename").set_value("查看者改名")
    at.button(key="topic_rename_btn").click()
    signed_in(at, "li").run()
    assert any("整理话题需要分析员或管理员权限" in c.value for c in at.caption)
    assert _count("SELECT count(*) FROM topic_curation") == 0 and _audit() == []

    signed_in(at, "wang").run()
    at.text_input(key="topic_rename").set_value("分析员改名")
    at.button(key="topic_rename_btn").click().run()
    assert not at.exception
    at.button(key="topic_pin_btn").click().run()
    target = int(at.selectbox(key="topic_merge_target").value)
    at.button(key="topic_merge_btn").click().run()
    assert not at.exception
    assert _audit() == [
        ("web:wang", "topic_rename", str(topic_id)),
        ("web:wang", "topic_pin", str(topic_id)),
        ("web:wang", "topic_merge", str(topic_id)),
    ]
    assert _count(f"SELECT merged_into FROM topic_curation WHERE topic_id = {topic_id}") == target


def test_audit_page_is_for_analysts_and_admins(import_page, signed_in) -> None:
    at = signed_in(import_page(), "wang").run()
    at.button(key="import_go").click().run()
    page = signed_in(AppTest.from_file(str(ROOT / "pages/audit.py"), default_timeout=TIMEOUT), "wang").run()
    assert not page.exception
    table = page.dataframe[0].value
    assert list(table["操作人"]) == ["web:wang"] and list(table["操作"]) == ["导入数据"]
    assert "imported 6" in table["数量"].iloc[0]
    # The action filter lives in the link; a link to an action with no rows opens it empty.
    linked = AppTest.from_file(str(ROOT / "pages/audit.py"), default_timeout=TIMEOUT)
    linked.query_params["audit_action"] = "rollback"
    linked = signed_in(linked, "wang").run()
    assert linked.selectbox(key="audit_action").value == "rollback" and not linked.dataframe
    viewer = signed_in(AppTest.from_file(str(ROOT / "pages/audit.py"), default_timeout=TIMEOUT), "li").run()
    assert not viewer.dataframe
    assert any("仅对分析员和管理员开放" in w.value for w in viewer.warning)


def test_matter_correction_viewer_refused_analyst_audited(app, demo_db_copy: Path, monkeypatch, signed_in) -> None:
    """探索's 同一事项 box: a viewer's forced click writes nothing; an analyst joins the chosen complaint
    with another by its number and splits it out again, each audited and shown at once."""
    monkeypatch.setenv("HOTSPOT_DB", str(demo_db_copy))  # corrections write: a private copy
    at = signed_in(app("pages/explore.py"), "li")
    at.session_state["explore_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.button(key="matter_split").disabled and at.button(key="matter_join").disabled
    shown = at.dataframe[0].value
    first, other = shown["complaint_id"].iloc[0], shown["complaint_id"].iloc[1]
    signed_in(at, "wang").run()  # drawn for an analyst; the click arrives once the role is gone
    at.text_input(key="matter_join_number").set_value(other).run()
    signed_in(at, "li")
    at.button(key="matter_join").click().run()
    assert any("拆分、合并事项需要分析员或管理员权限" in c.value for c in at.caption)
    assert _count("SELECT count(*) FROM matter_curation") == 0 and _audit("action LIKE 'matter%'") == []

    signed_in(at, "wang").run()
    at.button(key="matter_join").click().run()  # the number is still typed in
    assert not at.exception, [e.value for e in at.exception]
    members = next(d.value for d in at.dataframe if "complaint_id" in d.value.columns and len(d.value) < len(shown))
    assert {first, other} <= set(members["complaint_id"])
    at.button(key="matter_split").click().run()
    assert not at.exception
    assert _audit("action LIKE 'matter%'") == [
        ("web:wang", "matter_join", f"{first}、{other}"),
        ("web:wang", "matter_split", first),
    ]


def test_analyst_renames_an_event_on_topics(app, demo_db_copy: Path, monkeypatch, signed_in) -> None:
    """话题's drill: an analyst picks one of the topic's events and names it as a briefing would;
    the topic's event table shows the name at once and the rename is audited."""
    monkeypatch.setenv("HOTSPOT_DB", str(demo_db_copy))  # curation writes: a private copy
    at = signed_in(app("pages/topics.py"), "wang").run()
    topic_id = int(at.selectbox(key="topic_drill").value)
    events = next(d.value for d in at.dataframe if "event_id" in d.value.columns)
    event_id = int(events["event_id"].iloc[0])
    at.selectbox(key=f"topic_event_{topic_id}").set_value(event_id).run()
    at.text_input(key="event_rename").set_value("某小区物业撤场无人管理")
    at.button(key="event_rename_btn").click().run()
    assert not at.exception
    events = next(d.value for d in at.dataframe if "event_id" in d.value.columns)
    assert events.set_index("event_id").loc[event_id, "label"] == "某小区物业撤场无人管理"
    assert _audit() == [("web:wang", "topic_rename", str(event_id))]
