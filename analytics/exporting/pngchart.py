"""Small PNG charts for the .docx report, drawn with Pillow (already installed with Streamlit).

python-docx cannot make native Word charts and kaleido needs a browser download, so the report's
charts are simple bar and line images. They need a Chinese font (fonts-noto-cjk, which the Makefile's
``browser-deps`` installs); without one, the functions return None and the report keeps its tables.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_FONT_GLOBS = ("NotoSansCJK*Regular*.tt[cf]", "NotoSansSC*Regular*.[ot]tf", "wqy-*.tt[cf]", "SourceHanSans*")
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
W, H = 1400, 700
PAD_L, PAD_R, PAD_T, PAD_B = 110, 40, 80, 120


@cache
def font_path() -> Path | None:
    for folder in _FONT_DIRS:
        if folder.is_dir():
            for pattern in _FONT_GLOBS:
                found = sorted(folder.rglob(pattern))
                if found:
                    return found[0]
    return None


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    path = font_path()
    if path is None:
        return None
    # In the Noto CJK collection face 2 is Simplified Chinese.
    index = 2 if path.suffix == ".ttc" and "CJK" in path.name else 0
    return ImageFont.truetype(str(path), size, index=index)


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str) -> bytes | None:
    """Vertical bars with value labels."""
    return _draw(labels, {"": list(values)}, title, kind="bar")


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]], title: str) -> bytes | None:
    """One line per series over the same labels; missing values break nothing (drawn as gaps)."""
    return _draw(labels, {k: list(v) for k, v in series.items()}, title, kind="line")


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN


def _draw(labels: Sequence[str], series: dict[str, list], title: str, *, kind: str) -> bytes | None:
    font, small = _font(30), _font(20)
    if font is None or small is None or not labels:
        return None
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    d.text((PAD_L, 20), title, fill="#222222", font=font)
    values = [x for vals in series.values() for x in map(_num, vals) if x is not None]
    top = max(values, default=0) or 1
    x0, x1, y0, y1 = PAD_L, W - PAD_R, H - PAD_B, PAD_T
    for i in range(5):  # gridlines and axis labels
        y = y0 - (y0 - y1) * i / 4
        d.line([(x0, y), (x1, y)], fill="#e5e5e5", width=1)
        d.text((10, y - 12), f"{top * i / 4:,.0f}", fill="#555555", font=small)
    n = len(labels)
    step = (x1 - x0) / n
    every = max(1, -(-n // 12))  # at most 12 category labels, so they never overlap
    for i, label in enumerate(labels):
        if i % every == 0:
            d.text((x0 + step * i + 4, y0 + 8), str(label)[:6], fill="#333333", font=small)
    for s, (name, vals) in enumerate(series.items()):
        colour = COLOURS[s % len(COLOURS)]
        points = []
        for i, v in enumerate(map(_num, vals)):
            if v is None:
                points.append(None)
                continue
            y = y0 - (y0 - y1) * v / top
            if kind == "bar":
                d.rectangle([x0 + step * i + step * 0.15, y, x0 + step * (i + 0.85), y0], fill=colour)
                if n <= 16:
                    d.text((x0 + step * i + step * 0.15, y - 26), f"{v:,.0f}", fill="#222222", font=small)
            points.append((x0 + step * (i + 0.5), y))
        if kind == "line":
            run = [p for p in points if p is not None]
            if len(run) > 1:
                d.line(run, fill=colour, width=4)
            for p in run:
                d.ellipse([p[0] - 5, p[1] - 5, p[0] + 5, p[1] + 5], fill=colour)
            if name:
                lx = x0 + 260 * s
                d.rectangle([lx, H - 45, lx + 30, H - 25], fill=colour)
                d.text((lx + 40, H - 50), name, fill="#333333", font=small)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
