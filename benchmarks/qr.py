"""How long QR codes take to make and draw, and how big they get. Prints figures; asserts nothing.

/work/venv/bin/python benchmarks/qr.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guide.loader import load_or_raise  # noqa: E402
from guide.render import qr  # noqa: E402
from guide.tui.screens.qr import SIDE_MIN_WIDTH  # noqa: E402


def per_call_us(fn: Callable[[], object], repeat: int = 7, number: int = 50) -> tuple[float, float]:
    """(median, best) microseconds per call."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t0) / number * 1e6)
    return statistics.median(runs), min(runs)


def clear() -> None:
    for f in (qr.matrix, qr.half_block_lines, qr.svg):
        f.cache_clear()


def main() -> None:
    code = "import time; t = time.perf_counter(); import qrcode; print(time.perf_counter() - t)"
    imports = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    print(
        f"import qrcode (fresh interpreter, median of 5): {statistics.median(imports) * 1e3:.1f} ms"
    )

    content = load_or_raise(ROOT / "content")
    print("\nshipped links (error correction M, quiet zone 4):")
    print(
        f"{'id':26} {'bytes':>5} {'ver':>3} {'cells':>7}  {'make':>9} {'cached':>8} "
        f"{'rich':>8} {'ansi':>8} {'svg':>9}"
    )
    for lk in content.links.values():
        url = lk.url

        def cold(u: str = url) -> None:
            clear()
            qr.half_block_lines(u)

        make_med, _ = per_call_us(cold, number=20)
        cached, _ = per_call_us(lambda u=url: qr.half_block_lines(u), number=2000)
        rich, _ = per_call_us(lambda u=url: qr.rich_text(u), number=500)
        ansi, _ = per_call_us(lambda u=url: qr.ansi(u), number=500)

        def svg_cold(u: str = url) -> None:
            qr.svg.cache_clear()
            qr.svg(u)

        svg, _ = per_call_us(svg_cold, number=50)
        cols, rows = qr.cells(url)
        print(
            f"{lk.id:26} {len(url.encode()):5} {qr.version(url):3} {cols:3}×{rows:<3}  "
            f"{make_med:7.0f}µs {cached:6.2f}µs {rich:6.1f}µs {ansi:6.1f}µs {svg:7.0f}µs"
        )

    print("\nlongest URL (bytes, byte mode) whose code fits, by terminal size:")
    for w, h in [(80, 24), (100, 30), (120, 40), (40, 30), (200, 60)]:
        alone = qr.max_bytes_for(w, h)
        side = qr.max_bytes_for(w - SIDE_MIN_WIDTH, h)
        print(f"  {w:3}×{h:<3} code alone: {alone:4} bytes; beside the QR screen's text: {side:4}")

    print("\nsize by URL length (byte-mode probe https://example.jp/aaa…):")
    for n in (40, 60, 80, 84, 85, 100, 120, 150):
        url = "https://example.jp/" + "a" * (n - 19)
        cols, rows = qr.cells(url)
        print(
            f"  {n:4} bytes: version {qr.version(url):2}, {cols}×{rows} cells, "
            f"fits 80×24: {qr.fits(url, 80, 24)}"
        )


if __name__ == "__main__":
    main()
