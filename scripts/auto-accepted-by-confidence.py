#!/usr/bin/env python3
"""How right a kept replay's auto-accepted labels are, by the confidence they were accepted at,
next to how right the pre-labels people saw at that confidence were; with --by-tier, the same split
by the model whose pre-label it was and where the label came from (llm, learner, both); with
--passes, the auto-accepts pass by pass (each run of them between two people's decisions); with
--against BASELINE_KEPT, which items one replay auto-accepted and the other left to people; with
--agreement, each tier's auto-accepts split by whether the recorded model's own top label (its raw
answer in RECORDED.jsonl) is the label accepted: in a cascade, what asking the stronger tier about
the cheap tier's accepts would have told.

    scripts/auto-accepted-by-confidence.py KEPT_PROJECT RECORDED.jsonl [RECORDED.jsonl ...]
        [--by-tier] [--passes] [--agreement] [--against BASELINE_KEPT]

KEPT_PROJECT (and BASELINE_KEPT) are folders `annotty replay --keep` left; the recorded predictions
files give each item's gold label (their "id" and "gold" fields), as the replay read them.
"""
import collections
import json
import os
import sqlite3
import sys

BANDS = [(0.0, 0.90), (0.90, 0.95), (0.95, 0.98), (0.98, 0.99), (0.99, 1.01)]


def read_recorded(paths):
    """Each item's gold label and the recorded model's top label."""
    gold, top = {}, {}
    for path in paths:
        if not os.path.isfile(path):
            sys.exit(f"{path}: no such file of recorded predictions")
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    row = json.loads(line)
                    gold[row["id"]] = row["gold"]
                    probabilities = row.get("probabilities") or {}
                    top[row["id"]] = max(probabilities, key=probabilities.get) if probabilities else None
                except (ValueError, KeyError, TypeError) as error:
                    sys.exit(f"{path}:{number}: not a recorded prediction with id and gold ({error})")
    return gold, top


def read_decisions(project):
    """Each decision still standing, in order: item, kind, label, shown label, shown confidence,
    the model of the shown pre-label and where its label came from."""
    if not os.path.isfile(os.path.join(project, "annotty.sqlite")):
        sys.exit(f"{project}: no annotty.sqlite here; give a folder `annotty replay --keep` left")
    return sqlite3.connect(f"file:{project}/annotty.sqlite?mode=ro", uri=True).execute(
        "SELECT i.external_id, d.kind, d.label, d.shown_label, d.shown_confidence, p.model, d.shown_source "
        "FROM decisions d JOIN items i ON i.id = d.item_id LEFT JOIN predictions p ON p.id = d.prediction_id "
        "WHERE d.undoes_decision_id IS NULL ORDER BY d.id").fetchall()


def print_bands(name, points):
    print(f"{name}: {len(points)}")
    for low, high in BANDS:
        band = [(c, right) for c, right in points if low <= c < high]
        if band:
            print(f"  {low:.2f}-{min(high, 1):.2f}: {len(band):4d} items, mean confidence "
                  f"{sum(c for c, _ in band) / len(band):.3f}, right {sum(r for _, r in band) / len(band):.3f}")


def first_outcomes(rows):
    """Each item's first decision (an audit comes later): auto-accepted or not, and the shown
    pre-label's model."""
    outcomes = {}
    for item, kind, _, _, _, model, _ in rows:
        if item not in outcomes and kind != "audit":
            outcomes[item] = (kind == "auto", model)
    return outcomes


def print_against(rows, baseline_rows):
    mine, theirs = first_outcomes(rows), first_outcomes(baseline_rows)
    groups = collections.Counter()
    for item, (auto, model) in mine.items():
        if item in theirs:
            groups[("auto-accepted" if theirs[item][0] else "to people",
                    "auto-accepted" if auto else "to people", model)] += 1
    print("items: in the baseline → in this replay (the pre-label's model here)")
    for (before, now, model), count in sorted(groups.items(), key=lambda pair: -pair[1]):
        print(f"  {count:5d}  {before} → {now} ({model})")


def print_passes(rows, gold):
    decided, current, runs = 0, None, []
    for item, kind, label, _, confidence, _, _ in rows:
        if kind == "audit":
            continue
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


def print_agreement(rows, gold, top):
    groups = collections.Counter()
    wrong = collections.Counter()
    for item, kind, label, _, _, model, _ in rows:
        if kind == "auto":
            key = (model or "-", "agrees" if top.get(item) == label else "differs")
            groups[key] += 1
            wrong[key] += gold.get(item) != label
    print("auto-accepted, by the recorded model's own top label")
    for model, verdict in sorted(groups):
        count = groups[(model, verdict)]
        print(f"  {model}: recorded label {verdict}: {count:4d} items, {wrong[(model, verdict)]} wrong")


def main(argv):
    flags = {"--passes", "--by-tier", "--agreement"}
    args, baseline = [], None
    rest = iter(argv)
    for arg in rest:
        if arg == "--against":
            baseline = next(rest, None) or sys.exit("--against needs a kept replay's folder")
        elif arg not in flags:
            args.append(arg)
    if len(args) < 2:
        sys.exit(__doc__)
    project, (gold, top) = args[0], read_recorded(args[1:])
    rows = read_decisions(project)
    # Each point: confidence, whether the label was right, and its tier (model, label's source).
    auto = [(confidence, gold.get(item) == label, (model or "-", source or "-"))
            for item, kind, label, _, confidence, model, source in rows if kind == "auto" and confidence is not None]
    people = [(confidence, gold.get(item) == shown, (model or "-", source or "-"))
              for item, kind, _, shown, confidence, model, source in rows
              if kind not in ("auto", "audit") and confidence is not None and shown]
    for name, points in [("auto-accepted", auto), ("people's decisions (the pre-label shown right)", people)]:
        if "--by-tier" in argv:
            for tier in sorted({tier for _, _, tier in points}):
                print_bands(f"{name}, {tier[0]} ({tier[1]})", [(c, right) for c, right, t in points if t == tier])
        else:
            print_bands(name, [(c, right) for c, right, _ in points])
    if baseline:
        print_against(rows, read_decisions(baseline))
    if "--passes" in argv:
        print_passes(rows, gold)
    if "--agreement" in argv:
        print_agreement(rows, gold, top)


if __name__ == "__main__":
    main(sys.argv[1:])
