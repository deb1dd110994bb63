"""QR codes: the matrix, the half-block text, the ANSI and SVG output, and ``guide qr``.

Every code is checked by *decoding* it with zxing-cpp from an image drawn here, never by
comparing against stored output. Decoding uses ``try_invert=False`` so that a light-on-dark code
does not pass: a phone camera app is not guaranteed to read one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
import zxingcpp
from PIL import Image, ImageDraw

from guide import cli
from guide.loader import load
from guide.render import qr

from .conftest import ROOT

PX = 6  # pixels per module in the test images
RGB = tuple[int, int, int]
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
TOP = {qr.UPPER, qr.FULL}
BOTTOM = {qr.LOWER, qr.FULL}

SAMPLE_URLS = [
    "https://example.jp/",
    "https://lgpos.task-asp.net/cu/282014/ea/residents/portal/home",
    "https://play.google.com/store/search?q=TASK%E3%83%9D%E3%83%BC%E3%82%BF%E3%83%AB&c=apps",
    "https://www.city.himeji.lg.jp/a/b?x=1&y=ポイント",  # non-ASCII and '&' survive the trip
]


# ------------------------------------------------- helpers (the TUI tests use them too)
def decode(img: Image.Image) -> list[str]:
    """Texts of the QR codes zxing finds in ``img``, dark-on-light codes only."""
    found = zxingcpp.read_barcodes(
        img.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False
    )
    return [b.text for b in found]


def draw_cells(cells: list[list[tuple[str, RGB, RGB]]]) -> Image.Image:
    """Draw character cells (char, ink colour, background colour) as two modules each, top and
    bottom: the glyph's half-blocks in ink, the rest in background, like a terminal does."""
    rows, cols = len(cells), max(len(r) for r in cells)
    img = Image.new("RGB", (cols * PX, rows * 2 * PX), WHITE)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(cells):
        for x, (ch, ink, bg) in enumerate(row):
            assert ch in (qr.UPPER, qr.LOWER, qr.FULL, qr.EMPTY), f"unexpected {ch!r}"
            for half, inked in ((0, ch in TOP), (1, ch in BOTTOM)):
                top = (2 * y + half) * PX
                d.rectangle(
                    (x * PX, top, (x + 1) * PX - 1, top + PX - 1), fill=ink if inked else bg
                )
    return img


def draw_text(lines: list[str] | tuple[str, ...], ink: RGB = BLACK, bg: RGB = WHITE) -> Image.Image:
    """Half-block text as it looks printed with ``ink`` on ``bg``."""
    return draw_cells([[(ch, ink, bg) for ch in line] for line in lines])


def modules_of(lines: list[str] | tuple[str, ...]) -> list[list[bool]]:
    """Half-block text back to modules (2 per character, top then bottom), ink = dark."""
    out = []
    for line in lines:
        out.append([ch in TOP for ch in line])
        out.append([ch in BOTTOM for ch in line])
    return out


# A terminal's colours: the theme decides the default colours and palette 0–15, never the
# 256-colour cube (16–231) or 24-bit colours.
THEMES: dict[str, dict[str, RGB]] = {
    "dark": {
        "fg": (220, 220, 220),
        "bg": (24, 24, 24),
        "black": (60, 60, 60),
        "white": (200, 200, 200),
    },
    "light": {
        "fg": (30, 30, 30),
        "bg": (250, 250, 250),
        "black": (0, 0, 0),
        "white": (160, 160, 160),
    },
}


def _cube(n: int) -> RGB:
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    v = 8 + 10 * (n - 232)
    return v, v, v


def emulate(ansi_text: str, theme: str) -> list[list[tuple[str, RGB, RGB]]]:
    """Interpret SGR colour codes the way a terminal with ``theme`` would."""
    t = THEMES[theme]
    cells: list[list[tuple[str, RGB, RGB]]] = []
    fg: RGB | None = None
    bg: RGB | None = None
    for line in ansi_text.splitlines():
        row = []
        for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", line):
            if m.group(2) is not None:
                row.append((m.group(2), fg or t["fg"], bg or t["bg"]))
                continue
            codes = [int(c) for c in m.group(1).split(";") if c] or [0]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0:
                    fg = bg = None
                elif c in (38, 48) and codes[i + 1] == 5:
                    rgb = (
                        _cube(codes[i + 2])
                        if codes[i + 2] >= 16
                        else (t["black"] if codes[i + 2] == 0 else t["white"])
                    )
                    fg, bg = (rgb, bg) if c == 38 else (fg, rgb)
                    i += 2
                elif c in (38, 48) and codes[i + 1] == 2:
                    rgb = (codes[i + 2], codes[i + 3], codes[i + 4])
                    fg, bg = (rgb, bg) if c == 38 else (fg, rgb)
                    i += 4
                elif c in (30, 40):
                    fg, bg = (t["black"], bg) if c == 30 else (fg, t["black"])
                elif c in (37, 47, 97, 107):
                    fg, bg = (t["white"], bg) if c in (37, 97) else (fg, t["white"])
                elif c in (1, 22, 39, 49):
                    fg = None if c == 39 else fg
                    bg = None if c == 49 else bg
                else:
                    raise AssertionError(f"unexpected SGR code {c}")
                i += 1
        cells.append(row)
    return cells


def svg_modules(svg_text: str) -> list[list[bool]]:
    """Rasterise our SVG from its rects: the white background, then the black rects."""
    root = ET.fromstring(svg_text)
    ns = {"s": "http://www.w3.org/2000/svg"}
    _x, _y, w, h = (int(v) for v in root.attrib["viewBox"].split())
    grid = [[False] * w for _ in range(h)]
    for parent in [root, *root.findall("s:g", ns)]:
        fill = parent.attrib.get("fill")
        for r in parent.findall("s:rect", ns):
            colour = r.attrib.get("fill", fill)
            assert colour in (qr.DARK_HEX, qr.LIGHT_HEX)
            x0, y0 = int(r.attrib["x"]), int(r.attrib["y"])
            for yy in range(y0, y0 + int(r.attrib["height"])):
                for xx in range(x0, x0 + int(r.attrib["width"])):
                    grid[yy][xx] = colour == qr.DARK_HEX
    return grid


def draw_modules(modules: list[list[bool]]) -> Image.Image:
    n = len(modules)
    img = Image.new("L", (n * PX, n * PX), 255)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                d.rectangle((x * PX, y * PX, (x + 1) * PX - 1, (y + 1) * PX - 1), fill=0)
    return img


# ---------------------------------------------------------------------- the code itself
@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_half_block_text_decodes_to_exactly_the_url(url: str) -> None:
    lines = qr.half_block_lines(url)
    assert modules_of(lines)[: len(qr.matrix(url))] == [list(r) for r in qr.matrix(url)]
    assert decode(draw_text(lines)) == [url]


@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_svg_decodes_to_exactly_the_url(url: str) -> None:
    text = qr.svg(url)
    modules = svg_modules(text)
    assert modules == [list(r) for r in qr.matrix(url)]
    assert decode(draw_modules(modules)) == [url]
    assert ET.fromstring(text).find("{http://www.w3.org/2000/svg}title").text == url


@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_quiet_zone_is_four_light_modules(url: str) -> None:
    m = qr.matrix(url)
    n = len(m)
    q = qr.QUIET_ZONE
    assert q == 4
    for y in range(n):
        for x in range(n):
            if min(x, y, n - 1 - x, n - 1 - y) < q:
                assert not m[y][x], (x, y)
    # ...and not wider: the finder patterns start right after it
    assert m[q][q] and m[q][n - 1 - q] and m[n - 1 - q][q]
    lines = qr.half_block_lines(url)
    assert all(line[:q].isspace() and line[-q:].isspace() for line in lines)
    assert lines[0].isspace() and lines[1].isspace() and lines[-2].isspace()


def test_size_and_fits() -> None:
    url = SAMPLE_URLS[1]
    n = len(qr.matrix(url))
    assert n == 17 + 4 * qr.version(url) + 2 * qr.QUIET_ZONE
    cols, rows = qr.cells(url)
    assert (cols, rows) == (n, (n + 1) // 2) == (n, len(qr.half_block_lines(url)))
    assert all(len(line) == cols for line in qr.half_block_lines(url))
    assert qr.fits(url, cols, rows)
    assert not qr.fits(url, cols - 1, rows)
    assert not qr.fits(url, cols, rows - 1)


def test_longest_url_for_80x24_is_computed_not_assumed() -> None:
    limit = qr.max_bytes_for(80, 24)
    assert limit > 0
    base = "https://example.jp/"
    assert qr.fits(base + "a" * (limit - len(base)), 80, 24)
    assert not qr.fits(base + "a" * (limit + 1 - len(base)), 80, 24)


def test_matrix_is_cached_per_url() -> None:
    url = "https://example.jp/cache-test"
    first = qr.matrix(url)
    hits = qr.matrix.cache_info().hits
    assert qr.matrix(url) is first
    assert qr.matrix.cache_info().hits == hits + 1
    assert qr.half_block_lines(url) is qr.half_block_lines(url)


@pytest.mark.parametrize("bad", ["", "https://example.jp/" + "a" * 3000])
def test_text_that_cannot_be_a_code_raises_a_clear_error(bad: str) -> None:
    with pytest.raises(qr.QRError):
        qr.matrix(bad)


# ---------------------------------------------------------------------- polarity
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_ansi_is_dark_on_light_in_dark_and_light_terminals(theme: str) -> None:
    url = SAMPLE_URLS[2]
    cells = emulate(qr.ansi(url), theme)
    assert {(ink, bg) for row in cells for _ch, ink, bg in row} == {(BLACK, WHITE)}
    assert decode(draw_cells(cells)) == [url]


def test_uncoloured_text_would_be_inverted_on_a_dark_terminal() -> None:
    """Why colours are forced: plain text on a dark theme is light-on-dark and does not scan."""
    url = SAMPLE_URLS[1]
    assert decode(draw_cells(emulate(qr.plain(url), "light"))) == [url]
    assert decode(draw_cells(emulate(qr.plain(url), "dark"))) == []


@pytest.mark.parametrize("system", ["truecolor", "256"])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_rich_text_is_black_on_white_whatever_the_theme(system: str, theme: str) -> None:
    import io

    from rich.console import Console

    url = SAMPLE_URLS[0]
    out = io.StringIO()
    Console(file=out, width=120, force_terminal=True, color_system=system).print(qr.rich_text(url))
    cells = emulate(out.getvalue(), theme)
    cells = [row for row in cells if row]
    assert {(ink, bg) for row in cells for _ch, ink, bg in row} == {(BLACK, WHITE)}
    assert decode(draw_cells(cells)) == [url]


# ---------------------------------------------------------------------- shipped links
def shipped_links():
    data = yaml.safe_load((ROOT / "content" / "links.yaml").read_text(encoding="utf-8"))
    return data["links"]


@pytest.mark.parametrize("link", shipped_links(), ids=lambda lk: lk["id"])
def test_every_shipped_link_decodes_and_fits_an_80x24_terminal(link) -> None:
    url = link["url"]
    assert decode(draw_text(qr.half_block_lines(url))) == [url]
    assert decode(draw_modules(svg_modules(qr.svg(url)))) == [url]
    # The QR screen puts the code beside at least 30 columns of text; keep URLs short enough.
    assert qr.fits(url, 80 - 30, 24), f"{link['id']}: URL too long for an 80×24 terminal"


def test_shipped_ids_other_files_rely_on(content) -> None:
    assert {
        "portal-home",
        "task-portal-app-ios",
        "task-portal-app-android",
        "jpki-android-models",
    } <= set(content.links)
    assert content.step(1).links == ("portal-home",)
    assert set(content.step(8).links) == {"task-portal-app-ios", "task-portal-app-android"}
    assert content.step(11).links == ("jpki-android-models",)


def test_guide_check_reports_each_unverified_shipped_link(capsys) -> None:
    _content, diags = load(ROOT / "content")
    unverified = [(i, lk) for i, lk in enumerate(shipped_links()) if not lk.get("verified")]
    w052 = [d for d in diags if d.code == "W052"]
    assert sorted(d.path for d in w052) == sorted(f"links[{i}].verified" for i, _ in unverified)
    assert cli.main(["check"]) in (0, 2)
    out = capsys.readouterr().out
    for _i, lk in unverified:
        line = next(x for x in out.splitlines() if "W052" in x and f"'{lk['id']}'" in x)
        assert "links.yaml" in line and lk["url"] in line


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://lgpos.task-asp.net/cu/282014/ea/residents/portal/home", "E050"),
        ("https://lgpos.task-asp.net.evil.example/cu/282014", "E051"),
        ("javascript:alert(1)", "E050"),
        ("https://apps.apple.com@evil.example/x", "E051"),  # user-info is not the host
    ],
)
def test_guide_check_rejects_unsafe_urls(tmp_path: Path, capsys, url: str, code: str) -> None:
    bad = tmp_path / "content"
    for f in (ROOT / "content").rglob("*.yaml"):
        dest = bad / f.relative_to(ROOT / "content")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    data = yaml.safe_load((bad / "links.yaml").read_text(encoding="utf-8"))
    data["links"][0]["url"] = url
    (bad / "links.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli.main(["--content", str(bad), "check"]) == 2
    out = capsys.readouterr().out
    assert any(code in line and "links[0].url" in line for line in out.splitlines())


# ---------------------------------------------------------------------- guide qr
def test_guide_qr_lists_links(capsys, content) -> None:
    assert cli.main(["qr"]) == 0
    out = capsys.readouterr().out
    for lk in content.links.values():
        line = next(x for x in out.splitlines() if x.startswith(lk.id + " "))
        assert ("[未確認]" in line) == (not lk.verified)
        assert lk.url in out


def test_guide_qr_prints_plain_code_then_url_when_piped(capsys, content) -> None:
    link = content.links["task-portal-app-android"]
    assert cli.main(["qr", link.id]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out
    lines = captured.out.splitlines()
    assert lines[-1] == link.url
    assert decode(draw_text(lines[:-1])) == [link.url]
    assert "まだ確認されていません" in captured.err


def test_guide_qr_colours_the_code_on_a_terminal(capsys, monkeypatch, content) -> None:
    import sys

    link = content.links["portal-home"]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.main(["qr", link.id]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[-1] == link.url
    code = "\n".join(lines[:-1])
    for theme in THEMES:
        assert decode(draw_cells(emulate(code, theme))) == [link.url]


def test_guide_qr_writes_svg(tmp_path: Path, capsys, content) -> None:
    target = tmp_path / "portal.svg"
    assert cli.main(["qr", "portal-home", "--svg", str(target)]) == 0
    url = content.links["portal-home"].url
    assert decode(draw_modules(svg_modules(target.read_text(encoding="utf-8")))) == [url]
    assert str(target) in capsys.readouterr().err


def test_guide_qr_svg_to_an_unwritable_place_is_a_message(tmp_path: Path, capsys) -> None:
    assert cli.main(["qr", "portal-home", "--svg", str(tmp_path / "no" / "dir.svg")]) == 1
    err = capsys.readouterr().err
    assert "SVG" in err and "Traceback" not in err


def test_guide_qr_unknown_id_lists_the_ids(capsys, content) -> None:
    assert cli.main(["qr", "no-such-link"]) == 2
    err = capsys.readouterr().err
    assert "no-such-link" in err
    for lid in content.links:
        assert lid in err


def test_qr_rendering_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from guide.render import qr; u = 'https://example.jp/'; "
        "qr.half_block_lines(u); qr.ansi(u); qr.svg(u); qr.rich_text(u); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
