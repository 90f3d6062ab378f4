#!/usr/bin/env bash
# Puts the annotty just built on the PATH, so that the README's `annotty ...` examples run as
# typed: a link in /usr/local/bin when it is writable, else in ~/.local/bin (with a hint when
# that folder is not on the PATH yet). The link points into this clone's .build/debug.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$root/.build/debug/annotty"
[ -x "$binary" ] || { echo "error: $binary is not built yet (run: swift build --product annotty)" >&2; exit 1; }
if [ -w /usr/local/bin ]; then
    folder=/usr/local/bin
else
    folder="$HOME/.local/bin"
    mkdir -p "$folder"
fi
ln -sf "$binary" "$folder/annotty"
case ":$PATH:" in
    *":$folder:"*) echo "annotty is on your PATH ($folder/annotty -> $binary)" >&2 ;;
    *) echo "annotty is linked in $folder, which is not on your PATH: run  export PATH=\"$folder:\$PATH\"" >&2 ;;
esac
