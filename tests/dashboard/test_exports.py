"""Exports: list cells as text, CSV with a BOM, XLSX and Parquet that parse back, chart PNG via kaleido."""
from __future__ import annotations

import io
import shutil

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.exports import (chart_images, csv_bytes, for_download, parquet_bytes, read_csv_bytes,
                               read_xlsx_bytes, xlsx_bytes)

SHOWN = pd.DataFrame({"名次": [1, 2], "单位": ["甲镇", "乙街道"], "总分": [96.02, 85.77], "等次": ["好", ""],
                      "名次走势": [[3, 1], [2]]})
FLAT = SHOWN.assign(名次走势=["3→1", "2"])


def test_for_download_writes_list_cells_as_text():
    pd.testing.assert_frame_equal(for_download(SHOWN), FLAT)
    pd.testing.assert_frame_equal(for_download(FLAT), FLAT)


def test_csv_has_a_bom_and_parses_back():
    data = csv_bytes(FLAT)
    assert data.startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(read_csv_bytes(data), FLAT.astype({"名次走势": "str"}), check_dtype=False)


def test_a_gbk_csv_is_gbk_bytes_and_keeps_rare_characters():
    """Older WPS/Excel read a CSV as GBK: the GBK download is exactly the GBK encoding of the same text, and a
    character outside GBK (U+20000, GB18030 only) is still written rather than lost."""
    frame = pd.DataFrame({"单位": ["洪山镇", "昆仑镇𠀀"], "总分": [97.5, 88.25]})
    data = csv_bytes(frame, "gbk")
    text = csv_bytes(frame).decode("utf-8-sig")
    assert data[:len("单位".encode("gbk"))] == "单位".encode("gbk")
    assert data.decode("gb18030") == text
    assert "洪山镇".encode("gbk") in data and not data.startswith(b"\xef\xbb\xbf")


def test_xlsx_and_parquet_parse_back():
    pd.testing.assert_frame_equal(read_xlsx_bytes(xlsx_bytes(FLAT, "榜单")), FLAT, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(parquet_bytes(FLAT))), FLAT, check_dtype=False)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="kaleido needs Debian chromium")
def test_chart_png_and_svg_with_chinese_labels():
    images = chart_images(go.Figure(go.Bar(x=["甲镇", "乙街道"], y=[1, 2]), layout={"height": 200}))
    assert images.png is not None and images.png.startswith(b"\x89PNG")
    assert images.svg is not None and b"<svg" in images.svg and "乙街道".encode() in images.svg
