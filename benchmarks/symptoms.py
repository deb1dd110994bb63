"""Accuracy and speed of the symptom matcher (guide/symptoms.py). Not a test: prints figures.

    python benchmarks/symptoms.py [--content DIR] [--cases FILE] [--misses] [--rounds N]

Accuracy: top-1 and top-3 topic over the real cases (../shared/cases/cases.yaml, beside the
repository) and over our own phrase table (tests/data/symptom_phrases.yaml). A query counts as
right when the topic it should reach, or one of its ``also_ok``, is first (top-1) or among the
first three (top-3). Speed: per-query time of ``Matcher.match`` after a warm-up, median and p99.
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
from guide.symptoms import load_matcher  # noqa: E402

CASES = ROOT.parent / "shared" / "cases" / "cases.yaml"
PHRASES = ROOT / "tests" / "data" / "symptom_phrases.yaml"


def read_cases(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        {
            "id": c["id"],
            "says": c["says"],
            "step": c.get("step"),
            "ok": [c["topic"], *(c.get("also_ok") or [])],
        }
        for c in data
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


def accuracy(matcher: Any, rows: list[dict[str, Any]], show_misses: bool) -> tuple[float, float]:
    top1 = top3 = 0
    for row in rows:
        got = [c.topic for c in matcher.match(row["says"], row["step"]).candidates]
        top1 += bool(got[:1]) and got[0] in row["ok"]
        hit3 = any(t in row["ok"] for t in got[:3])
        top3 += hit3
        if show_misses and (not got or got[0] not in row["ok"]):
            print(
                f"  {'MISS3' if not hit3 else 'miss1'} {row['id']} step={row['step']} "
                f"{row['says']!r} want {row['ok']} got {got}"
            )
    n = max(1, len(rows))
    return top1 / n, top3 / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--misses", action="store_true", help="list the queries that missed")
    ap.add_argument("--rounds", type=int, default=50, help="timed passes over all queries")
    args = ap.parse_args()

    t0 = time.perf_counter()
    content, diags = load(args.content)
    if content is None:
        print("content has errors:", *map(str, diags), sep="\n", file=sys.stderr)
        return 2
    t1 = time.perf_counter()
    matcher, mdiags = load_matcher(content, args.content)
    t2 = time.perf_counter()
    if matcher is None:
        print("symptoms have errors:", *map(str, mdiags), sep="\n", file=sys.stderr)
        return 2
    print(f"load: content {1000 * (t1 - t0):.1f} ms, matcher {1000 * (t2 - t1):.1f} ms")

    tables = []
    if args.cases.is_file():
        tables.append(("cases", read_cases(args.cases)))
    else:
        print(f"(no cases file at {args.cases})")
    tables.append(("phrases", read_phrases(PHRASES)))
    for name, rows in tables:
        if args.misses:
            print(f"{name}:")
        top1, top3 = accuracy(matcher, rows, args.misses)
        print(f"{name:8} n={len(rows):4}  top-1 {100 * top1:5.1f}%  top-3 {100 * top3:5.1f}%")

    queries = [(r["says"], r["step"]) for _, rows in tables for r in rows]
    for q, s in queries * 5:  # warm-up
        matcher.match(q, s)
    times = []
    clock = time.perf_counter_ns
    for _ in range(args.rounds):
        for q, s in queries:
            start = clock()
            matcher.match(q, s)
            times.append(clock() - start)
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    print(
        f"query time over {len(times)} queries: median {statistics.median(times) / 1000:.1f} µs,"
        f" p99 {p99 / 1000:.1f} µs, max {times[-1] / 1000:.1f} µs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
