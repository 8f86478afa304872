#!/usr/bin/env bash
# A longer libFuzzer session over the layer reader (tests/fuzz/fuzz_layer.c).
# usage: tests/fuzz/run.sh [SECONDS=600] [JOBS=1]
# Needs clang with libFuzzer (Debian 12: clang libclang-rt-14-dev libshp-dev). New inputs
# go to $WS_FUZZ_WORK (default /tmp/ws_fuzz) and never into the repository; a crash is
# saved there as crash-* and the script exits non-zero. To keep an interesting input as
# a seed, copy it into tests/fuzz/corpus/ (the suite replays that folder).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TOTAL=${1:-600}
JOBS=${2:-1}
WORK=${WS_FUZZ_WORK:-/tmp/ws_fuzz}
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "run.sh: $CC not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 69; }
mkdir -p "$WORK/corpus" "$WORK/artifacts"
cd "$ROOT"
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Isrc -I. tests/fuzz/fuzz_layer.c src/io/layer.c src/io/encoding.c src/util/error.c \
  src/util/shapes.c -lshp -lm -o "$WORK/fuzz_layer"
echo "fuzzing for ${SECONDS_TOTAL}s with $JOBS job(s); work folder $WORK"
args=(-max_total_time="$SECONDS_TOTAL" -rss_limit_mb=1024 -malloc_limit_mb=256 -timeout=10
      -artifact_prefix="$WORK/artifacts/" -print_final_stats=1)
if [ "$JOBS" -gt 1 ]; then args+=(-fork="$JOBS"); fi
set +e
"$WORK/fuzz_layer" "${args[@]}" "$WORK/corpus" tests/fuzz/corpus 2>&1 | tee "$WORK/fuzz.log" | grep -E 'DONE|INITED|ERROR|SUMMARY|stat::|crash|leak' 
status=${PIPESTATUS[0]}
set -e
n_art=$(find "$WORK/artifacts" -type f | wc -l)
echo "libFuzzer exit $status; corpus $(ls "$WORK/corpus" | wc -l) inputs; $n_art crash/leak/timeout artifacts in $WORK/artifacts"
[ "$status" -eq 0 ] && [ "$n_art" -eq 0 ]
