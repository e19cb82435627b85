#!/bin/sh
# Demo service: prints a line every $2 seconds under the name $1, until stopped.
name=${1:-ticker}
every=${2:-5}
n=0
while :; do
  n=$((n + 1))
  echo "$name: tick $n (pid $$${VJ_INSTANCE:+, instance $VJ_INSTANCE})"
  sleep "$every"
done
