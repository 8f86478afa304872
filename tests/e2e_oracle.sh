#!/usr/bin/env bash
# End-to-end check of walkshed against an independent reference implementation of
# shared/SPEC.md (tests/oracle/oracle.py, Python standard library + ogr2ogr).
#
#   usage: e2e_oracle.sh [WALKSHED_BINARY] [CITY...]
#          (or WALKSHED=path e2e_oracle.sh CITY...)
#
# For every CITY folder in shared/data it runs `walkshed audit CITY --out TMP --quiet` and the
# oracle, and compares every compound: reach_m within 0.5 m (+0.05 for the 1-decimal print),
# identical reachability/status, nearest center (unless the oracle shows a tie within 0.5 m),
# n_within (unless a center is within 0.5 m of the threshold), snap distance, id and name.
# When porto is in the list, it also runs walkshed on two copies of porto compared against the
# oracle on the original data: reprojected to EPSG:3763 (audited with --crs EPSG:32629, the
# original's zone), and with its .dbf files re-encoded to ISO-8859-1. When nanjing_xinjiekou is
# in the list, likewise a copy re-encoded to CP936 (GBK).
# WS_ORACLE_BIG=1 adds porto_metro (330k segments, ~1 min).
# Output: TAP. Exit status non-zero when a check fails.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
DATA="$HERE/../../shared/data"
ORACLE="$HERE/oracle"

WS=${WALKSHED:-}
if [ $# -gt 0 ] && { [[ "$1" == */* ]] || [ -x "$1" ]; }; then
  WS=$1
  shift
fi
CITIES=("$@")
if [ ${#CITIES[@]} -eq 0 ]; then
  CITIES=(nanjing_xinjiekou shenzhen_longgang beijing_haidian helsinki monaco porto)
fi
if [ "${WS_ORACLE_BIG:-0}" = 1 ] && [[ " ${CITIES[*]} " != *" porto_metro "* ]]; then
  CITIES+=(porto_metro)
fi

if [ ! -d "$DATA" ]; then
  echo "1..0 # SKIP ../shared/data not present"; exit 0
fi
DATA=$(cd "$DATA" && pwd)
for tool in python3 ogr2ogr ogrinfo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool not found"; exit 0
  fi
done
if [ -z "$WS" ] || [ ! -x "$WS" ]; then
  echo "Bail out! walkshed binary not given or not executable: '${WS}' (pass it as the first argument or in WALKSHED)"
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ws_e2e_oracle.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
N=0
FAIL=0

ok()     { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $*"; FAIL=1; }
# number the "ok - ..." / "not ok - ..." lines printed by the Python helpers
tapify() {
  local line
  while IFS= read -r line; do
    case "$line" in
      "ok - "*)     N=$((N + 1)); echo "ok $N - ${line#ok - }" ;;
      "not ok - "*) N=$((N + 1)); echo "not ok $N - ${line#not ok - }"; FAIL=1 ;;
      *)            echo "$line" ;;
    esac
  done
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# audit DIR OUTDIR [walkshed options...] -> TAP line
audit() {
  local label=$1 dir=$2 out=$3; shift 3
  local t0 t1
  t0=$(now)
  if "$WS" audit "$dir" --out "$out" --quiet "$@" >"$TMP/ws.log" 2>&1 && [ -f "$out/compounds.csv" ]; then
    t1=$(now); ok "$label: walkshed audit ($(secs "$t0" "$t1") s)"
    return 0
  fi
  not_ok "$label: walkshed audit $* failed"
  sed 's/^/#   /' "$TMP/ws.log" | head -20
  return 1
}

# run_oracle CITY OUTCSV [oracle options...]
run_oracle() {
  local city=$1 out=$2; shift 2
  local t0 t1
  t0=$(now)
  if python3 "$ORACLE/oracle.py" "$DATA/$city" --out "$out" "$@" >"$TMP/or.log" 2>&1; then
    t1=$(now); ok "$city: oracle $(grep -o 'working CRS [A-Z0-9:]*' "$TMP/or.log"), $(grep -o '[0-9]* segments' "$TMP/or.log" | head -1) ($(secs "$t0" "$t1") s)"
    return 0
  fi
  not_ok "$city: oracle failed"
  sed 's/^/#   /' "$TMP/or.log" | head -20
  return 1
}

# compare LABEL WALKSHED_OUT ORACLE_CSV ATTRS_SHP [compare.py options]
compare() {
  local label=$1 wsout=$2 orcsv=$3 attrs_shp=$4; shift 4
  ogr2ogr -f CSV "$TMP/attrs.csv" "$attrs_shp" 2>"$TMP/attrs.log" || true
  python3 "$ORACLE/compare.py" "$wsout/compounds.csv" "$orcsv" --label "$label" \
    --attrs "$TMP/attrs.csv" "$@" > "$TMP/cmp.out" 2>&1
  tapify < "$TMP/cmp.out"
}

# copy the three layers of a city into DIR with extra ogr2ogr options
copy_city() {
  local city=$1 dir=$2; shift 2
  mkdir -p "$dir"
  for l in roads compounds centers; do
    ogr2ogr -f "ESRI Shapefile" "$dir/$l.shp" "$DATA/$city/$l.shp" "$@" 2>>"$TMP/copy.log" || return 1
  done
  if grep -q . "$TMP/copy.log" 2>/dev/null; then
    sed 's/^/#   ogr2ogr: /' "$TMP/copy.log" | head -5
  fi
}

# self-test of the oracle on a hand-made network with hand-computed answers
python3 "$ORACLE/selftest.py" > "$TMP/self.out" 2>&1
tapify < "$TMP/self.out"

for city in "${CITIES[@]}"; do
  if [ ! -f "$DATA/$city/roads.shp" ]; then
    not_ok "$city: no such dataset in $DATA"
    continue
  fi
  ocsv="$TMP/$city.oracle.csv"
  # small cities: also cross-check the oracle's grid snapping index against brute force
  xcheck=(--cross-check)
  [ "$city" = porto_metro ] && xcheck=()
  audit "$city" "$DATA/$city" "$TMP/$city.ws" || continue
  run_oracle "$city" "$ocsv" "${xcheck[@]}" || continue
  compare "$city" "$TMP/$city.ws" "$ocsv" "$DATA/$city/compounds.shp"

  zone=$(grep -o 'working CRS EPSG:[0-9]*' "$TMP/or.log" | grep -o 'EPSG:[0-9]*')
  variants=()
  case "$city" in
    porto) variants=(epsg3763 latin1) ;;
    nanjing_xinjiekou) variants=(cp936) ;;
  esac
  for v in "${variants[@]}"; do
    vdir="$TMP/$city.$v"
    rm -f "$TMP/copy.log"
    cres=0
    case "$v" in
      epsg3763) copy_city "$city" "$vdir" -t_srs EPSG:3763 -lco ENCODING=UTF-8 || cres=1; opts=(--crs "$zone"); what="reprojected to EPSG:3763, audited with --crs $zone" ;;
      latin1)   copy_city "$city" "$vdir" -lco ENCODING=ISO-8859-1 || cres=1; opts=(); what="DBF re-encoded to ISO-8859-1" ;;
      cp936)    copy_city "$city" "$vdir" -lco ENCODING=CP936 || cres=1; opts=(); what="DBF re-encoded to CP936" ;;
    esac
    if [ $cres -ne 0 ] || [ ! -f "$vdir/compounds.shp" ]; then
      not_ok "$city ($what): ogr2ogr copy failed"; continue
    fi
    case "$v" in
      latin1|cp936)
        want=$([ "$v" = latin1 ] && echo ISO-8859-1 || echo CP936)
        got=$(cat "$vdir/compounds.cpg" 2>/dev/null)
        if [ "$got" = "$want" ]; then ok "$city ($what): compounds.cpg is $got"
        else not_ok "$city ($what): compounds.cpg is '$got', expected $want"; fi ;;
    esac
    audit "$city ($what)" "$vdir" "$vdir.ws" "${opts[@]}" || continue
    compare "$city ($what)" "$vdir.ws" "$ocsv" "$vdir/compounds.shp" --ref-names "$TMP/$city.ws/compounds.csv"
  done
done

echo "1..$N"
exit $FAIL
