"""A Plotly figure as SVG (vector: the PDF notice keeps its labels as text) and PNG (the Word notice), drawn by
kaleido with Debian chromium. One Chrome serves both drawings (kaleido's sync server), so a notice costs one
Chrome start. Without Chrome the images are None and the notice says the chart is missing.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

WIDTH = 800  # px; the PDF scales the SVG to the text width, the DOCX places the PNG at 16 cm


@dataclass(frozen=True)
class ChartImages:
    svg: bytes | None = None
    png: bytes | None = None

    @property
    def drawn(self) -> bool:
        return self.svg is not None


def chart_images(fig, width: int = WIDTH, height: int | None = None) -> ChartImages:
    """The figure as SVG and PNG (``height``: the figure's own height, else 460 px); empty :class:`ChartImages`
    if kaleido cannot draw here."""
    height = height or fig.layout.height or 460
    try:
        import kaleido
    except ImportError:
        return ChartImages()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = False
        try:
            kaleido.start_sync_server(silence_warnings=True)
            started = True
        except Exception:  # noqa: BLE001 - a server already runs, or none can: to_image still tries on its own
            pass
        try:
            svg = fig.to_image(format="svg", width=width, height=height)
            png = fig.to_image(format="png", width=width, height=height, scale=2)
            return ChartImages(svg, png)
        except Exception:  # noqa: BLE001 - no Chromium/kaleido: the notice says the chart is missing
            return ChartImages()
        finally:
            if started:
                try:
                    kaleido.stop_sync_server(silence_warnings=True)
                except Exception:  # noqa: BLE001
                    pass
