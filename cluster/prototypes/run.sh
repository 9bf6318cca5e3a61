#!/usr/bin/env bash
# Runs the consensus prototypes of docs/SCALE-OUT.md on this machine (3 processes on loopback):
#   ./run.sh ratis grpc|netty THREADS SECONDS BYTES
#   ./run.sh kafka fsync|nofsync THREADS SECONDS BYTES
# Each run starts 3 servers in a fresh temporary directory, measures one client process,
# prints one line (writes/s, p50, p99) and stops the servers.
set -euo pipefail
cd "$(dirname "$0")"
JAVA_HOME="${JAVA_HOME:-$(../../vdb java-home)}"
JAVA="$JAVA_HOME/bin/java"
[ -f target/classpath.txt ] || mvn -B -q package >&2
CP="target/vdb-consensus-prototypes-0.1.0-SNAPSHOT.jar:$(cat target/classpath.txt)"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
HEAP=(-Xmx1g -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

what="$1" mode="$2" threads="$3" seconds="$4" bytes="$5"
case "$what" in
  ratis)
    PEERS="1=127.0.0.1:17101,2=127.0.0.1:17102,3=127.0.0.1:17103"
    for i in 1 2 3; do
      "$JAVA" "${HEAP[@]}" -cp "$CP" dev.vdb.cluster.proto.RatisProto node "$i" "$WORK/n$i" "$mode" "$PEERS" >"$WORK/n$i.log" 2>&1 &
      PIDS+=($!)
    done
    sleep 6
    "$JAVA" "${HEAP[@]}" -cp "$CP" dev.vdb.cluster.proto.RatisProto client "$mode" "$PEERS" "$threads" "$seconds" "$bytes"
    ;;
  kafka)
    VOTERS="1@127.0.0.1:17211,2@127.0.0.1:17212,3@127.0.0.1:17213"
    CLUSTER_ID=vdbProtoCluster0000000
    for i in 1 2 3; do
      cat >"$WORK/s$i.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$VOTERS
listeners=PLAINTEXT://127.0.0.1:1720$i,CONTROLLER://127.0.0.1:1721$i
advertised.listeners=PLAINTEXT://127.0.0.1:1720$i
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$WORK/k$i
num.partitions=1
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
PROPS
      if [ "$mode" = fsync ]; then echo "log.flush.interval.messages=1" >>"$WORK/s$i.properties"; fi
      "$JAVA" "${HEAP[@]}" -cp "$CP" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$WORK/s$i.properties" >/dev/null
      "$JAVA" "${HEAP[@]}" -cp "$CP" kafka.Kafka "$WORK/s$i.properties" >"$WORK/k$i.log" 2>&1 &
      PIDS+=($!)
    done
    sleep 10
    "$JAVA" "${HEAP[@]}" -cp "$CP" dev.vdb.cluster.proto.KafkaProto "127.0.0.1:17201,127.0.0.1:17202,127.0.0.1:17203" \
      "$mode" "$threads" "$seconds" "$bytes"
    ;;
  *) echo "usage: run.sh ratis|kafka MODE THREADS SECONDS BYTES" >&2; exit 2 ;;
esac
