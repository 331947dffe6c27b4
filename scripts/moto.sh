# Shared by scripts/demo and scripts/idle-cpu: the venv and a moto server on a free port.
# Source it, then call `start_moto WORKDIR`: it sets $endpoint and $moto_pid and registers
# cleanup on exit. Expects $root (the repository) to be set.

say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

venv="$root/.venv"

ensure_venv() {
    if [[ ! -x "$venv/bin/moto_server" || ! -x "$venv/bin/aws" ]]; then
        say "creating the Python venv $venv (moto[server], awscli); this takes a minute, once"
        if [[ ! -x "$venv/bin/python" ]]; then
            python3 -m venv "$venv" ||
                die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
        fi
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'moto[server]' awscli
    fi
}

start_moto() {
    work="$1"
    # moto and WORKDIR go away on exit.
    moto_pid=""
    cleanup() {
        if [[ -n "$moto_pid" ]]; then
            kill "$moto_pid" 2>/dev/null || true
            wait "$moto_pid" 2>/dev/null || true
        fi
        rm -rf -- "$work"
    }
    trap cleanup EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM

    free_port() {
        "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    }

    moto_log="$work/moto.log"
    moto_port=""
    for _attempt in 1 2 3 4 5; do
        port="$(free_port)"
        : >"$moto_log"
        PYTHONUNBUFFERED=1 "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >>"$moto_log" 2>&1 &
        moto_pid=$!
        # moto prints this line once it has bound the port (so it is moto that will answer).
        deadline=$((SECONDS + 30))
        while ((SECONDS < deadline)); do
            if grep -q "Running on http://127.0.0.1:$port" "$moto_log"; then
                moto_port="$port"
                break 2
            fi
            kill -0 "$moto_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$moto_pid" 2>/dev/null; then
            cat "$moto_log" >&2
            die "moto did not start within 30 s"
        fi
        wait "$moto_pid" 2>/dev/null || true
        moto_pid=""
        if ! grep -q "in use" "$moto_log"; then
            cat "$moto_log" >&2
            die "moto's server exited at start"
        fi
        # Another process took the port between our probe and moto's bind: try another one.
    done
    [[ -n "$moto_port" ]] || die "could not find a free port for moto"
    endpoint="http://127.0.0.1:$moto_port"
}
