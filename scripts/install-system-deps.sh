#!/bin/sh
# Installs the Debian packages the test suite drives for real. Idempotent and quick when present.
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v redis-server >/dev/null 2>&1 || need="$need redis-server"
[ -d /usr/share/fonts/opentype/noto ] || need="$need fonts-noto-cjk"
[ -z "$need" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
