# shellcheck shell=bash
# Shared helpers for start.sh / stop.sh / restart-apiserver.sh. Source only.

KTE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

kte_log() { printf '[%s] %s: %s\n' "$(date -u +%H:%M:%S)" "${KTE_NAME:-kube-testenv}" "$*" >&2; }
kte_die() { kte_log "ERROR: $*"; exit 1; }

# kte_k8s_version: k8s.io/kubernetes version pinned in k8s/go.mod.
kte_k8s_version() {
  awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v1\./ {print $2; exit}' "$KTE_DIR/k8s/go.mod"
}

# kte_root: cache dir holding bin/ and share/ for the pinned version.
kte_root() { echo "${SLIPWAY_CACHE:-$HOME/.cache/slipway}/kube/$(kte_k8s_version)"; }

# kte_starttime <pid>: process start time in clock ticks (field 22 of /proc/<pid>/stat),
# used to make sure a recorded pid still is the process we started.
kte_starttime() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  # strip "pid (comm) " — comm may contain spaces/parens
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  echo "${20}"
}

# kte_alive <pid> <starttime>: true if that exact process is still running (not a zombie).
kte_alive() {
  local st state
  st="$(kte_starttime "$1")" || return 1
  [ "$st" = "$2" ] || return 1
  state="$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)"
  [ "$state" != "Z" ]
}

# kte_free_ports <n>: print n distinct free TCP ports on 127.0.0.1, below the kernel's
# ephemeral range where it has room: the components bind them only once the API server is
# up, and meanwhile an outgoing connection's source port (taken from the ephemeral range, as
# a port bound to 0 is) could take one — kube-controller-manager then failed to bind it.
kte_free_ports() {
  python3 - "$1" <<'EOF'
import random, socket, sys
count = int(sys.argv[1])
try:
    ephemeral_low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    ephemeral_low = 32768
low, high = 10000, ephemeral_low
rng = random.SystemRandom()
ports, socks = [], []
for _ in range(count * 50 if high - low >= 1000 else 0):
    if len(ports) == count:
        break
    port = rng.randrange(low, high)
    if port in ports:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        continue
    socks.append(s)
    ports.append(port)
while len(ports) < count:  # no room below the ephemeral range: any free port
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
    ports.append(s.getsockname()[1])
print(" ".join(str(p) for p in ports))
for s in socks:
    s.close()
EOF
}

# kte_all_alive <state-dir>: every process recorded in <state-dir>/pids is running.
kte_all_alive() {
  local name pid st
  [ -f "$1/pids" ] || return 0
  while read -r name pid st; do
    kte_alive "$pid" "$st" || { kte_log "$name (pid $pid) exited, see $1/logs/$name.log"; return 1; }
  done < "$1/pids"
}

# kte_wait <timeout-seconds> <description> <command...>: poll until command succeeds.
# If KTE_STATE is set, gives up early when a recorded component has exited.
kte_wait() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ -n "${KTE_STATE:-}" ] && ! kte_all_alive "$KTE_STATE"; then
      kte_log "gave up waiting for $what"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      kte_log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# Where a component's log moves to <name>.log.1 (replacing the one before): the control plane
# of a long `npm start` wrote its logs without end (kwok's node lease lines alone, about 8 MB
# a day with three nodes).
KTE_LOG_MAX_BYTES="${KTE_LOG_MAX_BYTES:-10485760}"

# kte_spawn <state-dir> <name> <binary> <args...>: start a component detached (own session),
# stdout/stderr to logs/<name>.log (at most twice KTE_LOG_MAX_BYTES with logs/<name>.log.1),
# record "<name> <pid> <starttime>" in <state-dir>/pids.
kte_spawn() {
  local state="$1" name="$2"; shift 2
  mkdir -p "$state/logs"
  # The exact command line is kept so restart-apiserver.sh can reuse it.
  printf '%q ' "$@" > "$state/cmd/$name"; echo >> "$state/cmd/$name"
  # setsid (without -f) execs in place here because the background child is not a
  # process-group leader, so $! is the component's own pid. Its output goes through a pipe
  # to rotate-log.py, in a session of its own too (Ctrl-C in npm start's terminal reaches
  # neither), which ends when the component does; it holds none of this script's output,
  # so a caller reading that to its end is not kept waiting.
  setsid "$@" </dev/null > >(exec setsid python3 -I -S "$KTE_DIR/rotate-log.py" "$state/logs/$name.log" "$KTE_LOG_MAX_BYTES" >/dev/null 2>&1) 2>&1 &
  local pid=$! st
  st="$(kte_starttime "$pid")" || { sleep 0.2; st="$(kte_starttime "$pid")"; } || kte_die "$name exited immediately, see $state/logs/$name.log"
  # drop any previous record for this name, then append
  if [ -f "$state/pids" ]; then
    awk -v n="$name" '$1 != n' "$state/pids" > "$state/pids.tmp" && mv "$state/pids.tmp" "$state/pids"
  fi
  echo "$name $pid $st" >> "$state/pids"
  kte_log "started $name (pid $pid), log $state/logs/$name.log"
}

# kte_kill <pid> <starttime> <name> [grace-seconds]: TERM, wait, then KILL — only if it is still our process.
kte_kill() {
  local pid="$1" st="$2" name="$3" grace="${4:-15}" writer wst
  kte_alive "$pid" "$st" || { kte_log "$name (pid $pid) not running"; return 0; }
  read -r writer wst <<<"$(kte_log_writer "$pid")" || true
  kte_log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kte_alive "$pid" "$st"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kte_log "$name (pid $pid) did not exit after ${grace}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
  done
  # Its log writer ends once it has written the last of the component's output: waited for,
  # so that whoever removes the state directory next finds nothing writing there (and
  # restart-apiserver.sh's new writer is the log's only one).
  deadline=$((SECONDS + 5))
  while [ -n "${writer:-}" ] && kte_alive "$writer" "$wst" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
}

# kte_log_writer <pid>: "<pid> <starttime>" of the rotate-log.py writing the component's log,
# its child (kte_spawn), if it runs.
kte_log_writer() {
  local child
  for child in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    if grep -qa rotate-log.py "/proc/$child/cmdline" 2>/dev/null; then echo "$child $(kte_starttime "$child")"; return; fi
  done
}

# kte_kubectl <state-dir> args...: kubectl against the test cluster.
kte_kubectl() {
  local state="$1"; shift
  "$KTE_BIN/kubectl" --kubeconfig "$state/kubeconfig" "$@"
}

# kte_readyz <state-dir>: apiserver /readyz returns ok.
kte_readyz() {
  local state="$1" port
  port="$(awk -F= '$1 == "KUBE_APISERVER_PORT" {print $2}' "$state/env")"
  [ "$(curl -sS --max-time 3 --cacert "$state/pki/ca.crt" --cert "$state/pki/admin.crt" --key "$state/pki/admin.key" \
        "https://127.0.0.1:$port/readyz" 2>/dev/null)" = ok ]
}
