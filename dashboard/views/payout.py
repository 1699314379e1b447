"""绩效付款: contract-year means over the rubric's month windows, the payout band and money, the month-by-month
trend and what the points lost on each indicator cost (schemes with ``payout`` in their rubric, e.g. Haikou)."""
import streamlit as st

from dashboard import charts, widgets
from dashboard.plain import plain
from dashboard.state import clear_caches, read, store, viewer
from queries.payout import entered_terms, payout_terms, payout_view
from queries.store import Actor, RefusedError


def contract_form(window) -> None:
    """The office stores one contract year's price and certification counts (through the write door, audited)."""
    stored = window.stored
    with st.form(f"payout_terms_{window.id}"):
        price = st.number_input("中标价（元）", min_value=0.0, step=10_000.0, format="%.2f",
                                value=stored.price if stored.price is not None else window.default_price,
                                key=f"payout_price_{window.id}")
        target = st.number_input("应鉴定人数", min_value=0, step=1, value=stored.target or 0,
                                 key=f"payout_target_{window.id}")
        certified = st.number_input("鉴定通过人数", min_value=0, step=1, value=stored.certified or 0,
                                    key=f"payout_certified_{window.id}")
        why = st.text_input("理由（可选）", key=f"payout_why_{window.id}")
        if st.form_submit_button("保存", key=f"payout_save_{window.id}"):
            try:
                store().set_contract_terms(picked.scheme, window.id, entered_terms(price, target, certified, stored),
                                           Actor(viewer().name, "dashboard"), why=why)
            except RefusedError as exc:
                st.error(plain(exc))
                return
            clear_caches()
            st.rerun()


picked = widgets.require_data()
terms = read(payout_terms, picked.scheme)
widgets.header("绩效付款", picked)
if terms is None:
    st.info("本方案的细则没有按考核结果付款的规定（付款档次、合同年度），本页不适用。"
            "(This scheme has no payout rule; see e.g. haikou-2023.)")
    st.stop()

st.caption(terms.rule)
with st.expander("付款参数：各合同年度的中标价与行政办事员鉴定人数（已录入的数值记入审计日志）", expanded=False):
    st.caption(terms.price_note)
    st.caption(terms.shortfall_note)
    office = viewer().role == "office"
    for col, window in zip(st.columns(len(terms.windows)), terms.windows):
        with col:
            st.markdown(f"**{plain(window.name)}**")
            st.caption(window.in_use)
            if office:
                contract_form(window)
    if not office:
        st.caption("中标价与鉴定人数由办公室录入 (entered by the office)。")

view = read(payout_view, picked.scheme)
if view.years.empty:
    st.info("各合同年度统计周期内还没有月度考核结果 (no monthly results inside the contract-year windows)。")
    st.stop()

for n, (row, col) in enumerate(zip(view.years.to_dict("records"), st.columns(len(view.years)))):
    with col:
        widgets.card(f"{plain(row['合同年度'])} · {plain(row['单位'])}", f"{row['实付绩效考核金额（元）']:,.2f} 元",
                     f"年度均分 {row['年度均分']:.2f}（{row['已考核月数']}/{row['应考核月数']} 个月） · {row['支付档次']}",
                     key=f"payout_card_{n}")
for name in view.negative:
    st.error(f"{plain(name)}：鉴定扣除超过按档次应付金额，实付为负数，请办公室另行处理 (negative net payout)。")
if view.incomplete:
    st.warning("以下合同年度尚有月份未考核，年度均分按已考核月份计算：" + "；".join(view.incomplete))

st.subheader("各合同年度付款测算")
st.dataframe(view.years, hide_index=True, key="payout_years",
             column_config=widgets.number_columns(view.years, [c for c in view.years.columns if "元" in c or
                                                               c == "年度均分"]))
widgets.downloads(view.years, f"绩效付款_{picked.scheme}", key="payout_years_dl", sheet="绩效付款")

st.subheader("月度得分走势")
st.plotly_chart(charts.payout_months(view.months, view.bands), key="payout_months_chart",
                config={"displaylogo": False})

st.subheader("每项失分的代价")
st.caption("按合同年度：某考核项目全年失分若未发生，年度均分会提高多少、落在哪个档次、可多得多少绩效考核金额"
           "（付款按档次计，失分只有在跨过档次线时才影响金额）。")
key = st.selectbox("合同年度 · 单位", list(view.costs), key="payout_cost_choice", format_func=view.cost_labels.get)
costs = view.costs[key]
if costs.empty:
    st.success("该合同年度没有失分。")
else:
    st.dataframe(costs, hide_index=True, key="payout_costs",
                 column_config=widgets.number_columns(costs, ["失分合计", "对年度均分的影响", "少得金额（元）"]))
