#!/usr/bin/env bash
# Runs every test: unit tests, properties and the interop suite against real peers (FFmpeg,
# nginx-rtmp, libsrt tools, PostgreSQL, headless Chromium, OpenSSL). Installs the Debian packages the
# interop suite needs when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(ffmpeg srt-tools nginx libnginx-mod-rtmp postgresql chromium openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing interop peers: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Installing Node.js and npm (browser tests)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends nodejs npm
fi

# SRT sockets ask for a receive buffer as large as libsrt's flow window; the kernel caps it at
# net.core.rmem_max, and the SRT high-rate test needs at least 4 MiB there.
if [ "$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 0)" -lt 4194304 ]; then
  echo "Raising net.core.rmem_max to 4194304 for the SRT tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd sysctl -q -w net.core.rmem_max=4194304 || echo "warning: cannot raise net.core.rmem_max" >&2
fi

exec mvn -B verify "$@"
