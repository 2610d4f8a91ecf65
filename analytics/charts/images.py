"""The app's plotly figures as PNG images, for the files that cannot hold a live chart (.docx).

The images are drawn by plotly.js itself in headless Chromium (kaleido), so a chart in the report
looks exactly as it does in the app and in the app's PNG download (which the browser draws the same
way): one set of chart builders (``analytics.charts``), one theme. Chromium is Debian's package
(``make browser-deps``); kaleido finds it on the PATH or at ``$BROWSER_PATH``. Without a browser,
:func:`render` raises ``ChartsUnavailable`` with a Chinese message, and the caller keeps its tables.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go

from analytics.errors import UserError

log = logging.getLogger(__name__)
WIDTH = 1000  # CSS pixels: about the width of an A4 text column at the report's 15.5 cm
HEIGHT = 500
SCALE = 2  # sharp when printed
TIMEOUT = 60  # seconds for one image
NO_BROWSER_ZH = "图表未能生成：未找到 Chromium 浏览器（运行 make browser-deps 安装）。数据见下表。"


class ChartsUnavailable(UserError):
    """No browser to draw the charts with (or it failed to start)."""


def render(figures: Sequence[go.Figure], *, width: int = WIDTH, height: int = HEIGHT) -> list[bytes]:
    """PNG bytes of each figure, all drawn in one browser session. A figure's own ``layout.height``
    (a ranking with many bars is taller) wins over ``height``."""
    if not figures:
        return []
    from choreographer.errors import BrowserClosedError, BrowserFailedError, ChromeNotFoundError

    try:
        # In a worker thread: asyncio.run needs a thread without a running event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, _render(list(figures), width, height)).result()
    except (ChromeNotFoundError, BrowserFailedError, BrowserClosedError) as exc:
        log.warning("charts not rendered: %s", exc)
        raise ChartsUnavailable(f"Charts not rendered (no usable Chromium): {exc}", zh=NO_BROWSER_ZH) from exc


async def _render(figures: list[go.Figure], width: int, height: int) -> list[bytes]:
    import kaleido  # starts nothing on import, but loads choreographer: only when drawing

    # mathjax=False: no LaTeX in these charts, and the default would fetch MathJax from a CDN.
    async with kaleido.Kaleido(n=1, timeout=TIMEOUT, mathjax=False) as k:
        return [
            await k.calc_fig(
                fig, opts={"format": "png", "width": width, "height": fig.layout.height or height, "scale": SCALE}
            )
            for fig in figures
        ]
