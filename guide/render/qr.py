"""QR codes for the guide's links: URL → module matrix → half-block text (terminal) or SVG (print).

Pure: no Textual, no I/O. ``qrcode`` is imported only when a code is first made, and every
result is cached per URL, so switching between links or redrawing on resize costs nothing.

Choices, and why:

* **Error correction M** (15 % of the code can be lost). On a screen the code is never creased or
  smudged, so Q/H buy nothing there and cost one or two versions (Q puts the 86-byte Google Play
  search link at version 7: 53 modules, too tall for a 24-row terminal). L would save a version on
  the two store links but leaves only 7 % for what does happen on screens: the mouse pointer or
  the text cursor parked on the code, a glare spot, rows drawn with a hairline gap. With M every
  shipped link still fits an 80×24 terminal (version 5 at most: 45×45 modules, 45×23 cells). The
  SVG uses the same matrix, so screen and paper show the same code.
* **Quiet zone of 4 modules** on every side, as the standard asks; a code without it may not scan
  when the terminal's own background is dark.
* **Half blocks**: two modules per character cell, top and bottom (``▀ ▄ █`` and space). A
  terminal cell is about twice as tall as it is wide, so modules come out roughly square. Ink is
  always a *dark* module; the colours are forced (black on white), never left to the terminal
  theme, because a QR code must be dark-on-light to scan everywhere.
* Colours in ANSI use the 256-colour cube entries 16 (#000000) and 231 (#ffffff): palette entries
  0–15 ("black", "white") are re-coloured by terminal themes, the cube is not, and 256 colours
  work in terminals (macOS Terminal) where 24-bit colour sequences do not.

Limitation, not solved here: ``▀ ▄ █`` are East-Asian-Ambiguous characters. A terminal set to draw
ambiguous characters double-width (a common CJK setting) breaks the code apart; the screens say so
and always show the URL as text too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from rich.text import Text

QUIET_ZONE = 4  # modules of light margin on every side (ISO/IEC 18004)
ERROR_CORRECTION = "M"

UPPER, LOWER, FULL, EMPTY = "▀", "▄", "█", " "
_CELL = {(False, False): EMPTY, (True, False): UPPER, (False, True): LOWER, (True, True): FULL}

DARK_HEX, LIGHT_HEX = "#000000", "#ffffff"
ANSI_ON = "\x1b[38;5;16;48;5;231m"  # 256-colour cube black on cube white: not themeable
ANSI_OFF = "\x1b[0m"

Matrix = tuple[tuple[bool, ...], ...]


class QRError(ValueError):
    """The text cannot be made into a QR code (for example, it is far too long)."""


def _make(url: str) -> Matrix:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.exceptions import DataOverflowError

    if not url:
        raise QRError("an empty text cannot be made into a QR code")
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    try:
        qr.add_data(url)
        qr.make(fit=True)
    except (DataOverflowError, ValueError) as e:
        raise QRError(f"too long for a QR code ({len(url.encode())} bytes)") from e
    return tuple(tuple(bool(m) for m in row) for row in qr.get_matrix())


@lru_cache(maxsize=64)
def matrix(url: str) -> Matrix:
    """The code's modules, ``True`` = dark, *including* the quiet zone; square, side ``n``.

    Raises :class:`QRError` for text that no QR code can hold.
    """
    return _make(url)


def version(url: str) -> int:
    """The QR version (1–40) used for ``url``: side = 17 + 4 × version modules."""
    return (len(matrix(url)) - 2 * QUIET_ZONE - 17) // 4


def cells(url: str) -> tuple[int, int]:
    """(columns, rows) of character cells the half-block code needs, quiet zone included."""
    n = len(matrix(url))
    return n, (n + 1) // 2


def fits(url: str, width: int, height: int) -> bool:
    """Whether the code for ``url``, with its quiet zone, fits ``width`` × ``height`` cells."""
    cols, rows = cells(url)
    return cols <= width and rows <= height


@lru_cache(maxsize=64)
def half_block_lines(url: str) -> tuple[str, ...]:
    """The code as text: each character cell holds two modules, top and bottom; ink = dark.

    With an odd number of module rows the last cell row's bottom half is light.
    """
    m = matrix(url)
    n = len(m)
    light = (False,) * n
    lines = []
    for y in range(0, n, 2):
        top, bottom = m[y], m[y + 1] if y + 1 < n else light
        lines.append("".join(_CELL[t, b] for t, b in zip(top, bottom, strict=True)))
    return tuple(lines)


def plain(url: str) -> str:
    """The code as uncoloured text, ink = dark: for pipes, files and paper (a light page)."""
    return "\n".join(half_block_lines(url)) + "\n"


def ansi(url: str) -> str:
    """The code for a terminal: each line forced to black ink on a white background."""
    return "".join(f"{ANSI_ON}{line}{ANSI_OFF}\n" for line in half_block_lines(url))


def rich_text(url: str) -> Text:
    """The code as a Rich ``Text`` (for Textual): black on white whatever the theme, no wrapping.

    A new ``Text`` each call (Text is mutable); the lines behind it are cached.
    """
    from rich.style import Style
    from rich.text import Text

    style = Style(color=DARK_HEX, bgcolor=LIGHT_HEX)
    return Text(
        "\n".join(half_block_lines(url)), style=style, no_wrap=True, overflow="crop", end=""
    )


@lru_cache(maxsize=64)
def svg(url: str, module_mm: float = 1.0) -> str:
    """The code as a standalone SVG: one ``rect`` per run of dark modules on a white background.

    The drawing is ``module_mm`` millimetres per module when printed (1 mm: a 45-module code is
    4.5 cm wide); ``viewBox`` is in modules, so it scales cleanly on the web.
    """
    m = matrix(url)
    n = len(m)
    size = f"{n * module_mm:g}mm"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}" height="{size}" '
        f'viewBox="0 0 {n} {n}" shape-rendering="crispEdges">',
        f"<title>{escape(url)}</title>",
        f'<rect x="0" y="0" width="{n}" height="{n}" fill="{LIGHT_HEX}"/>',
        f"<g fill={quoteattr(DARK_HEX)}>",
    ]
    for y, row in enumerate(m):
        x = 0
        while x < n:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < n and row[x]:
                x += 1
            out.append(f'<rect x="{start}" y="{y}" width="{x - start}" height="1"/>')
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def max_bytes_for(width: int, height: int, *, probe: str = "https://example.jp/") -> int:
    """The longest URL (bytes, lower-case path: byte mode) whose code fits ``width`` × ``height``.

    Computed by making codes, not from a table, so it follows the error-correction level above.
    Returns 0 when not even the probe prefix fits.
    """
    best = 0
    lo, hi = len(probe), 2953  # the largest byte-mode capacity of any QR code
    while lo <= hi:
        mid = (lo + hi) // 2
        try:
            n = len(_make(probe + "a" * (mid - len(probe))))  # uncached: keep the cache for links
            ok = n <= width and (n + 1) // 2 <= height
        except QRError:
            ok = False
        if ok:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best
