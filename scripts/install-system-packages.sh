#!/usr/bin/env bash
# Installs the Debian packages annotty builds and tests against, when any is missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
# Extra packages a caller needs are named as arguments (local-postgres.sh: postgresql-15).
packages=(libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev tmux openssh-server "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
