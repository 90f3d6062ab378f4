#!/usr/bin/env bash
# Runs the whole annotty test suite on a fresh machine: installs the system packages and the
# local LLM environment it needs, builds, and runs every test (unit, store, real local LLM
# server, tmux end-to-end, SSH, PostgreSQL). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
if [ -x scripts/setup-local-llm.sh ]; then
    scripts/setup-local-llm.sh
fi
echo "==> Building annotty and its tests (a few minutes the first time)" >&2
swift build --build-tests
scripts/link-annotty.sh
# The store tests run against SQLite and a throwaway PostgreSQL cluster, stopped on the way out.
eval "$(scripts/local-postgres.sh start)"
trap 'scripts/local-postgres.sh stop "$ANNOTTY_POSTGRES_DIR"' EXIT
echo "==> Running every test (unit, store on SQLite and PostgreSQL, local LLM server, tmux end-to-end, SSH)" >&2
swift test --skip-build "$@"
