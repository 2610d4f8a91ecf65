"""Login (dashboard.py through ui/auth.py): the users file is checked, the login form keeps every
page behind it, a right password opens the app as the file's role, and without a users file the app
runs as one local admin on 127.0.0.1 only (本机模式) and refuses any other address."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit_authenticator as stauth
import yaml
from streamlit import config
from streamlit.testing.v1 import AppTest

from analytics.errors import UserError
from ui.auth import is_local_address, load_users

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
PASSWORD = "Secret-1234"


def _write(path: Path, users: dict, key: str = "k" * 40) -> Path:
    config_ = {"credentials": {"usernames": users}, "cookie": {"name": "hotspot_test", "key": key, "expiry_days": 1}}
    path.write_text(yaml.safe_dump(config_, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hashed() -> str:
    return stauth.Hasher.hash(PASSWORD)


@pytest.fixture
def address():
    """``address("0.0.0.0")``: Streamlit's server.address for this test (back to 127.0.0.1 after)."""
    yield lambda value: config.set_option("server.address", value)
    config.set_option("server.address", "127.0.0.1")


def _dashboard(ui_db: Path, use_db) -> AppTest:
    use_db(ui_db)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)


@pytest.mark.parametrize(
    ("value", "local"),
    [("127.0.0.1", True), ("127.0.1.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("", False), (None, False), ("192.168.1.20", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_only_loopback_addresses_are_local(value: str | None, local: bool) -> None:
    assert is_local_address(value) is local


def test_users_file_is_checked(tmp_path: Path, hashed: str) -> None:
    good = _write(tmp_path / "ok.yaml", {"Wang": {"name": "王", "password": hashed, "roles": ["viewer", "analyst"]}})
    users = load_users(good)
    assert users.roles == {"wang": "analyst"}  # lower-cased name, highest role
    assert users.cookie_key == "k" * 40

    cases = {
        "plain.yaml": ({"wang": {"password": "123456", "roles": ["admin"]}}, "k" * 40, "不是 bcrypt 哈希值"),
        "role.yaml": ({"wang": {"password": hashed, "roles": ["root"]}}, "k" * 40, "角色须为"),
        "norole.yaml": ({"wang": {"password": hashed}}, "k" * 40, "角色须为"),
        "key.yaml": ({"wang": {"password": hashed, "roles": ["admin"]}}, "short", "cookie.key"),
        "empty.yaml": ({}, "k" * 40, "credentials.usernames"),
    }
    for name, (users_, key, message) in cases.items():
        with pytest.raises(UserError) as err:
            load_users(_write(tmp_path / name, users_, key))
        assert message in err.value.zh, name
    (tmp_path / "bad.yaml").write_text("credentials: [unclosed", encoding="utf-8")
    with pytest.raises(UserError, match="YAML"):
        load_users(tmp_path / "bad.yaml")
    with pytest.raises(UserError, match="cannot be read"):
        load_users(tmp_path / "missing.yaml")


def test_local_mode_is_one_admin_marked_in_the_sidebar(ui_db: Path, use_db) -> None:
    at = _dashboard(ui_db, use_db).run()
    assert not at.exception
    assert any("本机模式" in m.value for m in at.sidebar.markdown)
    assert [m.label for m in at.metric][:1] == ["期内投诉量"]  # the default page runs
    # Tables' own CSV download and copy are off: they wrote = + - @ cells as live formulas.
    assert config.get_option("client.disableDataExport") is True
    assert config.get_option("client.toolbarMode") == "viewer"  # no English Deploy button


@pytest.mark.parametrize("value", ["0.0.0.0", None, "192.168.1.20"])
def test_served_beyond_this_machine_without_users_it_refuses(ui_db: Path, use_db, address, value) -> None:
    address(value)
    at = _dashboard(ui_db, use_db).run()
    assert not at.exception
    assert any("拒绝启动" in e.value and "HOTSPOT_USERS_FILE" in e.value for e in at.error)
    assert not at.metric and not at.sidebar.multiselect  # no page, no filter bar


def test_login_keeps_pages_behind_the_form(
    ui_db: Path, use_db, tmp_path: Path, hashed: str, monkeypatch: pytest.MonkeyPatch, address
) -> None:
    address("0.0.0.0")  # with a users file any address is fine
    users = _write(tmp_path / "users.yaml", {"wang": {"name": "王分析", "password": hashed, "roles": ["analyst"]}})
    monkeypatch.setenv("HOTSPOT_USERS_FILE", str(users))
    at = _dashboard(ui_db, use_db).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.metric and not at.sidebar.multiselect

    at.text_input[0].input("wang")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert any("用户名或密码不正确" in e.value for e in at.error)
    assert not at.metric

    at.text_input[0].input("wang")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["authentication_status"] is True
    assert [m.label for m in at.metric][:1] == ["期内投诉量"]
    assert any(t.value == "王分析（分析员）" for t in at.sidebar.text)
    assert not any("本机模式" in m.value for m in at.sidebar.markdown)
    assert any(b.label == "退出登录" for b in at.sidebar.button)
