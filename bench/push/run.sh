#!/usr/bin/env bash
# Push benchmark (issue 3, item 9): steiger's push engine against `skopeo copy
# --preserve-digests` and a plain streaming curl upload (POST, then `curl -T` per blob: the
# floor), each tool into a fresh docker-registry on 127.0.0.1, on the same OCI layouts:
#   (a) one 512 MiB layer                 target: steiger no slower than curl
#   (b) 32 x 4 MiB + 200 x 16 KiB layers  target: steiger <= 0.6 x skopeo
#   (c) re-pushing (b) unchanged          target: steiger < 60 ms
#   peak memory (max RSS) of steiger in every case: target < 64 MiB
# Times are medians of RUNS runs (default 3); each run times the tools one after the other.
#   bench/push/run.sh [BUILD_DIR]         (STEIGER=/path/to/steiger overrides BUILD_DIR/bin/steiger)
set -euo pipefail
build=${1:-build}
steiger=${STEIGER:-$(cd "$build" && pwd)/bin/steiger}
runs=${RUNS:-3}
[ -x "$steiger" ] || { echo "no $steiger: build first (cmake --build $build)" >&2; exit 2; }
for tool in docker-registry skopeo curl bc sha256sum python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps)" >&2; exit 2; }
done

work=$(mktemp -d)
registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- layouts -------------------------------------------------------------------------------
# add_blob LAYOUT FILE MEDIA_TYPE: moves FILE into LAYOUT's blobs, prints its descriptor.
add_blob() {
  local hex size
  hex=$(sha256sum "$2" | cut -d' ' -f1)
  size=$(stat -c %s "$2")
  mv "$2" "$1/blobs/sha256/$hex"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$3" "$hex" "$size"
}

# make_layout DIR COUNT:BYTES...: one linux/amd64 image with those layers (random bytes).
make_layout() {
  local dir=$1 layers=() diff_ids=() spec count bytes i d
  shift
  mkdir -p "$dir/blobs/sha256"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  for spec in "$@"; do
    count=${spec%%:*} bytes=${spec#*:}
    for i in $(seq 1 "$count"); do
      head -c "$bytes" /dev/urandom >"$dir/layer.tmp"
      d=$(add_blob "$dir" "$dir/layer.tmp" application/vnd.oci.image.layer.v1.tar)
      layers+=("$d")
      diff_ids+=("\"$(sed 's/.*"digest":"\([^"]*\)".*/\1/' <<<"$d")\"")
    done
  done
  (IFS=,; printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "${diff_ids[*]}") >"$dir/config.tmp"
  local config manifest
  config=$(add_blob "$dir" "$dir/config.tmp" application/vnd.oci.image.config.v1+json)
  (IFS=,; printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
    "$config" "${layers[*]}") >"$dir/manifest.tmp"
  manifest=$(add_blob "$dir" "$dir/manifest.tmp" application/vnd.oci.image.manifest.v1+json)
  printf '{"schemaVersion":2,"manifests":[%s]}' "$manifest" >"$dir/index.json"
}

# --- registry ------------------------------------------------------------------------------
port=""
start_registry() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local dir=$work/registry
  rm -rf "$dir" && mkdir -p "$dir"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $dir/data}, maintenance: {uploadpurging: {enabled: false}}}
http: {addr: "127.0.0.1:$port", secret: bench}
health: {storagedriver: {enabled: false}}
YAML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 1 500); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/v2/" && return 0
    sleep 0.01
  done
  echo "docker-registry did not start:" >&2; cat "$dir/log" >&2; exit 1
}
stop_registry() {
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
  registry_pid=""
}

# --- the tools -----------------------------------------------------------------------------
# steiger runs with -q: its progress lines go to stderr, which is left on the terminal for errors.
push_steiger() { "$steiger" push -q "$1" "127.0.0.1:$port/bench/img:v1" >/dev/null; }
push_skopeo() {
  skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$1" \
    "docker://127.0.0.1:$port/bench/img:v1" >/dev/null
}
# What a shell script around curl does: per blob a POST, then the file streamed with -T.
push_curl() {
  local layout=$1 base="http://127.0.0.1:$port/v2/bench/img" f hex loc manifest
  manifest=$(sed 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$layout/index.json")
  for f in "$layout"/blobs/sha256/*; do
    hex=$(basename "$f")
    [ "$hex" = "$manifest" ] && continue
    loc=$(curl -sf -o /dev/null -D - -X POST "$base/blobs/uploads/" |
      tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    case $loc in *\?*) loc="$loc&" ;; *) loc="$loc?" ;; esac
    curl -sf -o /dev/null -T "$f" -H 'Content-Type: application/octet-stream' \
      "${loc}digest=sha256%3A$hex"
  done
  curl -sf -o /dev/null -T "$layout/blobs/sha256/$manifest" \
    -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' "$base/manifests/v1"
}

export -f push_curl
export port

# measure TOOL LAYOUT: "<wall ms> <max RSS KiB>" of one push (RSS: its largest process).
measure() {
  local t0 t1 cmd ref="127.0.0.1:$port/bench/img:v1"
  case $1 in
    steiger) cmd=("$steiger" push -q "$2" "$ref") ;;
    skopeo) cmd=(skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$2" "docker://$ref") ;;
    curl) cmd=(bash -c 'push_curl "$1"' _ "$2") ;;
  esac
  t0=$(date +%s%N)
  /usr/bin/time -o "$work/time" -f "%M" "${cmd[@]}" >/dev/null
  t1=$(date +%s%N)
  echo "$(((t1 - t0) / 1000000)) $(cat "$work/time")"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }

# bench CASE LAYOUT TOOL...: each run times every tool in turn, each into a fresh registry, so a
# load that drifts while the benchmark runs (a shared machine) weighs on every tool alike rather
# than on whichever came last; medians over the runs. Sets ms and kib; prints each run's time.
# With CASE "c", each tool first pushes the image, then is timed pushing it again.
declare -A ms kib
bench() {
  local name=$1 layout=$2 tool r out
  shift 2
  local -A times=() mems=()
  for r in $(seq 1 "$runs"); do
    for tool in "$@"; do
      start_registry
      [ "$name" = c ] && "push_$tool" "$layout"
      out=$(measure "$tool" "$layout")
      times[$tool]+=" ${out% *}"
      mems[$tool]+=" ${out#* }"
      stop_registry
    done
  done
  for tool in "$@"; do
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    ms[$name.$tool]=$(median ${times[$tool]})
    # shellcheck disable=SC2086
    kib[$name.$tool]=$(max ${mems[$tool]})
    printf '  %-8s %8d ms   peak %6d KiB   (runs:%s ms)\n' "$tool" "${ms[$name.$tool]}" \
      "${kib[$name.$tool]}" "${times[$tool]}"
  done
}

echo "== making layouts in $work"
make_layout "$work/a" 1:$((512 << 20))
make_layout "$work/b" 32:$((4 << 20)) 200:$((16 << 10))

echo "== (a) one 512 MiB layer ($runs runs, the tools in turn, a fresh registry each time)"
bench a "$work/a" curl skopeo steiger
echo "== (b) 32 x 4 MiB + 200 x 16 KiB layers"
bench b "$work/b" curl skopeo steiger
echo "== (c) re-pushing (b) unchanged"
bench c "$work/b" skopeo steiger

ratio() { echo "scale=3; $1 / $2" | bc -l; }
ok() { [ "$(echo "$1" | bc -l)" = 1 ] && echo met || echo MISSED; }
peak=$(max "${kib[a.steiger]}" "${kib[b.steiger]}" "${kib[c.steiger]}")
echo "== results"
printf '(a) steiger / curl     %s   (target <= 1.0)   %s\n' \
  "$(ratio "${ms[a.steiger]}" "${ms[a.curl]}")" "$(ok "${ms[a.steiger]} <= ${ms[a.curl]}")"
printf '(b) steiger / skopeo   %s   (target <= 0.6)   %s\n' \
  "$(ratio "${ms[b.steiger]}" "${ms[b.skopeo]}")" "$(ok "${ms[b.steiger]} <= 0.6 * ${ms[b.skopeo]}")"
printf '(c) steiger re-push    %s ms (target < 60; skopeo %s ms)   %s\n' \
  "${ms[c.steiger]}" "${ms[c.skopeo]}" "$(ok "${ms[c.steiger]} < 60")"
printf 'steiger peak memory    %s MiB (target < 64)   %s\n' \
  "$(echo "scale=1; $peak / 1024" | bc -l)" "$(ok "$peak < 65536")"
