"""Who is using the app, and what they may do: login (streamlit-authenticator), roles, 本机模式.

- With a users file (``HOTSPOT_USERS_FILE``, streamlit-authenticator's YAML: bcrypt-hashed
  passwords, a role per user, the re-login cookie's name and secret key), every session signs in;
  the role comes from the file on every run, so changing it there takes effect at once.
- Without one, the app is a single local admin (本机模式), and only while Streamlit serves on a
  loopback address (``make run``: 127.0.0.1). On any other address, or with ``server.address``
  unset (Streamlit then listens on every interface), it refuses to run and says why.

Roles (analytics/audit.py): viewer sees every page; analyst may also import, curate topics and
save mapping profiles; admin may also roll back batches. Pages ask :func:`can` to enable a
control and call :func:`require` right before the write, which they make as :attr:`User.actor`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from analytics import audit, settings
from analytics.errors import UserError

__all__ = ["User", "allowed", "can", "current_user", "gate", "is_local_address", "load_users", "require"]

_LOGIN_FIELDS = {"Form name": "登录", "Username": "用户名", "Password": "密码", "Login": "登录"}


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    local: bool = False  # 本机模式: no users file, served on this machine only

    @property
    def actor(self) -> str:
        """How the audit log names this user."""
        return f"local:{audit.os_user()}" if self.local else f"web:{self.username}"

    @property
    def role_label(self) -> str:
        return audit.ROLE_LABELS[self.role]


@dataclass(frozen=True)
class Users:
    credentials: dict[str, Any]  # streamlit-authenticator's {"usernames": {name: {...}}}
    roles: dict[str, str]  # username -> its highest role
    cookie_name: str
    cookie_key: str
    cookie_days: float


def _bad(path: Path, why: str, zh: str) -> UserError:
    return UserError(f"Users file {path}: {why}", zh=f"用户文件 {path} 有误：{zh}")


def load_users(path: Path) -> Users:
    """Read and check the users file; one clear error for the first thing wrong with it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(path, f"cannot be read ({exc.strerror})", f"无法读取（{exc.strerror}）") from exc
    except yaml.YAMLError as exc:
        raise _bad(path, "not valid YAML", "不是有效的 YAML") from exc
    users = ((raw or {}).get("credentials") or {}).get("usernames") if isinstance(raw, dict) else None
    if not isinstance(users, dict) or not users:
        raise _bad(path, "no credentials.usernames", "缺少 credentials.usernames（至少一个用户）")
    clean: dict[str, dict[str, Any]] = {}
    roles: dict[str, str] = {}
    for username, entry in users.items():
        name = str(username).strip().lower()  # streamlit-authenticator matches user names in lower case
        if not isinstance(entry, dict) or not isinstance(entry.get("password"), str):
            raise _bad(path, f"user {name} has no password", f"用户 {name} 没有密码")
        # Plain-text passwords are refused rather than hashed in memory: the file must never hold one.
        if not _is_bcrypt(entry["password"]):
            raise _bad(path, f"user {name}: password is not a bcrypt hash", f"用户 {name} 的密码不是 bcrypt 哈希值")
        given = entry.get("roles") or []
        given = [given] if isinstance(given, str) else list(given)
        known = [r for r in audit.ROLES if r in given]
        if not known or len(known) != len(given):
            raise _bad(
                path,
                f"user {name}: roles must be among {', '.join(audit.ROLES)}",
                f"用户 {name} 的角色须为 viewer、analyst 或 admin",
            )
        roles[name] = known[-1]
        clean[name] = {"name": str(entry.get("name") or name), "password": entry["password"], "roles": known}
    cookie = raw.get("cookie") or {}
    key = str(cookie.get("key") or "")
    if len(key) < 32:  # it signs the re-login cookie: a short or shared key lets anyone forge one
        raise _bad(
            path, "cookie.key must be a secret of at least 32 characters", "cookie.key 须为至少 32 个字符的随机密钥"
        )
    try:
        days = float(cookie.get("expiry_days", 1))
    except (TypeError, ValueError) as exc:
        raise _bad(path, "cookie.expiry_days must be a number", "cookie.expiry_days 须为数字") from exc
    return Users({"usernames": clean}, roles, str(cookie.get("name") or "hotspot_auth"), key, days)


def _is_bcrypt(value: str) -> bool:
    from streamlit_authenticator.utilities import Hasher

    return bool(Hasher.is_hash(value))


def _users_file() -> Path | None:
    return settings.get("HOTSPOT_USERS_FILE")


def is_local_address(address: str | None) -> bool:
    """Whether Streamlit's ``server.address`` serves this machine only (unset = every interface)."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _local_user() -> User:
    return User(username="local", name="本机管理员", role="admin", local=True)


def _refuse_remote_without_users() -> None:
    address = st.get_option("server.address") or "所有网络接口"
    st.error(
        f"拒绝启动：应用在 {address} 上提供服务，但没有配置用户文件。"
        "请设置 HOTSPOT_USERS_FILE（见 README “Users and roles”），或只在本机运行（make run，地址 127.0.0.1）。",
        icon="🔒",
    )
    st.stop()


def current_user() -> User | None:
    """The signed-in user (role read from the users file now), the local admin, or None."""
    path = _users_file()
    if path is None:
        return _local_user() if is_local_address(st.get_option("server.address")) else None
    if not st.session_state.get("authentication_status"):
        return None
    username = str(st.session_state.get("username") or "").lower()
    users = load_users(path)
    if username not in users.roles:  # removed from the file since signing in
        return None
    return User(username, users.credentials["usernames"][username]["name"], users.roles[username])


def can(action: str) -> bool:
    """Whether the current user may perform ``action`` (an analytics.audit action name)."""
    user = current_user()
    return user is not None and audit.allowed(user.role, action)


def require(action: str) -> User:
    """The current user, if allowed to perform ``action``; else a UserError with the Chinese reason."""
    user = current_user()
    audit.check(user.role if user else None, action)
    assert user is not None  # check() refused a missing user
    return user


def allowed(*actions: str) -> User | None:
    """The current user if every one of ``actions`` is allowed; else None, with the reason shown.

    Pages call it right before a write, whatever their controls showed: the role is read from the
    users file again, so one changed or removed since the page was drawn no longer writes.
    """
    try:
        user = current_user()
        for action in actions:
            user = require(action)
        return user
    except UserError as exc:
        st.error(exc.zh, icon="🔒")
        return None


def _sidebar(user: User) -> None:
    with st.sidebar:
        if user.local:
            st.badge("本机模式", icon=":material/computer:", color="blue")
            st.caption("未配置用户文件：仅本机访问，以管理员身份操作。")
        else:
            st.caption("当前用户")
            st.text(f"{user.name}（{user.role_label}）")


def gate() -> User:
    """Run by dashboard.py before anything else: the user of this session, or the run stops.

    Stops with the login form when nobody is signed in, and with a clear refusal when the app is
    served beyond this machine without a users file.
    """
    path = _users_file()
    if path is None:
        if not is_local_address(st.get_option("server.address")):
            _refuse_remote_without_users()
        user = _local_user()
        _sidebar(user)
        return user
    try:
        users = load_users(path)
    except UserError as exc:
        st.error(exc.zh, icon="⚠️")
        st.stop()
    import streamlit_authenticator as stauth
    from streamlit_authenticator.utilities import LoginError

    # The credentials go in as a dict, so the library never rewrites the users file.
    authenticator = stauth.Authenticate(
        users.credentials, users.cookie_name, users.cookie_key, users.cookie_days, auto_hash=False
    )
    try:
        authenticator.login(location="main", fields=_LOGIN_FIELDS, key="hotspot_login")
    except LoginError as exc:
        st.error(f"登录失败：{exc}", icon="⚠️")
    if st.session_state.get("authentication_status") is False:
        st.error("用户名或密码不正确。", icon="⚠️")
    user = current_user()
    if user is None:
        if st.session_state.get("authentication_status"):
            st.error("该账号已不在用户文件中，请联系管理员。", icon="🔒")
        st.stop()
    _sidebar(user)
    authenticator.logout("退出登录", location="sidebar", key="hotspot_logout")
    if not st.session_state.get("authentication_status"):  # just signed out: back to the login form
        st.rerun()
    return user
