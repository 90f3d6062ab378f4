#!/usr/bin/env bash
# Records the offline local model (SmolLM2-135M, the weak tier) on the 1,246 TREC-6 questions that
# ../shared/datasets/recorded/ holds the strong tier's predictions for (the first 1,000 training
# questions, 996 after dedup, and the first 250 test questions), so that a cascade can be replayed
# on the same items. Writes Tests/AnnottyCoreTests/Fixtures/smollm2-trec-{train1000,test250}.jsonl
# in the fixture format (id, gold, probabilities), gold taken from the strong tier's files.
# About 10 to 20 minutes on the 2-core machine; resumable: give the same WORK folder again.
#
#   scripts/record-weak-tier-trec.sh [WORK]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
recorded=../shared/datasets/recorded
fixtures=Tests/AnnottyCoreTests/Fixtures
scripts/setup-local-llm.sh >/dev/null
swift build --product annotty 2>&1 | tail -n 1 >&2
annotty=$PWD/.build/debug/annotty
mkdir -p "$work"
if [ ! -f "$work/project/annotty.toml" ]; then
    scripts/trec-items.sh > "$work/all-items.jsonl"
    python3 - "$recorded" "$work" <<'PY'
import json, sys
recorded, work = sys.argv[1], sys.argv[2]
ids = set()
for name in ("qwen2.5-coder-1.5b-trec-train1000.jsonl", "qwen2.5-coder-1.5b-trec-test250.jsonl"):
    with open(f"{recorded}/{name}", encoding="utf-8") as f:
        ids.update(json.loads(line)["id"] for line in f)
with open(f"{work}/all-items.jsonl", encoding="utf-8") as f, open(f"{work}/items.jsonl", "w", encoding="utf-8") as out:
    for line in f:
        if json.loads(line)["id"] in ids:
            out.write(line)
PY
    "$annotty" init "$work/project" --labels description,entity,abbreviation,human,location,numeric \
        --guidelines guidelines/question-type.md >/dev/null
    "$annotty" import "$work/items.jsonl" -p "$work/project"
fi
"$annotty" prelabel -p "$work/project"
"$annotty" export -p "$work/project" --format jsonl -o "$work/export.jsonl"
python3 - "$recorded" "$work" "$fixtures" <<'PY'
import json, sys
recorded, work, fixtures = sys.argv[1:4]
predicted = {}
with open(f"{work}/export.jsonl", encoding="utf-8") as f:
    for line in f:
        row = json.loads(line)
        prediction = row["annotty"].get("prediction")
        if prediction and prediction.get("valid"):
            predicted[row["id"]] = prediction["probabilities"]
for part in ("train1000", "test250"):
    count = 0
    with open(f"{recorded}/qwen2.5-coder-1.5b-trec-{part}.jsonl", encoding="utf-8") as f, \
         open(f"{fixtures}/smollm2-trec-{part}.jsonl", "w", encoding="utf-8") as out:
        for line in f:
            strong = json.loads(line)
            if strong["id"] in predicted:
                out.write(json.dumps({"id": strong["id"], "gold": strong["gold"],
                                      "probabilities": predicted[strong["id"]]}, sort_keys=True) + "\n")
                count += 1
    print(f"{fixtures}/smollm2-trec-{part}.jsonl: {count} items")
PY
