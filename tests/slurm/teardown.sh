#!/usr/bin/env bash
# Stop the throwaway SLURM cluster started by tests/slurm/setup.sh and remove its state.
# Idempotent and safe to run at any time (also when setup never ran): it stops only the daemons
# whose pid files setup.sh wrote, and removes /etc/slurm/slurm.conf only if setup.sh wrote it.
# Debian packages stay installed (a second setup is then fast).
#
# Environment: MODMAP_SLURM_STATE as for setup.sh [/var/tmp/modmap-slurm]
set -uo pipefail

STATE=${MODMAP_SLURM_STATE:-/var/tmp/modmap-slurm}
CONF=/etc/slurm/slurm.conf
MARKER="# written by modmap tests/slurm/setup.sh"

log() { printf '[slurm-teardown] %s\n' "$*" >&2; }

ours=0
[ -f "$CONF" ] && grep -qF "$MARKER" "$CONF" && ours=1

# Cancel the jobs still on our cluster (bounded: scancel itself may hang if slurmctld is gone).
if [ "$ours" -eq 1 ] && [ -f "$STATE/run/slurmctld.pid" ] &&
    kill -0 "$(cat "$STATE/run/slurmctld.pid")" 2>/dev/null; then
    timeout 10 scancel --user="$(id -un)" 2>/dev/null || true
fi

stop_pid() { # name pidfile
    local name=$1 pidfile=$2 pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
}

stop_pid slurmd "$STATE/run/slurmd.pid"
stop_pid slurmctld "$STATE/run/slurmctld.pid"
# munged: only if setup.sh started it (it copies the pid file then)
stop_pid munged "$STATE/run/munged.pid"

if [ "$ours" -eq 1 ]; then
    rm -f "$CONF"
    log "removed $CONF"
fi
case "$STATE" in
/ | "") ;;
*) rm -rf "$STATE" ;;
esac
log "done"
exit 0
