#!/usr/bin/env bash
# Installs the Debian packages vtools needs, only when something is missing.
# Usage: scripts/install-deps.sh [--check]   (--check: report, install nothing; exit 1 if missing)
set -euo pipefail

packages=(libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libxlsxwriter-dev zlib1g-dev libarchive-dev pkg-config ffmpeg python3 unzip groff-base)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "missing packages: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: error: need root (or sudo) to run apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
