#!/usr/bin/env bash
# Creates Newsline's topics (topics.conf beside this script) and exits: the one-shot "topics" job
# of docker-compose.yml, usable against any cluster that has Kafka's command-line tools.
#
#   TOPICS_BOOTSTRAP_SERVERS   brokers to talk to (required), e.g. kafka:9092
#   TOPICS_REPLICATION_FACTOR  replication of every topic (default 1)
#   TOPICS_MIN_INSYNC_REPLICAS min.insync.replicas of every topic (default 1)
#   TOPICS_FILE                topic list (default: topics.conf beside this script)
#   TOPICS_COMMAND_CONFIG      client properties file for a secured cluster (SASL/SSL), optional
#   KAFKA_BIN                  folder of kafka-topics.sh and kafka-configs.sh (default /opt/kafka/bin)
#
# A missing topic is created with its partitions, the replication factor and its configs. An existing
# topic keeps its partitions (a different count is reported, never changed: that would move keys) and
# gets the configs of the file where they differ, so running the job again is harmless and applies
# an edited retention. Any failure exits non-zero, so the services that depend on the job do not start.
set -euo pipefail

bootstrap="${TOPICS_BOOTSTRAP_SERVERS:?set TOPICS_BOOTSTRAP_SERVERS, e.g. kafka:9092}"
replication="${TOPICS_REPLICATION_FACTOR:-1}"
min_isr="${TOPICS_MIN_INSYNC_REPLICAS:-1}"
file="${TOPICS_FILE:-$(dirname "$0")/topics.conf}"
bin="${KAFKA_BIN:-/opt/kafka/bin}"
client=(--bootstrap-server "$bootstrap")
if [[ -n "${TOPICS_COMMAND_CONFIG:-}" ]]; then
  client+=(--command-config "$TOPICS_COMMAND_CONFIG")
fi

if ! [[ "$replication" =~ ^[1-9][0-9]*$ && "$min_isr" =~ ^[1-9][0-9]*$ ]] || (( min_isr > replication )); then
  echo "create-topics: need 1 <= TOPICS_MIN_INSYNC_REPLICAS ($min_isr) <= TOPICS_REPLICATION_FACTOR ($replication)" >&2
  exit 2
fi

# one describe for every topic: "Topic: NAME<TAB>TopicId: ..<TAB>PartitionCount: N<TAB>...<TAB>Configs: k=v,.."
described="$("$bin/kafka-topics.sh" "${client[@]}" --describe --exclude-internal)"
described="$(grep '^Topic:' <<<"$described" || true)"

created=0 updated=0 unchanged=0
while read -r name partitions configs extra; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ -n "${extra:-}" || ! "$partitions" =~ ^[1-9][0-9]*$ ]]; then
    echo "create-topics: $file: bad line for $name (want: NAME PARTITIONS CONFIGS)" >&2
    exit 2
  fi
  wanted="min.insync.replicas=$min_isr${configs:+,$configs}"
  line="$(awk -F '\t' -v topic="Topic: $name" '$1 == topic' <<<"$described")"
  if [[ -z "$line" ]]; then
    args=(--create --topic "$name" --partitions "$partitions" --replication-factor "$replication")
    IFS=',' read -ra pairs <<<"$wanted"
    for pair in "${pairs[@]}"; do
      args+=(--config "$pair")
    done
    "$bin/kafka-topics.sh" "${client[@]}" "${args[@]}"
    created=$((created + 1))
    continue
  fi
  have_partitions="$(sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' <<<"$line")"
  if [[ "$have_partitions" != "$partitions" ]]; then
    echo "create-topics: WARNING $name has $have_partitions partitions, topics.conf says $partitions; left as it is" >&2
  fi
  have_configs="$(sed -n 's/.*Configs: *//p' <<<"$line")"
  have_configs=",${have_configs//[[:space:]]/},"
  missing=""
  IFS=',' read -ra pairs <<<"$wanted"
  for pair in "${pairs[@]}"; do
    [[ "$have_configs" == *",$pair,"* ]] || missing="${missing:+$missing,}$pair"
  done
  if [[ -n "$missing" ]]; then
    "$bin/kafka-configs.sh" "${client[@]}" --alter --entity-type topics --entity-name "$name" --add-config "$missing"
    updated=$((updated + 1))
  else
    unchanged=$((unchanged + 1))
  fi
done <"$file"

echo "create-topics: $created created, $updated updated, $unchanged unchanged (replication $replication, min.insync.replicas $min_isr)"
