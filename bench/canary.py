"""The canary engine under the issue's load: variants for 50 recipients of a two-page briefing
(time per set), and leak tracing against 10,000 recorded variants (200 sets of 50), with the
p95 the issue sets (at most 500 ms); then the top-1 accuracy of tracing, over random trials, for
the four leaks of the issue: (a) as sent, (b) whitespace normalised and invisible characters
stripped, (c) retyped with a third of its lines missing, (d) a photo of the printed page.

    .venv/bin/python bench/canary.py            # 200 sets x 50, 100 traces, 200 trials (60 photos)
    .venv/bin/python bench/canary.py --smoke    # 10 sets x 50, 10 traces, a few trials (CI)

Tracing is timed the way the sharing app runs it: the sets come in as stored JSON (already
decrypted), are loaded with CanarySet.from_json and traced ("cold"); "warm" is the trace alone,
on sets already loaded. Figures print; a missed target does not change the exit code, a leak
traced to nobody at all in the timing runs does.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.sharing.canary import harness  # noqa: E402

from lifeline.sharing import canary  # noqa: E402

P95_TARGET_MS = 500.0
RECIPIENTS = 50


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_variants(rng: random.Random, secret: bytes, sets: int) -> list[dict]:
    """Make `sets` canary sets of 50 recipients of two-page briefings; return their JSON."""
    make_times, text_times, stored = [], [], []
    for s in range(sets):
        doc = harness.random_document(rng, full=True)
        start = time.perf_counter()
        cs = canary.make_set(doc, RECIPIENTS, secret, f"set-{s}")
        made = time.perf_counter()
        for i in range(RECIPIENTS):
            cs.text(i)
        texts = time.perf_counter()
        make_times.append(made - start)
        text_times.append(texts - made)
        stored.append(json.loads(json.dumps(cs.to_json())))
    sizes = [len(json.dumps(d)) for d in stored]
    bits = [canary.CanarySet.from_json(d).capacity_bits for d in stored[:20]]
    per_set = [m + t for m, t in zip(make_times, text_times, strict=True)]
    print(f"variants: {sets} sets of {RECIPIENTS} recipients of a two-page briefing")
    print(
        f"  per set (make_set + 50 texts): median {statistics.median(per_set) * 1000:.0f} ms, "
        f"p95 {percentile(per_set, 0.95) * 1000:.0f} ms "
        f"(make_set {statistics.median(make_times) * 1000:.0f} ms, "
        f"texts {statistics.median(text_times) * 1000:.0f} ms)"
    )
    print(
        f"  stored JSON per set: median {statistics.median(sizes) / 1024:.1f} KB; "
        f"visible capacity median {statistics.median(bits):.0f} bits"
    )
    cs = canary.CanarySet.from_json(stored[0])
    start = time.perf_counter()
    pngs = [cs.page_png(i) for i in range(3)]
    print(
        f"  page image: {(time.perf_counter() - start) / 3 * 1000:.0f} ms per recipient, "
        f"{statistics.mean(len(p) for p in pngs) / 1024:.0f} KB PNG"
    )
    return stored


def bench_trace(rng: random.Random, stored: list[dict], queries: int, photos: int) -> bool:
    sets = [canary.CanarySet.from_json(d) for d in stored]
    print(f"trace: against {len(sets)} sets x {RECIPIENTS} = {len(sets) * RECIPIENTS:,} variants")
    cold, warm, right, found = [], [], 0, True
    for q in range(queries):
        cs = rng.choice(sets)
        index = rng.randrange(RECIPIENTS)
        kind = ("sent", "stripped", "retyped")[q % 3]
        text = cs.text(index)
        if kind == "stripped":
            text = harness.leak_stripped(text, rng)
        elif kind == "retyped":
            text = harness.leak_retyped(text, rng)
        start = time.perf_counter()
        loaded = [canary.CanarySet.from_json(d) for d in stored]
        matches = canary.trace_text(text, loaded)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        canary.trace_text(text, sets)
        warm.append(time.perf_counter() - start)
        found &= bool(matches)
        right += harness.traced_alone(matches, cs.set_id, index)
    p95 = percentile(cold, 0.95) * 1000
    verdict = "met" if p95 <= P95_TARGET_MS else "MISSED"
    print(
        f"  text, cold (from_json of every set + trace): p50 {percentile(cold, 0.5) * 1000:.0f} ms, "
        f"p95 {p95:.0f} ms (target <= {P95_TARGET_MS:.0f} ms: {verdict})"
    )
    print(
        f"  text, warm (sets loaded): p50 {percentile(warm, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(warm, 0.95) * 1000:.0f} ms; right recipient alone first in "
        f"{right}/{queries} (mixed sent, stripped, retyped)"
    )
    times, right = [], 0
    for _ in range(photos):
        cs = rng.choice(sets)
        index = rng.randrange(RECIPIENTS)
        photo = harness.photograph(cs.page_png(index, page=0), rng)
        start = time.perf_counter()
        loaded = [canary.CanarySet.from_json(d) for d in stored]
        matches = canary.trace_image(photo, loaded)
        times.append(time.perf_counter() - start)
        right += harness.traced_alone(matches, cs.set_id, index)
    if photos:
        print(
            f"  photo, cold: p50 {percentile(times, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.0f} ms; right recipient alone first in "
            f"{right}/{photos}"
        )
    return found


def bench_accuracy(trials: dict[str, int]) -> None:
    print("accuracy: 20 recipients, top-1 alone, each trial a new briefing, set and recipient,")
    print("traced against its set and 5 decoy sets")
    targets = {"sent": 0.95, "stripped": 0.95, "retyped": 0.95, "typos": 0.0, "photo": 0.90}
    labels = {
        "sent": "(a) as sent",
        "stripped": "(b) whitespace normalised, invisible characters stripped",
        "retyped": "(c) retyped, a third of the lines missing",
        "typos": "(c+) as (c), and one word in ten mistyped (no target)",
        "photo": "(d) photo of the printed page",
    }
    for kind, count in trials.items():
        start = time.perf_counter()
        result = harness.run(kind, count, recipients=20, seed=2026, decoys=5)
        verdict = "met" if result.accuracy >= targets[kind] else "MISSED"
        target = f"target >= {targets[kind]:.0%}: {verdict}; " if targets[kind] else ""
        print(
            f"  {labels[kind]}: {result.correct}/{result.trials} = {result.accuracy:.1%} "
            f"({target}{time.perf_counter() - start:.0f} s)"
        )
        for failure in result.failures[:3]:
            print(f"    {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--sets", type=int, help="canary sets of 50 recipients (default 200)")
    args = parser.parse_args()
    rng = random.Random(20261129)
    secret = rng.randbytes(32)
    if args.smoke:
        sets, queries, photos = args.sets or 10, 10, 1
        trials = {"sent": 10, "stripped": 10, "retyped": 10, "typos": 10, "photo": 2}
    else:
        sets, queries, photos = args.sets or 200, 100, 10
        trials = {"sent": 200, "stripped": 200, "retyped": 200, "typos": 200, "photo": 60}
    stored = bench_variants(rng, secret, sets)
    found = bench_trace(rng, stored, queries, photos)
    bench_accuracy(trials)
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
