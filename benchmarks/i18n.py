"""Catalog benchmarks: what choosing a language costs.

    python benchmarks/i18n.py

Each figure is measured in a fresh interpreter (``python -c``), median of 5 runs, with a private
cache directory:

* import of guide.i18n + translating a string in Japanese (the default path: no babel);
* first use of a catalog: babel parses the .po and compiles it (cold cache);
* later uses: the compiled catalog read from the cache (warm cache, no babel import);
* language names for the menu (babel's Locale.get_display_name);
* ``guide.catalogs.completeness`` for one language (what ``guide check`` adds per language).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def run(code: str, cache: str) -> float:
    """Milliseconds the timed block of ``code`` takes in a fresh interpreter."""
    prog = (
        "import time, os\n"
        f"os.environ['TEBIKI_CACHE_DIR'] = {cache!r}\n"
        "t = time.perf_counter()\n" + code + "\nprint((time.perf_counter() - t) * 1000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", prog], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.split()[-1])


def median(code: str, *, fresh_cache: bool) -> float:
    times = []
    with tempfile.TemporaryDirectory() as shared:
        for i in range(RUNS):
            cache = tempfile.mkdtemp() if fresh_cache else shared
            if not fresh_cache and i == 0:
                run(code, cache)  # warm the shared cache
            times.append(run(code, cache))
    return statistics.median(times)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from guide import i18n

    langs = [lang for lang in i18n.available_languages() if lang != i18n.SOURCE]
    print(f"catalogs: {', '.join(langs) or 'none'}  (median of {RUNS} fresh interpreters)")
    ja = "from guide import i18n\ni18n._('はい'); i18n.ct('meta.title', 'x')"
    print(
        f"  ja (default, no babel): import + first string  {median(ja, fresh_cache=True):7.1f} ms"
    )
    for lang in langs:
        code = f"from guide import i18n\ni18n.set_language({lang!r})\ni18n._('はい')"
        cold = median(code, fresh_cache=True)
        warm = median(code, fresh_cache=False)
        print(f"  {lang:8} first use (compile) {cold:7.1f} ms   cached {warm:7.1f} ms")
    names = (
        "from guide import i18n\n"
        "[i18n.language_name(x) for x in i18n.available_languages()]\n"
        "[i18n.draft_mark(x) for x in i18n.available_languages()]"
    )
    print(
        f"  language menu (names + draft marks, cached)  {median(names, fresh_cache=False):7.1f} ms"
    )
    if langs:
        stats = (
            "from guide.loader import load_or_raise\nfrom guide import catalogs\n"
            "c = load_or_raise()\nt = time.perf_counter()\n"
            f"catalogs.completeness(c, {langs[0]!r})"
        )
        took = median(stats, fresh_cache=False)
        print(
            f"  guide check, completeness of one language   {took:7.1f} ms (content loaded first)"
        )


if __name__ == "__main__":
    main()
