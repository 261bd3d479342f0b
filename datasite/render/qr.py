"""QR codes (SVG) of the site and of the article's DOI, for posters and slides."""

from __future__ import annotations

import io

from .memo import memoized


@memoized("segno")
def qr_svg(payload: str, title: str) -> str:
    """A deterministic, self-contained SVG of `payload` (no XML declaration, scalable)."""
    import segno  # only when the render cache does not have the SVG

    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        out, kind="svg", scale=4, border=2, xmldecl=False, title=title, dark="#000", light="#fff"
    )
    return out.getvalue().decode("utf-8")
