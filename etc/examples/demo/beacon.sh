#!/bin/sh
# Demo service written the systemd way: it reports readiness, a status line and watchdog pings
# over sd_notify (systemd-notify talks to $NOTIFY_SOCKET), and touches a heartbeat file ($1).
hb=${1:-/tmp/vj/beacon.hb}
mkdir -p "$(dirname "$hb")"
systemd-notify --status="warming up"
sleep 1
systemd-notify --ready --status="serving"
# Ping at a third of the watchdog period supervisord gave us (WATCHDOG_USEC), at least every second.
every=$(( ${WATCHDOG_USEC:-3000000} / 3000000 ))
[ "$every" -ge 1 ] || every=1
n=0
while :; do
  n=$((n + 1))
  touch "$hb"
  systemd-notify --status="serving, beat $n" WATCHDOG=1
  sleep "$every"
done
