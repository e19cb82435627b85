#!/usr/bin/env bash
# Installs what the build needs from Debian 12's packages, if anything is missing. Idempotent.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config mandoc
  libboost1.81-dev libyaml-cpp-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  liblua5.4-dev libsqlite3-dev libsystemd-dev
  libgtest-dev libgmock-dev librapidcheck-dev
  procps
  libaubio-dev libsndfile1-dev libpulse-dev libasound2-dev   # vj-audio (plugins/audio-analyzer)
  liblo-tools   # oscsend and oscdump: the tests' independent OSC sender and receiver
  systemd   # only for systemd-notify: the sd_notify tests and the demo rig's beacon use it
)
# A private PulseAudio server with a null sink is the tests' real capture source for vj-audio's
# pulse input, and for its alsa input through alsa-lib's pulse device (no sound card needed).
# Not on a machine whose sound already goes through PipeWire's pulse server: there those tests
# are skipped rather than a second sound server installed beside it.
if ! dpkg-query -W -f='${Status}' pipewire-pulse 2>/dev/null | grep -q "install ok installed"; then
  packages+=(pulseaudio pulseaudio-utils libasound2-plugins)   # the last: ALSA's "pulse" device, for the alsa input
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
