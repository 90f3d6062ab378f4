#!/usr/bin/env bash
# Fuzzes the readers of untrusted input with libFuzzer + AddressSanitizer: the JSONL, CSV, TSV
# and Label Studio importers, the annotty.toml parser and the LLM answer parser.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 180 s, every target)
#
# Builds Fuzz/ (the annotty-fuzz target) into .build/fuzz with -sanitize=fuzzer,address, seeds
# each target's corpus from the test inputs and sample data, and runs it. Crashes land in
# .build/fuzz/crashes/TARGET/; replay one with a plain build:
#   swift run annotty-fuzz TARGET .build/fuzz/crashes/TARGET/crash-...
# Not part of CI: a run takes minutes and its findings need a person.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

seconds=${1:-180}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(jsonl csv tsv labelstudio toml answer)

scratch=.build/fuzz
swift build --scratch-path "$scratch" --product annotty-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
binary="$(swift build --scratch-path "$scratch" --product annotty-fuzz --show-bin-path \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library)/annotty-fuzz"

seed() {  # TARGET CORPUS: copy the test inputs that fit the target
    local target=$1 corpus=$2
    case $target in
        jsonl) find sample-data Tests -name '*.jsonl' -size -64k ;;
        csv) find sample-data Tests -name '*.csv' -size -64k ;;
        tsv) find sample-data Tests -name '*.tsv' -size -64k ;;
        labelstudio) find sample-data Tests -name '*.json' -size -64k ;;
        toml)
            # The commented template `annotty init` writes, when a plain build is there.
            if [ -x .build/debug/annotty ]; then
                local project; project=$(mktemp -d)
                .build/debug/annotty init "$project/p" --labels a,b,c --provider openai --base-url http://127.0.0.1:1/v1 >/dev/null
                echo "$project/p/annotty.toml"
            fi ;;
        answer) ;;
    esac | while read -r file; do cp "$file" "$corpus/$(basename "$file")"; done
    # Big seeds (whole datasets) slow every execution: keep their first 16 KiB.
    for file in "$corpus"/*; do
        [ "$(wc -c < "$file")" -le 16384 ] || { head -c 16384 "$file" > "$scratch/seed.tmp"; mv "$scratch/seed.tmp" "$file"; }
    done
    case $target in
        jsonl) printf '{"id": "1", "text": "hello", "extra": [1, 2.5e3, null, {"a": "\\u00e9"}]}\n' > "$corpus/inline.jsonl" ;;
        csv) printf 'id,text,hypothesis\n1,"quoted, ""field""",h\n2,plain,x\n' > "$corpus/inline.csv" ;;
        tsv) printf 'id\ttext\n1\thello\n' > "$corpus/inline.tsv" ;;
        labelstudio) printf '[{"id": 1, "data": {"text": "t"}, "annotations": [{"result": [{"value": {"choices": ["positive"]}}]}]}]' > "$corpus/inline.json" ;;
        toml) printf 'name = "p"\nlabels = ["a", "b"]\n[llm]\nprovider = "none"\n' > "$corpus/inline.toml" ;;
        answer)
            printf '{"label": "positive"}' > "$corpus/a1"
            printf '{"label": "negative", "confidence": 0.8}' > "$corpus/a2"
            printf 'The answer is: neutral' > "$corpus/a3"
            printf '```json\n{"label": "mixed", "probabilities": {"mixed": 0.6, "positive": 0.4}}\n```' > "$corpus/a4" ;;
    esac
}

mkdir -p "$scratch/crashes"
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    crashes="$scratch/crashes/$target"
    mkdir -p "$corpus" "$crashes"
    seed "$target" "$corpus"
    echo "== $target: $(ls "$corpus" | wc -l) seeds, $seconds s"
    # Leak checks off: Foundation's FileManager.contents(atPath:) leaks its 4 KiB read buffer
    # for an empty file on Linux (swift-foundation's zero-size read path), which the first
    # empty input reports as a "crash" outside annotty (libFuzzer checks during the run, ASan at
    # exit: both off). Memory errors are still caught.
    ASAN_OPTIONS=detect_leaks=0 ANNOTTY_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -max_len=65536 \
        -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 \
        | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' || true
    echo "crashes: $(ls "$crashes" | wc -l) in $crashes"
done
