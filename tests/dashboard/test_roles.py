"""Per role, in the app (AppTest): a signed-out session sees no unit name or score; a town reaches neither another
unit's detail nor any data page — by navigation, URL query or session state; an analyst cannot publish; a new
account changes its password first; the sign-in page says the lockout rule and applies it; idle sessions end."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from queries.store import Actor, Store, accounts, workflow
from queries.unit import unit_view
from tests.dashboard.conftest import (APP, PASSWORD, RecordingStorage, download_name, ensure_account, page_text,
                                      sign_in, table)
from tests.demo_stores import copy_store, demo_template

SCHEME = "zichuan-2022"
UNITS = ["般阳路街道", "松龄路街道", "将军路街道", "淄川经济开发区", "洪山镇", "昆仑镇", "双杨镇", "罗村镇", "寨里镇", "龙泉镇",
         "西河镇", "太河镇", "岭子镇"]
TOWN, OTHER = "洪山镇", "昆仑镇"
DATA_PAGES = ["trends", "summary", "selection", "data", "audit", "objections", "accounts"]


@pytest.fixture(scope="module")
def roles_db(tmp_path_factory) -> str:
    """The demo store with 2023Q2 published (straight from draft, with a reason), 2023Q3 in 公示 and 2023Q4 a draft;
    accounts for the office, 洪山镇 and an analyst."""
    db = str(copy_store(demo_template(tmp_path_factory), tmp_path_factory.mktemp("roles") / "roles.duckdb"))
    with Store(db) as store:
        store.publish(SCHEME, "2023Q2", who="王主任", why="年中通报")
        workflow.review(store, "王主任", SCHEME, "2023Q3", until=date.today() + timedelta(days=6), today=date.today())
    ensure_account(db)
    ensure_account(db, "hongshan", "town", (("", TOWN),))
    ensure_account(db, "analyst", "analyst")
    return db


@pytest.fixture
def open_as(roles_db, monkeypatch):
    monkeypatch.setenv("FLAGBOARD_DB", roles_db)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)

    def signed_in(name: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        sign_in(at, name)
        assert not at.exception, [e.message for e in at.exception]
        return at

    return signed_in


def menu(at: AppTest) -> list[str]:
    """The view modules the session's navigation offers (a page not offered cannot be opened by its URL)."""
    found = []
    for page in ["league", "town", "trends", "summary", "selection", "phases", "payout", "rubric", "objections",
                 "data", "audit", "accounts", "password"]:
        try:
            at.switch_page(f"views/{page}.py")
        except ValueError:
            continue
        found.append(page)
    return found


def every_text(at: AppTest) -> str:
    texts = [page_text(at)] + [str(m.value) for m in at.metric] + [str(s.options) for s in at.selectbox]
    return "\n".join(texts + [t.value.to_string() for t in at.dataframe])


def test_a_signed_out_session_sees_only_the_sign_in_form(roles_db, monkeypatch):
    monkeypatch.setenv("FLAGBOARD_DB", roles_db)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert [t.value for t in at.title] == ["红旗榜 Flagboard · 登录"]
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert [b.label for b in at.button] == ["登录"]
    text = every_text(at)
    assert [u for u in UNITS if u in text] == []
    assert not at.dataframe and not at.metric and not at.get("plotly_chart") and not at.sidebar.selectbox
    assert menu(at) == []  # no page is reachable, not even by its URL
    at.session_state["period"] = "2023Q4"
    at.query_params["unit"] = OTHER
    at.run()
    assert [u for u in UNITS if u in every_text(at)] == []


def test_the_office_sees_every_page_and_the_drafts(open_as):
    at = open_as("办公室")
    assert menu(at) == ["league", "town", "trends", "summary", "selection", "rubric", "objections", "data", "audit",
                        "accounts", "password"]
    assert at.selectbox(key="period").options == ["2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3",
                                                  "2023Q4"]
    assert any(w.value.startswith("本期状态：草稿") for w in at.warning)  # 2023Q4, the latest
    names = {}
    at.switch_page("views/league.py").run()
    for period in ("2023Q4", "2023Q3", "2023Q2"):  # a file of a period not published says so in its name
        at.selectbox(key="period").set_value(period).run()
        names[period] = (download_name(at, "league_dl_csv"), download_name(at, "league_dl_xlsx"))
    assert names == {"2023Q4": ("草稿_榜单_zichuan-2022_2023Q4.csv", "草稿_榜单_zichuan-2022_2023Q4.xlsx"),
                     "2023Q3": ("公示稿_榜单_zichuan-2022_2023Q3.csv", "公示稿_榜单_zichuan-2022_2023Q3.xlsx"),
                     "2023Q2": ("榜单_zichuan-2022_2023Q2.csv", "榜单_zichuan-2022_2023Q2.xlsx")}


def test_a_town_sees_the_league_of_periods_in_review_or_published_and_its_own_unit(open_as):
    at = open_as("hongshan")
    assert menu(at) == ["league", "town", "rubric", "password"]
    assert at.selectbox(key="period").options == ["2023Q2", "2023Q3"]
    at.switch_page("views/league.py").run()
    assert sorted(table(at, "名次", "单位")["单位"]) == sorted(UNITS)  # the league: every unit's result
    assert any(i.value.startswith("本期状态：公示中（至 ") for i in at.info)
    at.switch_page("views/town.py").run()
    assert at.selectbox(key="town_unit").options == [TOWN]
    assert at.title[0].value == f"镇街详情 · {TOWN}"


@pytest.mark.parametrize("how", ["remembered unit", "URL query", "viewer"])
def test_a_town_cannot_reach_another_units_detail(open_as, how):
    at = open_as("hongshan")
    at.switch_page("views/town.py").run()
    if how == "remembered unit":
        at.session_state["unit"] = OTHER
    elif how == "URL query":
        at.query_params["unit"] = OTHER
        at.query_params["entity"] = OTHER
    else:  # what a run is for is set from the sign-in at every run
        at.session_state["viewer"] = accounts.Account("办公室", "office")
    at.run()
    assert at.title[0].value == f"镇街详情 · {TOWN}"
    assert at.selectbox(key="period").value in ("2023Q2", "2023Q3")
    assert OTHER not in every_text(at).replace(f"第一名：{OTHER}", "")  # the leader's name is on the league anyway
    assert menu(at) == ["league", "town", "rubric", "password"]


def comparison_of(at: AppTest):
    """洪山镇's 逐项对比 in 2023Q3 (in 公示), as the session's account reads it."""
    at.selectbox(key="period").set_value("2023Q3").run()
    at.switch_page("views/town.py").run()
    at.selectbox(key="town_unit").set_value(TOWN)
    at.session_state["town_tab"] = "逐项对比"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at, next(d.value for d in at.dataframe if "差距（比第一名）" in d.value.columns)


def test_a_towns_comparison_shows_the_leaders_points_and_none_of_its_reasons(open_as, roles_db):
    """Issue 13: the town sees itself beside the leader and the last 好, points only — never their facts or
    reasons (issue 11's scope: other units' per-indicator points stay visible, nothing else)."""
    _, expected = comparison_of(open_as("办公室"))
    town, shown = comparison_of(open_as("hongshan"))
    assert shown.to_dict("list") == expected.to_dict("list")  # the same points as the office reads them
    rivals = [c for c in shown.columns if c not in ("编号", "指标", "满分", TOWN) and not c.startswith("差距")]
    assert rivals and TOWN not in rivals and "原因" not in shown.columns
    with Store(roles_db) as store:
        own = set(unit_view(store, SCHEME, "2023Q3", TOWN, "").losses["原因"])
        theirs = {r for u in rivals for r in unit_view(store, SCHEME, "2023Q3", u, "").losses["原因"]} - own - {""}
    assert theirs and not [r for r in theirs if r in every_text(town)]


def test_a_town_following_a_link_to_another_unit_gets_its_own(roles_db, monkeypatch):
    monkeypatch.setenv("FLAGBOARD_DB", roles_db)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("views/town.py")  # the link's path: /town?scheme=…&period=…&unit=…
    at.query_params.update({"scheme": SCHEME, "period": "2023Q3", "unit": OTHER})
    sign_in(at.run(), "hongshan")
    assert not at.exception, [e.message for e in at.exception]
    assert (at.title[0].value, at.selectbox(key="period").value) == (f"镇街详情 · {TOWN}", "2023Q3")
    assert ("所选单位不在您可查看的范围内（镇街账户只能查看本单位 a town account opens its own unit only），"
            f"现显示“{TOWN}”。") in [i.value for i in at.info]
    assert at.query_params["unit"] == TOWN  # the address bar now names the unit shown


@pytest.mark.parametrize("key, value", [("town_unit", OTHER), ("period", "2023Q4")])
def test_a_picker_carries_only_a_value_it_offers(open_as, key, value):
    """A picker's state is the index of one of its options (so from a browser too): another unit or a draft
    period cannot be set into it."""
    at = open_as("hongshan")
    at.switch_page("views/town.py").run()
    at.session_state[key] = value
    with pytest.raises(ValueError, match=f"'{value}' is not in list"):
        at.run()


def test_an_analyst_reads_every_unit_in_review_but_cannot_publish(open_as, roles_db):
    at = open_as("analyst")
    assert menu(at) == ["league", "town", "trends", "summary", "selection", "rubric", "password"]
    assert at.selectbox(key="period").options == ["2023Q2", "2023Q3"]
    at.switch_page("views/selection.py").run()
    assert not [b for b in at.button if b.label in ("记录决定", "发布 2023Q3")]
    with Store(roles_db) as store, pytest.raises(Exception, match="分析人员账户不能发布"):
        store.publish(SCHEME, "2023Q3", who=Actor("analyst", "dashboard"))


def test_a_new_account_must_change_its_password_before_anything_else(roles_db, monkeypatch):
    monkeypatch.setenv("FLAGBOARD_DB", roles_db)
    with Store(roles_db) as store:
        accounts.add(store, "王主任", "newcomer", "analyst", (), PASSWORD)  # must change at first sign-in
    at = sign_in(AppTest.from_file(str(APP), default_timeout=60).run(), "newcomer")
    assert [t.value for t in at.main.title] == ["修改密码"]
    assert menu(at) == ["password"]
    at.text_input(key="pw_old").set_value(PASSWORD)
    at.text_input(key="pw_new").set_value("my-own-pass-9")
    at.text_input(key="pw_again").set_value("my-own-pass-9")
    next(b for b in at.button if b.label == "修改密码").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert menu(at) == ["league", "town", "trends", "summary", "selection", "rubric", "password"]


def test_the_sign_in_page_says_and_applies_the_lockout(roles_db, monkeypatch):
    monkeypatch.setenv("FLAGBOARD_DB", roles_db)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "同一地址连续登录失败 5 次后，该地址需等待 15 分钟才能再试（其他地址不受影响）" in page_text(at)
    for _ in range(5):
        sign_in(at, "办公室", "wrong-password")
    assert at.error[0].value.startswith("登录失败已达 5 次：本机地址需等待 15 分钟")
    sign_in(at, "办公室", PASSWORD)  # the right password from this address must wait too
    assert at.error[0].value.startswith("登录失败已达 5 次")
    other = sign_in(AppTest.from_file(str(APP), default_timeout=60).run(), "办公室")  # another address
    assert other.title[0].value == "季度榜单"


def test_an_idle_session_is_signed_out(open_as, monkeypatch):
    at = open_as("hongshan")
    later = datetime.now() + timedelta(minutes=31)
    monkeypatch.setattr("dashboard.auth.now", lambda: later)
    at.run()
    assert [t.value for t in at.title] == ["红旗榜 Flagboard · 登录"]
    assert "超过 30 分钟未操作，已自动退出，请重新登录 (signed out after idle time)" in [w.value for w in at.warning]


def test_logout_ends_the_session(open_as):
    at = open_as("hongshan")
    at.sidebar.button(key="auth_logout").click().run()
    assert [t.value for t in at.title] == ["红旗榜 Flagboard · 登录"]
    assert [u for u in UNITS if u in every_text(at)] == []


def test_the_office_adds_and_disables_an_account_on_the_accounts_page(open_as, roles_db):
    at = open_as("办公室")
    at.switch_page("views/accounts.py").run()
    at.text_input(key="acc_name").set_value("kunlun")
    at.selectbox(key="acc_role").set_value("town")
    at.selectbox(key="acc_unit").set_value(OTHER)
    next(b for b in at.button if b.label == "新增").click().run()
    flash = at.success[0].value
    assert flash.startswith("已新增账户 kunlun，初始密码：") and flash.endswith("（只显示这一次；首次登录时须修改）")
    password = flash.removeprefix("已新增账户 kunlun，初始密码：").split("（")[0]
    with Store(roles_db) as store:
        assert accounts.account(store, "kunlun") == accounts.Account("kunlun", "town", (("", OTHER),), True, True)
        assert accounts.sign_in(store, "kunlun", password, client="acc-test", now=datetime.now()).account is not None
    shown = table(at, "用户名", "角色")
    assert "password_hash" not in shown.columns and not shown.astype(str).apply(
        lambda c: c.str.contains(r"\$argon2")).any().any()
    assert table(at, "操作", "内容")["内容"].iloc[0] == "新增账户 kunlun"
    at.selectbox(key="acc_pick").set_value("kunlun").run()
    at.button(key="acc_toggle").click().run()
    assert at.success[0].value == "已停用账户 kunlun"
    with Store(roles_db) as store:
        assert accounts.account(store, "kunlun").enabled is False
