"""QR codes (SVG) of the site and of the article's DOI, for posters and slides."""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=16)
def qr_svg(payload: str, title: str) -> str:
    """A deterministic, self-contained SVG of `payload` (no XML declaration, scalable)."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        out, kind="svg", scale=4, border=2, xmldecl=False, title=title, dark="#000", light="#fff"
    )
    return out.getvalue().decode("utf-8")
