#!/bin/sh
# Installs the Debian packages yilian needs to build, test and demo. As root it runs
# apt-get; otherwise it prints the exact command and stops, so nothing happens behind a
# user's back. Usage: scripts/deps.sh
set -eu

PKGS="build-essential cmake pkg-config clang libclang-rt-14-dev libsqlite3-dev \
libmicrohttpd-dev libjansson-dev libsodium-dev libcmocka-dev libcurl4-openssl-dev wrk"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "yilian needs these Debian packages:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
