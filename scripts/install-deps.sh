#!/usr/bin/env bash
# Installs the Debian packages vtools needs, only when something is missing.
# Usage: scripts/install-deps.sh [--check] [--test-tools] [--python-extras] [--server-tools]
#   --check          report, install nothing; exit 1 if missing
#   --test-tools     also what `make test` runs against: a real single-node Slurm (slurm-wlm,
#                    munge) and a headless browser (chromium); without them those tests are
#                    skipped and say so
#   --python-extras  also pyarrow (PyPI), which vdata's Parquet datasets (Video-MME) and their
#                    tests need; without it those tests are skipped and say so
#   --server-tools   also what `make test-servers` builds llama.cpp's server and the tiny model with
#                    (cmake, g++, python3-venv, curl)
set -euo pipefail
check=0; extras=0; test_tools=0; server_tools=0
for a in "$@"; do
  case "$a" in
    --check) check=1 ;;
    --python-extras) extras=1 ;;
    --test-tools) test_tools=1 ;;
    --server-tools) server_tools=1 ;;
    *) echo "install-deps: unknown option $a" >&2; exit 64 ;;
  esac
done

packages=(libavformat-dev libavcodec-dev libswscale-dev libswresample-dev libavutil-dev libxlsxwriter-dev zlib1g-dev libarchive-dev pkg-config ffmpeg python3 unzip groff-base parallel)
# --test-tools: a real Slurm (SlurmArrayTests) and the headless browser the vreport tests open
# reports in (without them those tests say they are skipped).
if [ $test_tools -eq 1 ]; then packages+=(slurm-wlm munge chromium); fi
if [ $server_tools -eq 1 ]; then packages+=(cmake g++ python3-venv curl); fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ $extras -eq 1 ] && ! dpkg-query -W -f='${Status}' python3-pip 2>/dev/null | grep -q "install ok installed"; then
  missing+=(python3-pip)
fi

install_extras() {
  [ $extras -eq 1 ] || return 0
  python3 -c 'import pyarrow' 2>/dev/null && return 0
  echo "install-deps: installing pyarrow (pip)" >&2
  python3 -m pip install --quiet --break-system-packages pyarrow 2>/dev/null || python3 -m pip install --quiet pyarrow
}

if [ ${#missing[@]} -eq 0 ]; then
  install_extras
  exit 0
fi
if [ $check -eq 1 ]; then
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
install_extras
