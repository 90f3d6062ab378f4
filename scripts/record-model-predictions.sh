#!/usr/bin/env bash
# Records the offline local model's predictions on the sample reviews and on TREC-6's test
# questions, with gold labels, as the fixtures that the calibration and routing tests read
# (Tests/AnnottyCoreTests/Fixtures/). Takes several minutes on 2 cores: run on demand, not in CI.
#
#   scripts/record-model-predictions.sh [TREC_LIMIT]     # default: all 500 test questions
set -euo pipefail
cd "$(dirname "$0")/.."
trec_limit=${1:-500}
scripts/setup-local-llm.sh >/dev/null
swift build --product annotty 2>&1 | tail -n 1 >&2
annotty=$PWD/.build/debug/annotty
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixtures=Tests/AnnottyCoreTests/Fixtures
mkdir -p "$fixtures"

# Sample reviews, with the gold labels in sample-data/reviews-gold.tsv.
"$annotty" init "$work/reviews" --labels positive,negative,neutral,mixed --guidelines guidelines/sentiment.md >/dev/null
"$annotty" import sample-data/reviews.jsonl -p "$work/reviews"
"$annotty" prelabel -p "$work/reviews"
"$annotty" export -p "$work/reviews" --format jsonl -o "$work/reviews.jsonl"

# TREC-6 test questions (labels 0..5 = DESC ENTY ABBR HUM LOC NUM).
python3 - "$trec_limit" > "$work/trec.jsonl" <<'PY'
import json, sys
names = ["description", "entity", "abbreviation", "human", "location", "numeric"]
limit = int(sys.argv[1])
with open("../shared/datasets/trec/TREC.test.all", encoding="latin-1") as f:
    for index, line in enumerate(f):
        if index >= limit: break
        label, text = line.rstrip("\n").split(" ", 1)
        print(json.dumps({"id": f"t{index:03d}", "text": text, "gold": names[int(label)]}))
PY
"$annotty" init "$work/trec" --labels description,entity,abbreviation,human,location,numeric \
    --guidelines guidelines/question-type.md >/dev/null
"$annotty" import "$work/trec.jsonl" -p "$work/trec"
"$annotty" prelabel -p "$work/trec"
"$annotty" export -p "$work/trec" --format jsonl -o "$work/trec-out.jsonl"

python3 - "$work" "$fixtures" <<'PY'
import json, sys
work, fixtures = sys.argv[1], sys.argv[2]
gold = {}
with open("sample-data/reviews-gold.tsv", encoding="utf-8") as f:
    next(f)
    for line in f:
        item, label = line.rstrip("\n").split("\t")
        gold[item] = label
def write(source, target, gold_of):
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        for line in f:
            row = json.loads(line)
            prediction = row["annotty"].get("prediction")
            if not prediction or not prediction.get("valid"):
                continue
            out.write(json.dumps({"id": row["id"], "gold": gold_of(row), "probabilities": prediction["probabilities"]},
                                 sort_keys=True) + "\n")
write(f"{work}/reviews.jsonl", f"{fixtures}/smollm2-reviews.jsonl", lambda row: gold[row["id"]])
write(f"{work}/trec-out.jsonl", f"{fixtures}/smollm2-trec.jsonl", lambda row: row["gold"])
PY
wc -l "$fixtures"/smollm2-*.jsonl
