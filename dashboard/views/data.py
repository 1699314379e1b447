"""数据管理 (the data clerk's page): template download, upload → validation report → confirm import, a table
editor to correct one unit's facts, undo of the latest import or edit, the period's life (公示, 退回草稿,
发布, 重新打开: dashboard/status.py), and backups (:mod:`dashboard.backup_panel`: on request while the dashboard
runs, and after every publish). The page is the office's (app.py offers it to no other role).

Every write goes through the store's write door (one transaction, audited under the signed-in account);
a bad file or edit writes nothing and lists its problems with their line or cell (the first 500 on the page,
all of them in a CSV download). An upload is read in a memory- and time-limited child process, so a hostile
file is a message here and never takes the server down.
"""
import streamlit as st

from dashboard import backup_panel, exports, status, widgets
from dashboard.plain import plain
from dashboard.state import SCHEME, clear_caches, picked as sidebar_choice, read, rubric, store, viewer
from documents.template import template_file, template_units
from queries.data_views import (change_label, fact_periods, fact_units, last_change, plan_import, plan_summary,
                                problems_table, publication_differences, publication_state, scheme_choices,
                                stored_problems, unit_facts)
from queries.store import Actor, RefusedError
from queries.store.workflow import REVIEW
from queries.workflow import period_status
from scoring.intake import MAX_BYTES
from scoring.isolated import read_upload_isolated
from scoring.limits import current
from scoring.listing import PROBLEM_COLUMNS, first_listed, overflow_line, problem_rows
from scoring.problems import InputError
from scoring.rubric import preset_ids

st.title("数据管理")
st.caption("导入、修改、撤销和发布都记入审计日志（谁、何时、改了什么、为什么）。文件或修改有任何错误时不写入任何数据。")
if msg := st.session_state.pop("data_flash", None):
    st.success(msg)
backup_panel.show_flash()  # issue 12: where the backup after a publish went (or why it failed)

who = Actor(viewer().name, "dashboard")  # the signed-in account, recorded in the audit trail

picked = sidebar_choice()
if picked is not None:
    scheme = picked.scheme
    status.banner(picked.scheme, picked.period)
else:  # no results yet, so no sidebar: the same choice, asked here
    scheme = st.selectbox("评估方案 scheme（数据库还没有评分结果，请选择要导入的方案）",
                          read(scheme_choices, preset_ids()), key=SCHEME)
rub = rubric(scheme)
s = store()
refused = read(stored_problems, scheme)
if not refused.empty:
    st.warning(f"数据库中有 {len(refused)} 个旧数据按现行规则不能计分（这些期间保留原结果），请在“修改”中更正：",
               icon=":material/report:")
    st.dataframe(refused, hide_index=True, key="data_stored_problems")


def done(message: str) -> None:
    """After a successful write: forget cached read models, show ``message`` on the rerun."""
    clear_caches()
    st.session_state["data_flash"] = message
    st.session_state["data_editor_round"] = st.session_state.get("data_editor_round", 0) + 1
    st.rerun()


def default_index(periods: list[str]) -> int:
    """The sidebar's period when it has facts, else the newest."""
    return periods.index(picked.period) if picked and picked.period in periods else 0


def report(problems, title: str) -> None:
    """The problems of a file or edit: a count, the first 500 as a table, how many more, and all as a CSV."""
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        st.error(f"{title}：发现 {errors} 处错误，未写入任何数据。请按下表逐条修改后重试。")
    elif problems:
        st.warning("请核对以下提醒（不影响导入）：")
    if problems:
        shown, rest = first_listed(problems, current().problems_listed)
        st.dataframe(problems_table(shown), hide_index=True, key=f"report_{title}",
                     height=min(600, widgets.rows_height(len(shown))))
        if rest:
            st.caption(f"{overflow_line(rest)}；可下载全部问题清单。")
        st.download_button(f"下载全部问题清单（{len(problems):,} 条，CSV）",
                           exports.rows_csv_bytes(PROBLEM_COLUMNS, problem_rows(problems)),
                           file_name="问题清单.csv", mime="text/csv", key=f"report_dl_{title}", on_click="ignore",
                           icon=":material/download:")


def import_tab() -> None:
    st.subheader("1. 下载填写模板")
    periods = read(fact_periods, scheme) if picked else []
    period = st.text_input("模板期间 period", value=picked.period if picked else "", key="tpl_period",
                           placeholder="例如 2023Q1").strip()
    units = read(template_units, scheme)
    if not period:
        st.caption("填写期间后即可下载模板。")
    elif units.empty:
        st.info("没有单位名单：请先导入一次数据，或在命令行用 flagboard template --entities 名单.csv 生成模板。")
    else:
        try:
            data = read(template_file, scheme, period)
        except ValueError as exc:
            st.error(plain(exc))
        else:
            st.download_button(f"下载 {plain(period)} 填写模板（{len(units)} 个单位）", data,
                               file_name=f"{scheme}_{period}_模板.xlsx", key="tpl_download", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/download:")
    if periods:
        st.caption(f"库中已有数据的期间：{'、'.join(plain(p) for p in periods)}")

    st.subheader("2. 上传并检查")
    st.caption(f"CSV（UTF-8 或 GBK）或 XLSX，最大 {MAX_BYTES // 1048576} MB；不接受含公式或宏的文件。")
    upload = st.file_uploader("观测数据文件", key="data_upload")
    if upload is None:
        return
    try:
        checked = read_upload_isolated(upload.name, upload.getvalue())
    except InputError as exc:
        report(exc.problems, "文件检查")
        return
    plan = plan_import(s, rub, checked.obs)
    report(checked.notices + plan.problems, "数据检查")
    if plan.errors:
        return
    if plan.locked:
        st.error(f"{'、'.join(plan.locked)} 已发布并锁定，不能导入。如确需更改，请先在“发布”页重新打开该期间。")
        return
    st.success("检查通过 (no errors)。" + plan_summary(plan))
    why = ""
    if plan.reopened:
        why = st.text_input(f"理由（{'、'.join(plan.reopened)} 曾发布，修改必须填写理由）", key="import_why")
    if st.button("确认导入", key="import_confirm", type="primary"):
        try:
            batch = s.import_observations(rub, checked.obs, who=who, source=upload.name, why=why)
        except InputError as exc:
            report(exc.problems, "导入")
            return
        except RefusedError as exc:
            st.error(f"未导入 (nothing was written)：{plain(exc)}")
            return
        name = plain(upload.name)
        done(f"已导入 {name}（批次 #{batch}）。" if batch else f"{name} 与库中数据相同，没有变化。")


def edit_tab() -> None:
    periods = read(fact_periods, scheme)
    if not periods:
        st.info("库中还没有数据可修改。")
        return
    c1, c2 = st.columns(2)
    period = c1.selectbox("期间", periods, index=default_index(periods), key="edit_period")
    entity = c2.selectbox("单位", read(fact_units, scheme, period), key="edit_entity")
    state = read(publication_state, scheme, period)
    locked = bool(state and state["locked"])
    if locked:
        st.warning(f"{period} 已发布并锁定，不能修改。如确需更改，请先在“发布”页重新打开该期间。")
    elif read(period_status, scheme, period).status == REVIEW:
        locked = True
        st.warning(f"{period} 正在公示：数据只能在“异议处理”页通过采纳异议修改，或在“发布”页先退回草稿。")
    facts = read(unit_facts, scheme, period, entity)
    codes = [i.code for i in rub.indicators]
    edited = st.data_editor(
        facts, num_rows="dynamic", hide_index=True, disabled=locked,
        key=f"edit_{scheme}_{period}_{entity}_{st.session_state.get('data_editor_round', 0)}",
        column_config={"indicator": st.column_config.SelectboxColumn("indicator 指标", options=codes, required=True),
                       "item": st.column_config.TextColumn("item 细项"),
                       "value": st.column_config.TextColumn("value 数值"),
                       "ref": st.column_config.TextColumn("ref 事项编号"),
                       "note": st.column_config.TextColumn("note 备注")})
    st.caption("修改后整期重新检查（例如排名类指标需全期统一用名次或实绩）；问题按“修改表第N行”列出。")
    need_why = bool(state and state["is_open"])
    why = st.text_input("理由" + ("（该期间曾发布，必须填写）" if need_why else "（可选）"), key="edit_why",
                        disabled=locked)
    if st.button("保存修改", key="edit_save", type="primary", disabled=locked):
        try:
            batch = s.edit_unit(scheme, period, entity, edited, who=who, why=why)
        except InputError as exc:
            report(exc.problems, "修改检查")
            return
        except RefusedError as exc:
            st.error(plain(exc))
            return
        done(f"已保存 {plain(entity)} 在 {plain(period)} 的修改（批次 #{batch}）。" if batch else "没有改动，无需保存。")


def pick_fact_period(key: str) -> str | None:
    """A period that has facts (latest by default), or None with a note when the store has none."""
    periods = read(fact_periods, scheme)
    if not periods:
        st.info("库中还没有数据。")
        return None
    return st.selectbox("期间", periods, index=default_index(periods), key=key)


def undo_tab() -> None:
    period = pick_fact_period("undo_period")
    if period is None:
        return
    change = read(last_change, scheme, period)
    if change is None:
        st.info(f"{period} 没有可以撤销的导入或修改。")
        return
    st.markdown(f"将撤销最近一次改动：**{plain(change_label(change))}**。这些单位恢复为改动前的数据，其他单位不受影响。")
    why = st.text_input("理由（该期间曾发布时必填）", key="undo_why")
    if st.button("撤销", key="undo_confirm"):
        try:
            info = s.undo_last(scheme, period, who=who, why=why)
        except InputError as exc:
            report(exc.problems, "撤销检查")
            return
        except RefusedError as exc:
            st.error(plain(exc))
            return
        done(f"已撤销批次 #{info['batch_id']}（{plain(info['source'])}），{info['units']} 个单位恢复为此前的数据。")


def publish_tab() -> None:
    period = pick_fact_period("pub_period")
    if period is None:
        return
    status.workflow_panel(scheme, period)
    state = read(publication_state, scheme, period)
    if state is not None:
        diff = read(publication_differences, scheme, period)
        if diff.empty:
            st.success("当前评分与发布时的榜单一致。")
        else:
            st.warning(f"当前评分与发布时的榜单有 {len(diff)} 处不同（发布的榜单保持不变）：")
            st.dataframe(diff, hide_index=True, key="pub_diff")


tabs = st.tabs(["导入", "修改", "撤销", "发布", "备份"])
for tab, section in zip(tabs, (import_tab, edit_tab, undo_tab, publish_tab, lambda: backup_panel.backup_tab(s))):
    with tab:
        section()
