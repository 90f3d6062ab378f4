#!/usr/bin/env bash
# Writes the TREC-6 questions as annotty items (JSON Lines with id and text) on standard output,
# with the ids the recorded predictions use: trNNNN for line NNNN of TREC.train.all, tNNN for
# line NNN of TREC.test.all. The gold label stays out: `annotty replay` takes it from the recording.
#   scripts/trec-items.sh [TREC_FOLDER] > trec-items.jsonl   # default ../shared/datasets/trec
set -euo pipefail
folder=${1:-../shared/datasets/trec}
python3 - "$folder" <<'PY'
import json, sys
folder = sys.argv[1]
for name, prefix, width in (("TREC.train.all", "tr", 4), ("TREC.test.all", "t", 3)):
    with open(f"{folder}/{name}", encoding="latin-1") as f:
        for number, line in enumerate(f):
            parts = line.rstrip("\n").split(" ", 1)
            if len(parts) == 2:
                print(json.dumps({"id": f"{prefix}{number:0{width}d}", "text": parts[1]}))
PY
