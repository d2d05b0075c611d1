"""Chart images through kaleido and the installed Chromium, offline: PNG and SVG with the Arabic font."""

from __future__ import annotations

import atexit
import threading

import plotly.graph_objects as go

# One browser for every export of the process (a cold start costs ~3 s, a warm image ~0.2 s).
_LOCK = threading.Lock()
_STARTED = False
EXPORT_FONT = "Noto Sans Arabic, Noto Sans, DejaVu Sans, sans-serif"


def _server() -> None:
    global _STARTED
    if _STARTED:
        return
    import kaleido

    # mathjax=False: kaleido would otherwise load MathJax from a CDN (no outbound connection, ever).
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _STARTED = True


def for_export(fig: go.Figure, *, font_size: int = 20) -> go.Figure:
    """A copy with the Arabic-capable font named first (installed: fonts-noto-core) and larger type."""
    out = go.Figure(fig)
    out.update_layout(
        font={"family": EXPORT_FONT, "size": font_size, "color": "#000"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
    if (
        out.layout.map.zoom is not None
    ):  # an exported map fills a wide picture: show the country larger
        out.update_layout(map={"zoom": out.layout.map.zoom + 0.4})
    return out


def figure_image(
    fig: go.Figure, fmt: str = "png", *, width: int = 1600, height: int = 900
) -> bytes:
    """The figure as PNG or SVG bytes, drawn by Chromium through kaleido (no network)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt}")
    with _LOCK:
        _server()
        import kaleido

        opts = {"format": fmt, "width": width, "height": height, "scale": 1}
        return kaleido.calc_fig_sync(for_export(fig).to_dict(), opts=opts)
