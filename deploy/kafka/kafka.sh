#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft: broker + controller in one JVM) for Replywatch.
#
#   deploy/kafka/kafka.sh fetch            download the pinned Kafka jars from Maven Central (once)
#   deploy/kafka/kafka.sh start            fetch if needed, start, wait until a produce is acked
#   deploy/kafka/kafka.sh status           exit 0 if running and the port answers, 1 otherwise
#   deploy/kafka/kafka.sh stop [--wipe]    SIGTERM, wait, SIGKILL; --wipe also deletes the data
#   deploy/kafka/kafka.sh logs [-f]        last lines of the broker log (or follow it)
#
# Environment (all optional):
#   KAFKA_RUN_DIR          runtime dir (config, data, log, pid)   default <repo>/.run/kafka
#   KAFKA_PORT             client (PLAINTEXT) port on 127.0.0.1   default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1     default 9093
#   KAFKA_START_TIMEOUT    seconds `start` waits for readiness    default 90
#   KAFKA_STOP_TIMEOUT     seconds `stop` waits before SIGKILL    default 30
#   KAFKA_HEAP_OPTS        broker heap flags                      default "-Xms256m -Xmx768m"
#   KAFKA_JVM_OPTS         extra broker JVM flags                 default empty
#   KAFKA_LOG_LEVEL        broker root log level                  default WARN
#   KAFKA_WIPE=1           same as `stop --wipe`
#   KAFKA_READY_VERBOSE=1  print why each readiness attempt failed (instead of dots)
#   JAVA_HOME              java to use (needs 17+)                default: java on PATH
#   MVN                    maven command                          default mvn
#
# See deploy/kafka/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
POM="$SCRIPT_DIR/pom.xml"
READY_CHECK="$SCRIPT_DIR/ReadyCheck.java"
CACHE_DIR="$SCRIPT_DIR/.cache"
LIB_DIR="$CACHE_DIR/libs"
STAMP="$CACHE_DIR/libs.stamp"

HOST=127.0.0.1
PORT=${KAFKA_PORT:-9092}
CPORT=${KAFKA_CONTROLLER_PORT:-9093}
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}
JVM_OPTS=${KAFKA_JVM_OPTS:-}
LOG_LEVEL=${KAFKA_LOG_LEVEL:-WARN}
MVN=${MVN:-mvn}
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

RUN_DIR_RAW=${KAFKA_RUN_DIR:-$REPO_ROOT/.run/kafka}
RUN_DIR=$(realpath -m -- "$RUN_DIR_RAW")   # absolute + normalized (relative values are relative to $PWD)
DATA_DIR="$RUN_DIR/data"
PROPS="$RUN_DIR/server.properties"
LOG4J_BROKER="$RUN_DIR/log4j2.xml"
LOG4J_TOOLS="$RUN_DIR/log4j2-tools.xml"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/kafka.log"
LOCK_FILE="$RUN_DIR/.kafka.sh.lock"

KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)
[[ -n "$KAFKA_VERSION" ]] || { echo "kafka: cannot read <kafka.version> from $POM" >&2; exit 1; }

say() { echo "kafka: $*"; }
die() { echo "kafka: $*" >&2; exit 1; }

now_ms() { date +%s%3N; }
elapsed_s() { local ms=$(( $(now_ms) - $1 )); printf '%d.%01d' $((ms / 1000)) $(((ms % 1000) / 100)); }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
for v in PORT CPORT START_TIMEOUT STOP_TIMEOUT; do
  is_uint "${!v}" || die "$v must be a number, got '${!v}'"
done
[[ "$PORT" != "$CPORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both $PORT)"

# ---------------------------------------------------------------------------------------------
# process helpers

# Alive = exists and is not a zombie. A zombie (exited, not yet reaped: happens when PID 1 does
# not reap orphans) still answers `kill -0`, so look at the state field of /proc/PID/stat.
is_alive() {
  local pid=$1 stat state
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  state=${stat##*) }
  state=${state:0:1}
  [[ "$state" != Z && "$state" != X ]]
}

# True if PID is a live broker started by this script for this run dir.
is_our_broker() {
  local pid=$1 cmd
  is_alive "$pid" || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ "$cmd" == *" kafka.Kafka $PROPS"* ]]
}

# Prints the broker pid if one started by this script (for this run dir) is alive.
# Cleans up a stale pid file; if the pid file is missing/stale, looks for the process anyway.
broker_pid() {
  local pid="" f cmd
  if [[ -f "$PID_FILE" ]]; then
    pid=$(tr -dc '0-9' 2>/dev/null <"$PID_FILE" || true)
    if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
    echo "kafka: removing stale pid file $PID_FILE (pid ${pid:-?} is not a running broker)" >&2
    rm -f "$PID_FILE"
  fi
  for f in /proc/[0-9]*/cmdline; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
    if [[ "$cmd" == *" kafka.Kafka $PROPS"* ]]; then
      pid=${f#/proc/}; pid=${pid%/cmdline}
      if is_our_broker "$pid"; then
        echo "kafka: found running broker pid $pid without pid file; re-adopting it" >&2
        echo "$pid" >"$PID_FILE"
        echo "$pid"
        return 0
      fi
    fi
  done
  return 1
}

port_open() { timeout 3 bash -c ": 2>/dev/null >/dev/tcp/$HOST/$1" 2>/dev/null; }

port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  # users:(("java",pid=123,fd=94)) -> java (pid 123)
  ss -Hltnp "sport = :$1" 2>/dev/null \
    | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n 1
}

# Port the running broker was configured with (the env may have changed since).
configured_port() {
  sed -n "s#^listeners=PLAINTEXT://[^:]*:\([0-9]*\),.*#\1#p" "$PROPS" 2>/dev/null | head -n 1
}

# Kill PID: SIGTERM, wait up to $2 s, then SIGKILL.
terminate() {
  local pid=$1 timeout=$2 t0 deadline
  t0=$(now_ms)
  deadline=$(( t0 + timeout * 1000 ))
  kill -TERM "$pid" 2>/dev/null || true
  while is_alive "$pid" && (( $(now_ms) < deadline )); do sleep 0.2; done
  if is_alive "$pid"; then
    echo "kafka: pid $pid still alive after ${timeout}s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$(( $(now_ms) + 10000 ))
    while is_alive "$pid" && (( $(now_ms) < deadline )); do sleep 0.2; done
  fi
  ! is_alive "$pid"
}

lock_run_dir() {
  mkdir -p "$RUN_DIR"
  exec 9>"$LOCK_FILE"
  flock -w 180 9 || die "another kafka.sh start/stop is running for $RUN_DIR (lock $LOCK_FILE)"
}

need_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 17+; set JAVA_HOME or PATH)"
  local spec
  spec=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ "${spec%%.*}" =~ ^[0-9]+$ ]] && (( ${spec%%.*} >= 17 )) \
    || die "Kafka $KAFKA_VERSION needs Java 17+, but '$JAVA' is Java ${spec:-unknown}"
}

# ---------------------------------------------------------------------------------------------
# fetch

expected_stamp() {
  printf 'kafka.version=%s\npom.sha256=%s\n' "$KAFKA_VERSION" "$(sha256sum "$POM" | cut -d' ' -f1)"
}

libs_ok() {
  [[ -f "$STAMP" && -f "$LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" ]] && [[ "$(cat "$STAMP")" == "$(expected_stamp)" ]]
}

cmd_fetch() {
  local force=${1:-} t0 tmp mvnlog
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/.fetch.lock"
  flock -w 600 8 || die "another fetch holds $CACHE_DIR/.fetch.lock"
  if [[ "$force" != --force ]] && libs_ok; then
    [[ "${QUIET_FETCH:-}" == 1 ]] || say "Kafka $KAFKA_VERSION jars already in $LIB_DIR"
    exec 8>&-
    return 0
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; it is needed once to fetch the Kafka jars"
  t0=$(now_ms)
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIB_DIR ..."
  tmp="$CACHE_DIR/libs.tmp.$$"
  mvnlog="$CACHE_DIR/mvn-fetch.log"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! "$MVN" -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" </dev/null >"$mvnlog" 2>&1; then
    cat "$mvnlog" >&2
    rm -rf "$tmp"
    die "maven fetch failed (output above, also in $mvnlog)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "maven did not produce kafka_2.13-$KAFKA_VERSION.jar"; }
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  expected_stamp >"$STAMP"
  say "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$LIB_DIR" | cut -f1)) in $(elapsed_s "$t0") s"
  exec 8>&-
}

# ---------------------------------------------------------------------------------------------
# config

write_config() {
  mkdir -p "$DATA_DIR"
  cat >"$PROPS" <<EOF
# Generated by deploy/kafka/kafka.sh on every start -- edit the script, not this file.
# Kafka $KAFKA_VERSION, KRaft combined mode (broker + controller in one process), 127.0.0.1 only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$DATA_DIR

# single node: every internal topic at RF 1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1

# fast local tests; services create their own topics
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.partitions=1
delete.topic.enable=true

# small footprint (2-core dev/CI machines)
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
EOF

  cat >"$LOG4J_BROKER" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by deploy/kafka/kafka.sh. Broker logs to stdout, which kafka.sh redirects to kafka.log. -->
<Configuration status="WARN" shutdownHook="disable">
  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="$LOG_LEVEL"><AppenderRef ref="STDOUT"/></Root>
    <!-- one INFO line per boot ("Kafka Server started") -->
    <Logger name="kafka.server.KafkaRaftServer" level="INFO"/>
  </Loggers>
</Configuration>
EOF

  cat >"$LOG4J_TOOLS" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by deploy/kafka/kafka.sh. Storage tool and ReadyCheck: errors only, to stderr. -->
<Configuration status="ERROR" shutdownHook="disable">
  <Appenders>
    <Console name="STDERR" target="SYSTEM_ERR">
      <PatternLayout pattern="%p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="ERROR"><AppenderRef ref="STDERR"/></Root>
    <!-- retries while the broker boots are expected -->
    <Logger name="org.apache.kafka" level="OFF"/>
  </Loggers>
</Configuration>
EOF
}

format_storage_once() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then return 0; fi
  local cid="" out
  # Same format as `kafka-storage random-uuid` (16 random bytes, URL-safe base64, no padding, not
  # starting with '-'), without paying for another JVM start.
  while [[ -z "$cid" || "$cid" == -* ]]; do
    cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  done
  [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "could not generate a cluster id (got '$cid')"
  if ! out=$("$JAVA" -Dlog4j2.configurationFile="$LOG4J_TOOLS" -cp "$LIB_DIR/*" kafka.tools.StorageTool \
              format --config "$PROPS" --cluster-id "$cid" --ignore-formatted 2>&1); then
    echo "$out" >&2
    die "formatting KRaft storage in $DATA_DIR failed"
  fi
  echo "$out" >>"$LOG_FILE"
  say "formatted new KRaft storage in $DATA_DIR (cluster id $cid)"
}

# ---------------------------------------------------------------------------------------------
# commands

run_ready_check() { # <timeout s> <pid>
  "$JAVA" -Xms32m -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$LOG4J_TOOLS" \
    -cp "$LIB_DIR/*" "$READY_CHECK" "$HOST:$PORT" "$1" "$2" </dev/null >/dev/null
}

print_log_tail() {
  echo "---- last 40 lines of $LOG_FILE ----" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  echo "----" >&2
}

cmd_start() {
  local t0 pid running_port owner p role rc remaining
  t0=$(now_ms)
  need_java
  lock_run_dir

  if pid=$(broker_pid); then
    # Do not swap the jars under a running broker; only fetch if they are missing entirely
    # (ReadyCheck needs kafka-clients from there).
    if ! compgen -G "$LIB_DIR/kafka-clients-*.jar" >/dev/null; then
      QUIET_FETCH=1 cmd_fetch
    elif ! libs_ok; then
      say "note: pom.xml changed since the jars were fetched (now pins Kafka $KAFKA_VERSION); run '$0 stop' and '$0 start' to switch"
    fi
    running_port=$(configured_port)
    if [[ -n "$running_port" && "$running_port" != "$PORT" ]]; then
      die "a broker started by this script is already running on port $running_port (pid $pid), not $PORT; run '$0 stop' first"
    fi
    if run_ready_check "$START_TIMEOUT" "$pid"; then
      say "already running and healthy on $HOST:$PORT (pid $pid)"
      return 0
    fi
    print_log_tail
    die "a broker is running (pid $pid) but is not healthy; try '$0 stop' then '$0 start'"
  fi

  QUIET_FETCH=1 cmd_fetch

  for p in "$PORT" "$CPORT"; do
    if [[ "$p" == "$PORT" ]]; then role="client port, KAFKA_PORT"; else role="controller port, KAFKA_CONTROLLER_PORT"; fi
    if port_open "$p"; then
      owner=$(port_owner "$p")
      die "port $p on $HOST ($role) is already in use by another process${owner:+: $owner}. Stop it, or choose other ports, e.g. KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093."
    fi
  done

  write_config
  format_storage_once

  # keep the log bounded: one previous generation once it passes 10 MB
  if [[ -f "$LOG_FILE" ]] && (( $(stat -c %s "$LOG_FILE") > 10485760 )); then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
  printf '\n==== kafka.sh start %s: Kafka %s on %s:%s (controller %s) ====\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$KAFKA_VERSION" "$HOST" "$PORT" "$CPORT" >>"$LOG_FILE"
  rm -f "$PID_FILE"
  # New session (setsid) + SIGHUP ignored (nohup): the broker outlives this shell and its terminal.
  # The inner bash writes its own pid and then execs java, so the pid file holds the JVM's pid.
  # fds 8/9 carry our flock locks: close them, or the broker would hold the lock forever.
  # shellcheck disable=SC2086
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_BROKER" $JVM_OPTS \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPS" </dev/null >>"$LOG_FILE" 2>&1 8>&- 9>&- &
  local child=$!
  # Let bash reap it silently (no "Killed ..." job notice if we have to kill it below).
  disown "$child" 2>/dev/null || true

  pid=""
  for _ in $(seq 1 50); do
    pid=$(tr -dc '0-9' 2>/dev/null <"$PID_FILE" || true)
    [[ -n "$pid" ]] && break
    sleep 0.1
  done
  [[ -n "$pid" ]] || { kill -KILL "$child" 2>/dev/null || true; die "broker did not start (no pid file)"; }

  # Ctrl-C / SIGTERM during start: do not leave a half-started broker behind.
  trap 'echo; echo "kafka: interrupted, stopping broker pid '"$pid"'" >&2; terminate '"$pid"' 10 || true; rm -f "$PID_FILE"; exit 130' INT TERM

  say "started pid $pid, waiting up to ${START_TIMEOUT}s for it to accept a produce (log: $LOG_FILE)"
  remaining=$(( START_TIMEOUT - ($(now_ms) - t0) / 1000 ))
  (( remaining > 5 )) || remaining=5
  rc=0
  run_ready_check "$remaining" "$pid" || rc=$?
  trap - INT TERM

  case $rc in
    0)
      say "ready on $HOST:$PORT (pid $pid, took $(elapsed_s "$t0") s)"
      ;;
    3)
      rm -f "$PID_FILE"
      print_log_tail
      die "broker process exited during startup"
      ;;
    *)
      print_log_tail
      terminate "$pid" 10 || true
      rm -f "$PID_FILE"
      die "broker not ready within ${START_TIMEOUT}s (readycheck exit $rc); stopped it"
      ;;
  esac
}

cmd_stop() {
  local wipe=${KAFKA_WIPE:-0} pid t0 arg
  for arg in "$@"; do
    case "$arg" in
      --wipe) wipe=1 ;;
      *) die "stop: unknown option '$arg' (only --wipe)" ;;
    esac
  done
  lock_run_dir
  if pid=$(broker_pid); then
    t0=$(now_ms)
    say "stopping pid $pid (SIGTERM, up to ${STOP_TIMEOUT}s before SIGKILL)"
    terminate "$pid" "$STOP_TIMEOUT" || die "could not stop pid $pid"
    rm -f "$PID_FILE"
    say "stopped (took $(elapsed_s "$t0") s)"
  else
    rm -f "$PID_FILE"
    say "not running"
  fi
  if [[ "$wipe" == 1 ]]; then
    rm -rf -- "$DATA_DIR"
    say "wiped $DATA_DIR"
  fi
}

cmd_status() {
  local pid port
  if pid=$(broker_pid); then
    port=$(configured_port)
    port=${port:-$PORT}
    if port_open "$port"; then
      say "running (pid $pid, $HOST:$port, Kafka $KAFKA_VERSION, run dir $RUN_DIR)"
      return 0
    fi
    say "process running (pid $pid) but $HOST:$port does not answer (starting, or unhealthy)"
    return 1
  fi
  say "not running"
  return 1
}

cmd_logs() {
  [[ -f "$LOG_FILE" ]] || die "no log yet ($LOG_FILE)"
  if [[ "${1:-}" == -f ]]; then exec tail -n 100 -F "$LOG_FILE"; fi
  tail -n "${1:-100}" "$LOG_FILE"
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    fetch) cmd_fetch "$@" ;;
    logs) cmd_logs "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 64 ;;
  esac
}

main "$@"
