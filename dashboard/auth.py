"""Signing in and out of the dashboard: sessions, the client address, the idle timeout and the sign-in settings.

- A session holds only a random token (``st.session_state[TOKEN]``); the token maps, process-wide, to the store
  file, the account name and the time of its latest run. Every run looks the account up in the store again
  (role, units, enabled), so a disabled account is out at its next click, and nothing a page could set makes a
  session somebody else. A session idle for longer than :func:`settings` ``idle_minutes`` is signed out.
- The sign-in itself is a write through the store's door (:func:`queries.store.accounts.sign_in`): attempts are
  counted per client address, so after ``attempts`` failures that address waits ``lockout_minutes`` while others
  (the office) still sign in.
- The client address is ``st.context.ip_address``; Streamlit gives None for a browser on this computer, which
  counts as 127.0.0.1. Behind a reverse proxy every browser comes from the proxy: set ``FLAGBOARD_CLIENT_HEADER``
  to the header the proxy writes (e.g. ``X-Real-IP``, see docs/deploy.md). Where there is no client connection at
  all (Streamlit's AppTest), each session counts as its own address.

Settings (environment variables): ``FLAGBOARD_LOGIN_ATTEMPTS`` (5), ``FLAGBOARD_LOCKOUT_MINUTES`` (15),
``FLAGBOARD_IDLE_MINUTES`` (30), ``FLAGBOARD_CLIENT_HEADER`` (unset).
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import streamlit as st

from dashboard.state import VIEWER, db_path, store
from queries.store import accounts
from queries.store.accounts import Account, Lockout

TOKEN = "auth_token"  # the session's sign-in token (no widget has this key)
CLIENT = "auth_client"  # the per-session address where there is no client connection (AppTest)
NOTICE = "auth_notice"  # why the session was signed out (idle), shown on the sign-in page


@dataclass(frozen=True)
class Settings:
    lockout: Lockout
    idle_minutes: int
    client_header: str


def settings() -> Settings:
    env = os.environ
    return Settings(Lockout(int(env.get("FLAGBOARD_LOGIN_ATTEMPTS", 5)), int(env.get("FLAGBOARD_LOCKOUT_MINUTES", 15))),
                    int(env.get("FLAGBOARD_IDLE_MINUTES", 30)), env.get("FLAGBOARD_CLIENT_HEADER", ""))


def now() -> datetime:
    return datetime.now()


@st.cache_resource(show_spinner=False)
def _sessions() -> dict[str, dict]:
    """Process-wide: token → {path, name, seen} of every signed-in session."""
    return {}


def client_address() -> str:
    """The address sign-in attempts are counted by (see module docstring)."""
    header = settings().client_header
    if header and st.context.headers.get(header):
        return st.context.headers.get(header).split(",")[0].strip()
    ip = st.context.ip_address
    if isinstance(ip, str) and ip:
        return ip
    if st.context.headers:  # a real connection from this computer (Streamlit gives no address for it)
        return "127.0.0.1"
    return st.session_state.setdefault(CLIENT, f"session-{secrets.token_hex(8)}")


def current_account() -> Account | None:
    """The signed-in account of this session, looked up in the store again; None when signed out (or idle
    too long, or disabled since)."""
    token = st.session_state.get(TOKEN)
    session = _sessions().get(token) if isinstance(token, str) else None
    if session is None or session["path"] != db_path():
        return None
    if now() - session["seen"] > timedelta(minutes=settings().idle_minutes):
        sign_out(f"超过 {settings().idle_minutes} 分钟未操作，已自动退出，请重新登录 (signed out after idle time)")
        return None
    account = accounts.account(store(), session["name"])
    if account is None or not account.enabled:
        sign_out("账户已停用或不存在，请联系办公室 (the account is disabled)")
        return None
    session["seen"] = now()
    return account


def sign_in(name: str, password: str) -> str:
    """Try to sign in; returns "" on success, else the message to show."""
    result = accounts.sign_in(store(), name, password, client=client_address(), now=now(), lockout=settings().lockout)
    if result.account is None:
        return result.message
    token = secrets.token_urlsafe(24)
    _sessions()[token] = {"path": db_path(), "name": result.account.name, "seen": now()}
    st.session_state[TOKEN] = token
    st.session_state.pop(NOTICE, None)
    return ""


def sign_out(notice: str = "") -> None:
    """End this session's sign-in (and forget what it was viewing)."""
    token = st.session_state.pop(TOKEN, None)
    if isinstance(token, str):
        _sessions().pop(token, None)
    st.session_state.pop(VIEWER, None)
    if notice:
        st.session_state[NOTICE] = notice


def sidebar(account: Account) -> None:
    """Who is signed in, and the logout button."""
    demo = "（演示）" if account.is_demo else ""
    units = f" · {'、'.join(sorted({e for _, e in account.units}))}" if account.units else ""
    st.sidebar.caption(f"已登录：**{account.name}**{demo}（{account.role_label}{units}）")
    if st.sidebar.button("退出登录", key="auth_logout", icon=":material/logout:"):
        sign_out()
        st.rerun()
