#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on this machine, for the tests and for trying a team project:
# initdb in a temporary folder, a free port on 127.0.0.1, a password login for the user "annotty"
# (so annotty goes through password_env, PGPASSWORD).
#   eval "$(scripts/local-postgres.sh start)"   exports ANNOTTY_POSTGRES_URL (a database to use),
#                                                PGPASSWORD, ANNOTTY_POSTGRES_DIR and _BIN
#   scripts/local-postgres.sh stop FOLDER       stops it and removes the folder
#   scripts/local-postgres.sh kill-server FOLDER / start-server FOLDER   (the restart test)
# Installs PostgreSQL 15 (Debian's package) when missing. As root the server runs as the
# "postgres" user, which refuses to run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_server=()
if [ "$(id -u)" -eq 0 ]; then as_server=(runuser -u postgres --); fi

case "${1:-}" in
start)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "==> Installing PostgreSQL 15 for the store tests" >&2
        scripts/install-system-packages.sh postgresql-15 >&2
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    folder=$(mktemp -d /tmp/annotty-postgres.XXXXXX)
    chmod 755 "$folder"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # A second cluster in the same run (the restart test) takes the same password.
    password="${PGPASSWORD:-annotty-test-$RANDOM$RANDOM}"
    echo "$password" > "$folder/password"
    [ ${#as_server[@]} -eq 0 ] || chown -R postgres "$folder"
    echo "==> Starting a throwaway PostgreSQL cluster on 127.0.0.1:$port ($folder)" >&2
    "${as_server[@]}" "$bin/initdb" -D "$folder/data" -U annotty --pwfile="$folder/password" \
        --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C >"$folder/initdb.log" 2>&1 \
        || { cat "$folder/initdb.log" >&2; exit 1; }
    # Sized for the tests: 16 annotators' processes and the suite's own connections at once.
    echo "-h 127.0.0.1 -p $port -k $folder -c max_connections=300 -c shared_buffers=64MB" > "$folder/options"
    "${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 -o "$(cat "$folder/options")" start >&2 \
        || { cat "$folder/server.log" >&2; exit 1; }
    "${as_server[@]}" "$bin/createdb" -h "$folder" -p "$port" -U annotty annotty
    echo "export ANNOTTY_POSTGRES_URL='postgresql://annotty@127.0.0.1:$port/annotty?sslmode=disable'"
    echo "export ANNOTTY_POSTGRES_DIR='$folder'"
    echo "export ANNOTTY_POSTGRES_BIN='$bin'"
    echo "export PGPASSWORD='$password'"
    ;;
kill-server)
    # The server dies at once, as in a crash or a pulled cable (the restart test).
    folder=${2:?"usage: $0 kill-server FOLDER"}
    "${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null
    ;;
start-server)
    folder=${2:?"usage: $0 start-server FOLDER"}
    "${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 -o "$(cat "$folder/options")" start >/dev/null
    ;;
stop)
    folder=${2:?"usage: $0 stop FOLDER"}
    if [ -d "$folder/data" ]; then
        "${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
    ;;
*)
    echo "usage: $0 start | stop FOLDER | kill-server FOLDER | start-server FOLDER" >&2
    exit 2
    ;;
esac
