#!/usr/bin/env bash
# Smoke test of the README's first command: `npm start` brings the system up, an unanswered contact
# produces an alert e-mail in .run/mail/, and Ctrl-C (SIGINT) stops every service.
# Uses the running Kafka (KAFKA_BROKERS) and isolates itself with unique prefixes and a schema.
set -euo pipefail
cd "$(dirname "$0")/.."
id="smoke$(date +%s)$$"
work=$(mktemp -d)
log="$work/start.log"
cat > "$work/policies.json" <<JSON
{ "policies": [ { "id": "smoke", "targets": { "first_response": "2s" } } ] }
JSON
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}" POLICY_FILE="$work/policies.json"
export KAFKA_TOPIC_PREFIX="$id." REDIS_PREFIX="$id" DATABASE_SCHEMA="$id"
export KAFKA_GROUP_ID_SLA="$id-sla" KAFKA_GROUP_ID_ESCALATION="$id-escalation"
rm -rf .run/mail

node dist/scripts/start.js >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -INT "$pid" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP SCHEMA IF EXISTS \"$id\" CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

deadline=$((SECONDS + 120))
until grep -q "Replywatch is running" "$log"; do
  if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then
    echo "smoke: npm start did not come up"; cat "$log"; exit 1
  fi
  sleep 0.5
done
echo "smoke: system up after ${SECONDS}s"

now=$(date -u +%FT%TZ)
status=$(curl -s -o "$work/post.json" -w '%{http_code}' -X POST http://127.0.0.1:3000/v1/events \
  -H 'Authorization: Bearer dev-connector-key-change-me' -H 'Content-Type: application/json' \
  -d "{\"eventId\":\"$id-1\",\"type\":\"contact.opened\",\"contactId\":\"$id-chat\",\"channel\":\"chat\",\"occurredAt\":\"$now\"}")
[ "$status" = 202 ] || { echo "smoke: POST answered $status: $(cat "$work/post.json")"; exit 1; }

until grep -qs "$id-chat" .run/mail/*.eml; do
  if ((SECONDS > deadline + 60)); then echo "smoke: no alert e-mail"; cat "$log"; exit 1; fi
  sleep 0.5
done
echo "smoke: alert e-mail received: $(grep -h '^Subject:' .run/mail/*.eml | head -1)"

queue=$(curl -s -H 'Authorization: Bearer dev-ops-key-change-me' http://127.0.0.1:3001/v1/queue)
echo "$queue" | grep -q "$id-chat" || { echo "smoke: contact missing from the queue: $queue"; exit 1; }

kill -INT "$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then echo "smoke: npm start did not stop on Ctrl-C"; exit 1; fi
wait "$pid" || { echo "smoke: npm start exited non-zero"; tail -20 "$log"; exit 1; }
for port in 3000 3001 3002 3003 2525; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "smoke: port $port still open after stop"; exit 1; fi
done
trap - EXIT
cleanup
echo "smoke: 1 passed, 0 failed"
