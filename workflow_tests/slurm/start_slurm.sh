#!/usr/bin/env bash
# A real single-node SLURM from Debian packages, for testing profiles/slurm.
#
#   sudo workflow_tests/slurm/start_slurm.sh      # idempotent; prints one line when the node is idle
#   sudo workflow_tests/slurm/stop_slurm.sh
#
# Installs slurmctld slurmd slurm-client munge (apt-get --no-install-recommends) when missing, writes
# /etc/slurm/slurm.conf and gres.conf (one node "localhost" in two partitions: "batch", the default,
# and "debug" ($WTKO_SLURM_PARTITION), the one profiles/slurm names, so that a job landing there proves
# the profile reached sbatch; one fake GPU gpu:1 backed by /dev/null; no accounting; finished jobs in
# jobcomp/filetxt and, for an hour (MinJobAge), in `scontrol show job`), then starts munged, slurmctld and
# `slurmd -N localhost` by hand (no systemd needed) and waits until sinfo shows the node idle.
# State, logs and the job-completion file live under $WTKO_SLURM_DIR (default /var/tmp/wtko-slurm);
# the config has to be at the default path: the executor's job steps drop SLURM_CONF.
# An existing /etc/slurm/slurm.conf that this script did not write is never overwritten.
set -euo pipefail

DIR=${WTKO_SLURM_DIR:-/var/tmp/wtko-slurm}
TIMEOUT=${WTKO_SLURM_TIMEOUT:-90}
PARTITION=${WTKO_SLURM_PARTITION:-debug}
MARK="# written by wtko workflow_tests/slurm/start_slurm.sh"
CONF=/etc/slurm/slurm.conf
T0=$(date +%s)

die() { echo "start_slurm.sh: $*" >&2; exit 1; }
tails() {
    for f in "$DIR"/log/slurmctld.log "$DIR"/log/slurmd.log /var/log/munge/munged.log; do
        [ -s "$f" ] && { echo "--- tail $f" >&2; tail -n 15 "$f" >&2; }
    done
    return 0
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts daemons)"

# 1. Packages.
missing=()
for pkg in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "packages ${missing[*]} are missing and there is no apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # Package scripts cannot start services in containers (policy-rc.d); that is fine, we start them.
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
fi
for cmd in munged slurmctld slurmd sinfo scontrol sbatch squeue; do
    command -v "$cmd" >/dev/null || die "$cmd not on PATH after installing packages"
done

# 2. Config (CPUs and memory of this machine).
mkdir -p "$DIR"/state/ctld "$DIR"/state/d "$DIR"/run "$DIR"/log /etc/slurm
CPUS=$(nproc)
MEM=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -n1)
[ -n "$MEM" ] || MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 ))
MEM=$(( MEM * 95 / 100 ))  # leave slurmd some slack: a node reporting less than configured is drained
NEW=$(mktemp)
cat >"$NEW" <<EOF
$MARK
ClusterName=localcluster
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
SchedulerType=sched/backfill
ReturnToService=2
MinJobAge=3600
StateSaveLocation=$DIR/state/ctld
SlurmdSpoolDir=$DIR/state/d
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
GresTypes=gpu
NodeName=localhost CPUs=$CPUS RealMemory=$MEM Gres=gpu:1 State=UNKNOWN
PartitionName=batch Nodes=ALL Default=YES MaxTime=INFINITE State=UP
PartitionName=$PARTITION Nodes=ALL Default=NO MaxTime=INFINITE State=UP
EOF
GRES=$(mktemp)
printf '%s\nAutoDetect=off\nNodeName=localhost Name=gpu File=/dev/null\n' "$MARK" >"$GRES"

if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    rm -f "$NEW" "$GRES"
    die "$CONF exists and was not written by this script; refusing to overwrite it"
fi
changed=0
cmp -s "$NEW" "$CONF" || changed=1
cmp -s "$GRES" /etc/slurm/gres.conf || changed=1
install -m 644 "$NEW" "$CONF"
install -m 644 "$GRES" /etc/slurm/gres.conf
rm -f "$NEW" "$GRES"

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [ "$changed" -eq 1 ]; then  # a new config: restart whatever runs under the old one
    for pf in "$DIR"/run/slurmd.pid "$DIR"/run/slurmctld.pid; do
        alive "$pf" || continue
        pid=$(cat "$pf"); kill "$pid"
        for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    done
fi

# 3. Daemons: munge, controller, node.
if [ ! -s /etc/munge/munge.key ]; then
    if command -v mungekey >/dev/null; then mungekey -c -f -k /etc/munge/munge.key
    else dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; fi
    chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- munged || die "munged did not start (see /var/log/munge/munged.log)"
    for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.25; done
    munge -n | unmunge >/dev/null 2>&1 || die "munge does not work after starting munged"
fi
alive "$DIR"/run/slurmctld.pid || slurmctld || { tails; die "slurmctld did not start"; }
for _ in $(seq 60); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.25; done
scontrol ping 2>/dev/null | grep -q UP || { tails; die "slurmctld is not answering (scontrol ping)"; }
alive "$DIR"/run/slurmd.pid || slurmd -N localhost || { tails; die "slurmd did not start"; }

# 4. Wait for the node.
deadline=$(( $(date +%s) + TIMEOUT ))
state=""
while [ "$(date +%s)" -lt "$deadline" ]; do
    state=$(sinfo -h -N -n localhost -o '%t' 2>/dev/null | head -n1 || true)
    case "$state" in
        idle|mix|alloc) break ;;
        drain*|down*) scontrol update nodename=localhost state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
done
case "$state" in
    idle|mix|alloc) ;;
    *) tails; die "node localhost is '${state:-unknown}' after ${TIMEOUT}s (see $DIR/log)" ;;
esac
echo "slurm ready: node localhost $state, partitions batch* $PARTITION, CPUs=$CPUS RealMemory=${MEM}MB gres=gpu:1," \
     "jobcomp $DIR/log/jobcomp.txt, $(( $(date +%s) - T0 ))s"
