"""Accuracy and speed of the symptom matcher (guide/symptoms.py), per language. Not a test:
prints figures.

    python benchmarks/symptoms.py [--content DIR] [--cases FILE] [--lang LANG ...] [--misses]
                                  [--rounds N]

Accuracy: top-1 and top-3 topic per language, over our phrase tables
(tests/data/symptom_phrases.yaml for ja, symptom_phrases_<lang>.yaml for the others) and the real
cases (../shared/cases/cases.yaml, beside the repository: their Japanese `says` for ja, their
English `gloss` for en). A query counts as right when the topic it should reach, or one of its
``also_ok``, is first (top-1) or among the first three (top-3).

Speed: every language's matcher is loaded and kept (as a server answering several languages
would), then every query of every table is timed with ``Matcher.match`` of its own language,
interleaved, after a warm-up: median, p99 and max per query, overall and per language.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guide.loader import load  # noqa: E402
from guide.symptoms import load_matcher, words_language  # noqa: E402

CASES = ROOT.parent / "shared" / "cases" / "cases.yaml"
DATA = ROOT / "tests" / "data"
LANGS = ("ja", "ja-easy", "en", "vi", "zh-Hans", "ko")


def read_cases(path: Path, field: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        {
            "id": c["id"],
            "says": c[field],
            "step": c.get("step"),
            "ok": [c["topic"], *(c.get("also_ok") or [])],
        }
        for c in data
        if c.get(field)
    ]


def read_phrases(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        {
            "id": f"{topic}/{i}",
            "says": p["says"],
            "step": p.get("step"),
            "ok": [topic, *(p.get("also_ok") or [])],
        }
        for topic, items in data.items()
        for i, p in enumerate(items)
    ]


def tables_for(lang: str, cases: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    out = []
    field = {"ja": "says", "en": "gloss"}.get(lang)
    if field and cases.is_file():
        out.append(("cases", read_cases(cases, field)))
    name = "symptom_phrases.yaml" if lang == "ja" else f"symptom_phrases_{lang}.yaml"
    if (DATA / name).is_file():
        out.append(("phrases", read_phrases(DATA / name)))
    return out


def accuracy(matcher: Any, rows: list[dict[str, Any]], show_misses: bool) -> tuple[float, float]:
    top1 = top3 = 0
    for row in rows:
        got = [c.topic for c in matcher.match(row["says"], row["step"]).candidates]
        top1 += bool(got[:1]) and got[0] in row["ok"]
        hit3 = any(t in row["ok"] for t in got[:3])
        top3 += hit3
        if show_misses and (not got or got[0] not in row["ok"]):
            print(
                f"    {'MISS3' if not hit3 else 'miss1'} {row['id']} step={row['step']} "
                f"{row['says']!r} want {row['ok']} got {got}"
            )
    n = max(1, len(rows))
    return top1 / n, top3 / n


def summary(times: list[int]) -> str:
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    return (
        f"median {statistics.median(times) / 1000:6.1f} µs, p99 {p99 / 1000:6.1f} µs, "
        f"max {times[-1] / 1000:6.1f} µs"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--lang", nargs="*", choices=LANGS, help="only these languages' accuracy")
    ap.add_argument("--misses", action="store_true", help="list the queries that missed")
    ap.add_argument("--rounds", type=int, default=50, help="timed passes over all queries")
    args = ap.parse_args()

    t0 = time.perf_counter()
    content, diags = load(args.content)
    if content is None:
        print("content has errors:", *map(str, diags), sep="\n", file=sys.stderr)
        return 2
    print(f"load: content {1000 * (time.perf_counter() - t0):.1f} ms")
    matchers: dict[str, Any] = {}
    for lang in LANGS:
        t1 = time.perf_counter()
        matcher, mdiags = load_matcher(content, args.content, lang)
        if matcher is None:
            print(f"symptoms ({lang}) have errors:", *map(str, mdiags), sep="\n", file=sys.stderr)
            return 2
        matchers[lang] = matcher
        words = words_language(lang, args.content)
        print(
            f"  matcher {lang:8} {1000 * (time.perf_counter() - t1):5.1f} ms"
            f"  (symptoms/{words}.yaml)"
        )
    if not args.cases.is_file():
        print(f"(no cases file at {args.cases})")

    print("accuracy:")
    queries: list[tuple[str, str, int | None]] = []
    for lang in LANGS:
        for name, rows in tables_for(lang, args.cases):
            queries += [(lang, r["says"], r["step"]) for r in rows]
            if args.lang and lang not in args.lang:
                continue
            top1, top3 = accuracy(matchers[lang], rows, False)
            print(
                f"  {lang:8} {name:8} n={len(rows):4}  top-1 {100 * top1:5.1f}%  "
                f"top-3 {100 * top3:5.1f}%"
            )
            if args.misses:
                accuracy(matchers[lang], rows, True)

    for lang, q, s in queries * 5:  # warm-up
        matchers[lang].match(q, s)
    per_lang: dict[str, list[int]] = {lang: [] for lang in LANGS}
    clock = time.perf_counter_ns
    for _ in range(args.rounds):
        for lang, q, s in queries:
            m = matchers[lang]
            start = clock()
            m.match(q, s)
            per_lang[lang].append(clock() - start)
    every = [t for ts in per_lang.values() for t in ts]
    print(f"query time, all {len(LANGS)} languages loaded, {len(every)} queries: {summary(every)}")
    for lang, ts in per_lang.items():
        if ts:
            print(f"  {lang:8} {len(ts):6} queries: {summary(ts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
