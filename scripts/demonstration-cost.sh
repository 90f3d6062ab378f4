#!/usr/bin/env bash
# What per-item demonstrations cost the offline local model and what they buy it: half a data set
# is imported with its gold labels (the pool demonstrations are drawn from, as people's labels
# would be), the other half is pre-labelled by `annotty prelabel` with the local model, and the
# wall time and the accuracy of its labels against gold are printed. Several minutes per run on
# 2 cores: run on demand, not in CI (docs/benchmarks.md, "Keeping up with a person").
#
#   scripts/demonstration-cost.sh reviews|trec DEMONSTRATIONS [MAX_CHARS]
#
# reviews: the 300 sample reviews, every other one labelled (150 open).
# trec:    the first 500 TREC-6 training questions labelled, the first 150 test questions open
#          (../shared/datasets/trec).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: $0 reviews|trec DEMONSTRATIONS [MAX_CHARS]}
count=${2:?usage: $0 reviews|trec DEMONSTRATIONS [MAX_CHARS]}
max_chars=${3:-240}
scripts/setup-local-llm.sh >/dev/null
swift build --product annotty 2>&1 | tail -n 1 >&2
annotty=$PWD/.build/debug/annotty
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$data" "$work" <<'PY'
import json, sys
data, work = sys.argv[1], sys.argv[2]
def labelled_task(item_id, text, label):
    return {"data": {"id": item_id, "text": text},
            "annotations": [{"result": [{"type": "choices", "from_name": "label", "to_name": "text",
                                         "value": {"choices": [label]}}]}]}
pool, open_items = [], []
if data == "reviews":
    gold = {}
    with open("sample-data/reviews-gold.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            item_id, label = line.rstrip("\n").split("\t")
            gold[item_id] = label
    with open("sample-data/reviews.jsonl", encoding="utf-8") as f:
        for index, line in enumerate(f):
            row = json.loads(line)
            (pool if index % 2 == 0 else open_items).append((row["id"], row["text"], gold[row["id"]]))
else:
    names = ["description", "entity", "abbreviation", "human", "location", "numeric"]
    def read(path, prefix, limit):
        with open(path, encoding="latin-1") as f:
            rows = [line.rstrip("\n").split(" ", 1) for line in f][:limit]
        return [(f"{prefix}{index:03d}", text, names[int(label)]) for index, (label, text) in enumerate(rows)]
    pool = read("../shared/datasets/trec/TREC.train.all", "q", 500)
    open_items = read("../shared/datasets/trec/TREC.test.all", "t", 150)
with open(f"{work}/pool.json", "w", encoding="utf-8") as f:
    json.dump([labelled_task(*row) for row in pool], f)
with open(f"{work}/open.jsonl", "w", encoding="utf-8") as f, open(f"{work}/gold.tsv", "w", encoding="utf-8") as g:
    for item_id, text, label in open_items:
        f.write(json.dumps({"id": item_id, "text": text}) + "\n")
        g.write(f"{item_id}\t{label}\n")
PY

if [ "$data" = reviews ]; then
    labels=positive,negative,neutral,mixed; guidelines=guidelines/sentiment.md
else
    labels=description,entity,abbreviation,human,location,numeric; guidelines=guidelines/question-type.md
fi
"$annotty" init "$work/project" --labels "$labels" --guidelines "$guidelines" >/dev/null
sed -i -e "s/^demonstrations = .*/demonstrations = $count/" \
       -e "s/^demonstration_max_chars = .*/demonstration_max_chars = $max_chars/" "$work/project/annotty.toml"
"$annotty" import "$work/pool.json" -p "$work/project" >/dev/null
"$annotty" import "$work/open.jsonl" -p "$work/project" >/dev/null
start=$(date +%s.%N)
"$annotty" prelabel -p "$work/project" >/dev/null
end=$(date +%s.%N)
"$annotty" export -p "$work/project" --format jsonl -o "$work/out.jsonl" >/dev/null 2>&1
python3 - "$work" "$data" "$count" "$max_chars" "$start" "$end" <<'PY'
import json, os, sys
work, data, count, max_chars, start, end = sys.argv[1:7]
gold = dict(line.rstrip("\n").split("\t") for line in open(f"{work}/gold.tsv", encoding="utf-8"))
predicted = right = 0
for line in open(f"{work}/out.jsonl", encoding="utf-8"):
    row = json.loads(line)
    prediction = row.get("annotty", {}).get("prediction")
    if row["id"] in gold and prediction and prediction.get("valid"):
        predicted += 1
        right += prediction["label"] == gold[row["id"]]
seconds = float(end) - float(start)
print(f"{data}: {count} demonstrations of at most {max_chars} characters: {len(gold)} open items, {predicted} pre-labelled, "
      f"accuracy {right / max(1, predicted):.3f}; prelabel took {seconds:.0f} s ({seconds / len(gold):.2f} s an item, "
      f"server start included); load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
PY
