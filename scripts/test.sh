#!/usr/bin/env bash
# Runs the whole annotty test suite on a fresh machine: installs the system packages and the
# local LLM environment it needs, builds, and runs every test (unit, store, real local LLM
# server, tmux end-to-end, SSH). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
if [ -x scripts/setup-local-llm.sh ]; then
    scripts/setup-local-llm.sh
fi
echo "==> Building annotty and its tests (a few minutes the first time)" >&2
swift build --build-tests
scripts/link-annotty.sh
echo "==> Running every test (unit, store, local LLM server, tmux end-to-end, SSH)" >&2
swift test --skip-build "$@"
