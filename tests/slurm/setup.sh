#!/usr/bin/env bash
# Bring up a throwaway single-node SLURM cluster on this machine (localhost) for the
# live-scheduler tests. Debian only, as root, no systemd: munged, slurmctld and slurmd are
# started directly as daemons. Idempotent: running it again on a cluster it started is a no-op
# (apart from the health check); it refuses to touch a slurm.conf it did not write.
#
# Environment (all optional):
#   MODMAP_SLURM_STATE   state directory (pids, logs, spool)   [/var/tmp/modmap-slurm]
#   MODMAP_SLURM_TIMEOUT seconds to wait for the node to be idle [60]
#   MODMAP_SLURM_MEM_MARGIN_MB memory kept back from /proc/meminfo for the OS [max(1024, 10%)]
#
# Undo with tests/slurm/teardown.sh (also run automatically if this script fails).
set -euo pipefail

STATE=${MODMAP_SLURM_STATE:-/var/tmp/modmap-slurm}
TIMEOUT=${MODMAP_SLURM_TIMEOUT:-60}
CONF=/etc/slurm/slurm.conf
MARKER="# written by modmap tests/slurm/setup.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T0=$(date +%s)

log() { printf '[slurm-setup %3ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

STARTED=0 # set once this script may have started something that teardown must stop
on_exit() {
    local rc=$?
    [ "$rc" -eq 0 ] && return
    [ "$STARTED" -eq 1 ] || exit "$rc"
    log "setup failed (exit $rc); daemon logs follow, then teardown"
    for f in "$STATE"/log/*.log; do
        [ -f "$f" ] && {
            echo "----- $f (last 30 lines)" >&2
            tail -n 30 "$f" >&2
        }
    done
    MODMAP_SLURM_STATE="$STATE" bash "$HERE/teardown.sh" || true
    exit "$rc"
}
trap on_exit EXIT

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and writes $CONF)"
[ -f /etc/debian_version ] || die "needs Debian (apt-get and Debian's slurm packages)"

# --- 1. packages ---------------------------------------------------------------------------
need=()
for pkg in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
        need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq || die "apt-get update failed or timed out"
    timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
        die "apt-get install ${need[*]} failed or timed out"
else
    log "packages already installed"
fi

# --- 2. is a cluster of ours already up? ----------------------------------------------------
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF"; then
    die "$CONF exists and was not written by this script; refusing to overwrite a real cluster's" \
        "configuration (move it away, or run the test on a throwaway machine)"
fi
for d in slurmctld slurmd; do
    if ! alive "$STATE/run/$d.pid" && pgrep -x "$d" >/dev/null; then
        die "a $d not started by this script is running (pid $(pgrep -x "$d" | tr '\n' ' '));" \
            "stop it first"
    fi
done

STARTED=1
mkdir -p "$STATE"/{run,log,spool/ctld,spool/d}
chmod 755 "$STATE"

# --- 3. munge -----------------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    install -d -o munge -g munge -m 700 /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
install -d -o munge -g munge -m 755 /run/munge
install -d -o munge -g munge -m 700 /var/lib/munge /var/log/munge
if timeout 5 munge -n </dev/null 2>/dev/null | timeout 5 unmunge >/dev/null 2>&1; then
    log "munged already answering"
else
    log "starting munged"
    # munged refuses to run as root; run it as the munge user like the packaged service does.
    timeout 10 runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid ||
        die "munged did not start (see /var/log/munge/munged.log)"
    cp /run/munge/munged.pid "$STATE/run/munged.pid" # teardown stops only what we started
    for _ in $(seq 1 20); do
        timeout 5 munge -n </dev/null 2>/dev/null | timeout 5 unmunge >/dev/null 2>&1 && break
        sleep 0.5
    done
    timeout 5 munge -n </dev/null | timeout 5 unmunge >/dev/null || die "munge does not work"
fi

# --- 4. slurm.conf --------------------------------------------------------------------------
host=$(hostname -s)
cpus=$(nproc)
mem_total_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
margin=${MODMAP_SLURM_MEM_MARGIN_MB:-$((mem_total_mb / 10 > 1024 ? mem_total_mb / 10 : 1024))}
real_mem=$((mem_total_mb - margin))
[ "$real_mem" -ge 1024 ] || die "only ${mem_total_mb} MB of memory; need at least $((margin + 1024))"
# slurmd reports the node's layout; keep it so slurmd does not drain the node for a mismatch.
layout=$(slurmd -C 2>/dev/null | head -n 1 | grep -oE 'Boards=[0-9]+ SocketsPerBoard=[0-9]+ CoresPerSocket=[0-9]+ ThreadsPerCore=[0-9]+' || true)

new_conf=$(
    cat <<EOF
$MARKER
# Single-node throwaway cluster for modmap's live-scheduler test. Removed by teardown.sh.
ClusterName=modmap-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# no cgroups in these containers: track processes by parent pid, no task binding
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
# cores AND memory are consumable: with DefMemPerCPU a job without --mem does not take the
# whole node, so several jobs run at once
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
# no slurmdbd: keep finished jobs visible to squeue long enough for Snakemake's status checks
# (snakemake --slurm-status-command squeue needs MinJobAge >= 3 x the first status interval)
MinJobAge=300
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=60
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$STATE/run/slurmctld.pid
SlurmdPidFile=$STATE/run/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus $layout RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)
mkdir -p /etc/slurm
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$new_conf" ]; then
    log "writing $CONF (node $host: $cpus CPUs, RealMemory=${real_mem} MB)"
    printf '%s\n' "$new_conf" >"$CONF.tmp.$$"
    mv "$CONF.tmp.$$" "$CONF"
    if alive "$STATE/run/slurmctld.pid"; then
        timeout 10 scontrol reconfigure || true
    fi
fi

# --- 5. daemons -------------------------------------------------------------------------------
start_daemon() { # name
    local d=$1
    if alive "$STATE/run/$d.pid"; then
        log "$d already running (pid $(cat "$STATE/run/$d.pid"))"
        return
    fi
    log "starting $d"
    rm -f "$STATE/run/$d.pid"
    timeout 20 "/usr/sbin/$d" || die "$d did not start; see $STATE/log/$d.log"
    for _ in $(seq 1 40); do
        alive "$STATE/run/$d.pid" && return
        sleep 0.25
    done
    die "$d wrote no pid file; see $STATE/log/$d.log"
}
start_daemon slurmctld
for _ in $(seq 1 40); do
    timeout 5 scontrol ping 2>/dev/null | grep -q UP && break
    sleep 0.25
done
start_daemon slurmd

# --- 6. wait until the node takes jobs -------------------------------------------------------
log "waiting up to ${TIMEOUT}s for node $host to be idle"
deadline=$(($(date +%s) + TIMEOUT))
state=""
while :; do
    state=$(timeout 5 sinfo -h -n "$host" -o '%t' 2>/dev/null | head -n 1 || true)
    case "$state" in
    idle | mix | alloc) break ;;
    drain* | drng | down* | fail*)
        timeout 5 scontrol update nodename="$host" state=resume 2>/dev/null || true
        ;;
    esac
    [ "$(date +%s)" -lt "$deadline" ] || die "node $host still '$state' after ${TIMEOUT}s"
    sleep 0.5
done
log "node $host is $state; smoke test: srun"
out=$(timeout 60 srun -N1 -n1 --mem=100 -t 1 hostname) || die "srun smoke test failed or hung"
[ "$out" = "$(hostname)" ] || die "srun ran on '$out', expected '$(hostname)'"
log "cluster up (sbatch/srun/squeue work)"
