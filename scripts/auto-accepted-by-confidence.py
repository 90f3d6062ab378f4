#!/usr/bin/env python3
"""How right a kept replay's auto-accepted labels are, by the confidence they were accepted at,
next to how right the pre-labels people saw at that confidence were; and, with --passes, the
auto-accepts pass by pass (each run of them between two people's decisions).

    scripts/auto-accepted-by-confidence.py KEPT_PROJECT RECORDED.jsonl [RECORDED.jsonl ...] [--passes]

KEPT_PROJECT is a folder `annotty replay --keep` left; the recorded predictions files give each
item's gold label (their "id" and "gold" fields), as the replay read them.
"""
import json
import sqlite3
import sys

BANDS = [(0.0, 0.90), (0.90, 0.95), (0.95, 0.98), (0.98, 0.99), (0.99, 1.01)]


def main(argv):
    passes = "--passes" in argv
    args = [a for a in argv if a != "--passes"]
    if len(args) < 2:
        sys.exit(__doc__)
    project, recorded = args[0], args[1:]
    gold = {}
    for path in recorded:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    row = json.loads(line)
                    gold[row["id"]] = row["gold"]
                except (ValueError, KeyError) as error:
                    sys.exit(f"{path}:{number}: not a recorded prediction with id and gold ({error})")
    rows = sqlite3.connect(f"file:{project}/annotty.sqlite?mode=ro", uri=True).execute(
        "SELECT i.external_id, d.kind, d.label, d.shown_label, d.shown_confidence FROM decisions d "
        "JOIN items i ON i.id = d.item_id WHERE d.undoes_decision_id IS NULL ORDER BY d.id").fetchall()
    auto = [(confidence, gold.get(item) == label) for item, kind, label, _, confidence in rows
            if kind == "auto" and confidence is not None]
    people = [(confidence, gold.get(item) == shown) for item, kind, _, shown, confidence in rows
              if kind != "auto" and confidence is not None and shown]
    for name, points in [("auto-accepted", auto), ("people's decisions (the pre-label shown right)", people)]:
        print(f"{name}: {len(points)}")
        for low, high in BANDS:
            band = [(c, right) for c, right in points if low <= c < high]
            if band:
                print(f"  {low:.2f}-{min(high, 1):.2f}: {len(band):4d} items, mean confidence "
                      f"{sum(c for c, _ in band) / len(band):.3f}, right {sum(r for _, r in band) / len(band):.3f}")
    if passes:
        decided, current, runs = 0, None, []
        for item, kind, label, _, confidence in rows:
            if kind != "auto":
                decided += 1
                current = None
                continue
            if current is None:
                current = {"at": decided, "items": 0, "wrong": 0, "lowest": 1.0}
                runs.append(current)
            current["items"] += 1
            current["wrong"] += gold.get(item) != label
            current["lowest"] = min(current["lowest"], confidence if confidence is not None else 1.0)
        for run in runs:
            print(f"after {run['at']:4d} people's decisions: {run['items']:4d} auto-accepted, "
                  f"{run['wrong']} wrong, lowest confidence {run['lowest']:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
