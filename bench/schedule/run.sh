#!/usr/bin/env bash
# Scheduling and start-up benchmark.
#   bench/schedule/run.sh [BUILD_DIR]
# 1. 64 services whose builder takes 200 ms (the test plugin's `sleep`), at concurrency 8:
#    wall time against the ideal 64 x 0.2 s / 8 = 1.6 s (target <= 1.15x), and the host's CPU
#    time per service (target < 10 ms; the whole process's user+sys, so it is an upper bound).
# 2. `steiger plugins` start-up with every plugin of the build tree loaded (target < 50 ms).
set -euo pipefail
build=${1:-build}
build=$(cd "$build" && pwd)
steiger=$build/bin/steiger
plugins=$build/test-plugins/good
runs=${RUNS:-5}
[ -x "$steiger" ] || { echo "no $steiger: build first (cmake --build $build)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "build:"
  for i in $(seq -w 1 64); do printf '  svc%s:\n    type: test\n    sleep: 0.2\n' "$i"; done
  echo "tagFormat: bench"
} > "$work/steiger.yml"

if ! command -v /usr/bin/time >/dev/null; then echo "needs GNU time (apt-get install time)" >&2; exit 2; fi

echo "== schedule: 64 services x 200 ms at concurrency 8 ($runs runs)"
walls=(); cpus=()
for r in $(seq 1 "$runs"); do
  /usr/bin/time -o "$work/time" -f "%e %U %S" "$steiger" --plugin-path "$plugins" -d "$work" \
    build -j 8 --progress plain >/dev/null 2>"$work/err" || true
  read -r wall user sys <"$work/time"
  grep -q "64 ok, 0 failed" "$work/err" || { echo "run $r failed:"; tail -20 "$work/err"; exit 1; }
  walls+=("$wall"); cpus+=("$(echo "($user + $sys) * 1000 / 64" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall=$(median "${walls[@]}"); cpu=$(median "${cpus[@]}")
printf 'wall time      %.3f s (ideal 1.600 s)  ratio %.3f  (target <= 1.15)\n' "$wall" "$(echo "$wall / 1.6" | bc -l)"
printf 'host CPU       %.2f ms per service               (target < 10)\n' "$cpu"

echo "== start-up: steiger plugins ($((runs * 4)) runs)"
starts=()
for r in $(seq 1 $((runs * 4))); do
  t0=$(date +%s%N)
  "$steiger" plugins --plugin-path "$plugins" >/dev/null
  t1=$(date +%s%N)
  starts+=("$(echo "($t1 - $t0) / 1000000" | bc -l)")
done
printf 'steiger plugins %.1f ms median, %d plugin(s) loaded      (target < 50)\n' \
  "$(median "${starts[@]}")" "$("$steiger" plugins --json --plugin-path "$plugins" | grep -c '"sdk"')"
