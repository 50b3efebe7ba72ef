#!/usr/bin/env bash
# Stop the single-node SLURM started by start_slurm.sh (slurmd, slurmctld; munged with --all).
#   stop_slurm.sh          stop slurmd and slurmctld, keep munged, packages, config and logs
#   stop_slurm.sh --all    also stop munged and remove $WTKO_SLURM_DIR and the config it wrote
set -euo pipefail

DIR=${WTKO_SLURM_DIR:-/var/tmp/wtko-slurm}
MARK="# written by wtko workflow_tests/slurm/start_slurm.sh"
[ "$(id -u)" -eq 0 ] || { echo "stop_slurm.sh: must run as root" >&2; exit 1; }

stop() {  # stop the process whose id is in pid file $1, waiting up to 10 s
    local pf=$1 pid
    [ -s "$pf" ] || return 0
    pid=$(cat "$pf")
    kill -0 "$pid" 2>/dev/null || { rm -f "$pf"; return 0; }
    kill "$pid"
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$pf"
}

stop "$DIR"/run/slurmd.pid
stop "$DIR"/run/slurmctld.pid
if [ "${1:-}" = "--all" ]; then
    stop /run/munge/munged.pid
    if [ -f /etc/slurm/slurm.conf ] && grep -qF "$MARK" /etc/slurm/slurm.conf; then
        rm -f /etc/slurm/slurm.conf /etc/slurm/gres.conf
    fi
    rm -rf "$DIR"
fi
echo "slurm stopped"
