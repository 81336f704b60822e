#!/usr/bin/env bash
# `make demo`: runs every demo step (demo/NN_*.sh) in order, in a fresh demo/out/ folder.
# Each step shows one part of the toolkit working end to end on a built-in example.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEMO_ROOT="$PWD/demo"
export DEMO_OUT="$PWD/demo/out"
rm -rf "$DEMO_OUT" && mkdir -p "$DEMO_OUT"
for step in demo/[0-9][0-9]_*.sh; do
  [ -e "$step" ] || continue
  printf '\n\033[1m==> %s\033[0m\n' "$(sed -n '2s/^# //p' "$step")"
  bash "$step"
done
printf '\n\033[1mDemo finished.\033[0m Output is in demo/out/.\n'
