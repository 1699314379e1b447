"""``flagboard notice``: a period's notice (通报) as .docx, .pdf or .xlsx, from the command line.

    flagboard notice --db STORE --rubric ID --period P [--group G] [--number 文号] [--date D] --out 通报.docx|.pdf|.xlsx

The same document the 红旗评选 page makes: from the published snapshot when the period is published and locked,
with the scheme's stored 发文单位 and 落款; a period in 草稿 or 公示 gives a notice marked 草稿 / 公示稿 (title, and a
note on stderr). An office action: the command line acts on the store file as its administrator. The file is
written whole or not at all.
"""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from cli.common import DEFAULT_DB, CliError, get_rubric
from cli.store_cmds import open_store
from documents.chart_images import chart_images
from documents.notice import NoticeMeta, notice_chart, notice_pdf, notice_xlsx
from documents.notice_docx import notice_docx
from queries.league import groups, periods
from queries.notice import notice_facts

FORMATS = (".docx", ".pdf", ".xlsx")


def add_parser(sub) -> None:
    p = sub.add_parser("notice", help="write a period's notice (通报) as .docx, .pdf or .xlsx")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--rubric", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--group", default=None, help="the group (组别) when the period has several")
    p.add_argument("--number", default="", help="文号, e.g. 淄政服办〔2024〕3号")
    p.add_argument("--date", default=None, help="the notice's date, YYYY-MM-DD (default: today)")
    p.add_argument("--out", required=True, help="通报.docx, 通报.pdf or 通报.xlsx")
    p.set_defaults(func=run)


def parse_day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--date {text!r} 不是日期，请写成 YYYY-MM-DD，例如 2024-01-05 (not a date)") from None


def render(facts: dict, meta: NoticeMeta, suffix: str) -> tuple[bytes, bool]:
    """(document bytes, whether the chart was drawn)."""
    if suffix == ".xlsx":
        return notice_xlsx(facts, meta), True  # the XLSX carries a native Excel chart
    images = chart_images(notice_chart(facts))
    if suffix == ".pdf":
        return notice_pdf(facts, images.svg, meta), images.drawn
    return notice_docx(facts, images.png, meta), images.drawn


def write_atomic(data: bytes, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise CliError(f"无法写入输出文件 (cannot write output): {exc.filename or ''} {exc.strerror or exc}") from None


def run(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        raise CliError(f"--out 应以 {'、'.join(FORMATS)} 结尾 (the output's suffix names the format): {out.name}")
    meta = NoticeMeta(args.number.strip(), parse_day(args.date))
    rubric = get_rubric(args.rubric)
    if not Path(args.db).exists():
        raise CliError(f"数据库文件不存在 (no store at {args.db})")
    with open_store(args.db) as store:  # read-write: a store made before period statuses is migrated first
        if args.period not in periods(store, rubric.id):
            raise CliError(f"{args.period} 没有 {rubric.id} 的评分结果 (no results for this period)")
        known = groups(store, rubric.id, args.period)
        if args.group is not None and args.group not in known:
            raise CliError(f"{args.period} 没有组别 {args.group!r}（有：{'、'.join(known) or '（无组别）'}）(unknown group)")
        if args.group is None and len(known) > 1:
            raise CliError(f"{args.period} 有多个组别，请用 --group 指定其一：{'、'.join(known)} (several groups)")
        facts = notice_facts(store, rubric.id, args.period, args.group)
    data, drawn = render(facts, meta, out.suffix.lower())
    write_atomic(data, out)
    if not facts["issuer"]:
        print("提醒：本方案尚未设置发文单位和落款（在看板“红旗评选”页设置），通报中以“（发文单位未设置）”代替。",
              file=sys.stderr)
    if facts["status_mark"]:
        print(f"注意 note: {args.period} 尚未发布，通报标为“{facts['status_mark']}” (not published: marked "
              f"{facts['status_mark']})", file=sys.stderr)
    if not meta.number:
        print("提醒：未给出文号 (--number)，文号处留空。", file=sys.stderr)
    if not drawn:
        print("提醒：图表未能生成（需要 Chromium 与 kaleido），通报中不含图表。", file=sys.stderr)
    print(f"已生成通报 notice written ({facts['source']}): {out}")
    return 0
