#!/bin/sh
# Demo service: on SIGTERM it says goodbye, takes half a second to "flush", and exits 0.
trap 'echo "graceful: TERM received, flushing"; sleep 0.5; echo "graceful: bye"; exit 0' TERM
echo "graceful: up"
while :; do sleep 1; done
