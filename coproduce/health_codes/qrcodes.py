"""Rendering a token payload as a QR code, in the health code's color (PRODUCT.md 3.2).

Pure: payload in, SVG text or PNG bytes out, with segno. The QR uses error correction level M
exactly (no boost: the size stays predictable) and the standard 4-module quiet zone. The dark
modules may be colored by the code's color; the light ones are always white, because scanners
threshold on luminance and a transparent background would take the page's color.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from types import MappingProxyType

import segno

from coproduce.health_codes.rules import Color

__all__ = [
    "card_svg",
    "DARK_DEFAULT",
    "HEALTH_CODE_COLORS",
    "LIGHT",
    "QUIET_ZONE",
    "contrast_ratio",
    "qr_png",
    "qr_svg",
]

# Dark enough on white for any phone camera or checkpoint scanner to threshold, yet clearly
# green, amber and red to a person. A pure yellow (#ffd700) would not decode: its contrast with
# white is about 1.4 : 1. Each is at least 4.5 : 1 (WCAG AA), checked by the tests.
HEALTH_CODE_COLORS: Mapping[Color, str] = MappingProxyType(
    {
        Color.GREEN: "#137333",
        Color.YELLOW: "#8a5a00",
        Color.RED: "#c5221f",
    }
)
DARK_DEFAULT = "#000000"  # a card, or a code shown without its color
LIGHT = "#ffffff"
QUIET_ZONE = 4  # modules; ISO/IEC 18004 asks for four


def _dark(color: Color | None) -> str:
    return DARK_DEFAULT if color is None else HEALTH_CODE_COLORS[Color(color)]


def _qr(payload: str) -> segno.QRCode:
    # A CP1 payload is all QR alphanumeric characters, which segno picks by itself.
    return segno.make_qr(payload, error="m", boost_error=False)


def qr_svg(
    payload: str,
    *,
    color: Color | None = None,
    scale: int = 4,
    title: str | None = None,
    fluid: bool = False,
) -> str:
    """A standalone SVG of the payload's QR code, dark modules in the code's color.

    fluid: a viewBox instead of a fixed size, so that a page can scale it to the screen.
    """
    out = io.BytesIO()
    _qr(payload).save(
        out,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        dark=_dark(color),
        light=LIGHT,
        xmldecl=False,
        title=title,
        omitsize=fluid,
    )
    return out.getvalue().decode("utf-8")


def qr_png(payload: str, *, color: Color | None = None, scale: int = 8) -> bytes:
    """PNG bytes of the payload's QR code on white, dark modules in the code's color."""
    out = io.BytesIO()
    _qr(payload).save(
        out, kind="png", scale=scale, border=QUIET_ZONE, dark=_dark(color), light=LIGHT
    )
    return out.getvalue()


def _luminance(hex_color: str) -> float:
    """Relative luminance of an sRGB color (WCAG 2.x definition)."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str = LIGHT) -> float:
    """WCAG contrast ratio of two "#rrggbb" colors, from 1 to 21."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def card_svg(payload: str, *, name: str, subject: str, lines: tuple[str, ...] = ()) -> str:
    """A printable card (85.6 x 54 mm, ID-1): the identity QR in black, the name and the id.

    A card carries no color: the checkpoint asks the server for it (PRODUCT.md 3.2).
    """
    from xml.sax.saxutils import escape

    qr = _qr(payload)
    scale = 2
    size = (qr.symbol_size(scale=scale, border=QUIET_ZONE))[0]
    inner = io.BytesIO()
    qr.save(
        inner,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        dark=DARK_DEFAULT,
        light=LIGHT,
        xmldecl=False,
        svgns=True,
    )
    qr_text = inner.getvalue().decode("utf-8").replace("<svg ", '<svg x="8" y="8" ', 1)
    width, height = size + 16 + 300, max(size + 16, 200)
    text_x = size + 24
    rows = [f'<text x="{text_x}" y="40" font-size="22" font-weight="700">{escape(name)}</text>']
    rows.append(
        f'<text x="{text_x}" y="70" font-size="16" font-family="monospace">{escape(subject)}</text>'
    )
    for i, line in enumerate(lines):
        rows.append(f'<text x="{text_x}" y="{100 + 22 * i}" font-size="13">{escape(line)}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">'
        # The border drawn 1 unit inside: a stroke on the edge is half outside and was clipped.
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="#fff" stroke="#000" '
        'stroke-width="2" rx="12"/>'
        f"{qr_text}{''.join(rows)}</svg>"
    )
