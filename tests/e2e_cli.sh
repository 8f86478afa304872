#!/usr/bin/env bash
# End-to-end tests of the walkshed CLI (TAP): exit statuses, atomic outputs, determinism
# across thread counts, and a tiny metric dataset whose figures are worked out by hand.
# usage: e2e_cli.sh WALKSHED_BINARY
set -u
WS=${1:?walkshed binary}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SAMPLE="$ROOT/geodata/porto"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
# expect STATUS PATTERN DESCRIPTION -- command...: checks the exit status and stderr text
expect() {
  local want=$1 pattern=$2 desc=$3; shift 4
  "$@" >"$T/out.txt" 2>"$T/err.txt"
  local got=$?
  if [ "$got" = "$want" ] && grep -q -- "$pattern" "$T/err.txt" "$T/out.txt"; then ok 0 "$desc"
  else ok 1 "$desc (exit $got, want $want; stderr: $(head -c 300 "$T/err.txt"))"; fi
}
nothing_left() { # no output folder and no temporary folder beside it
  local dir=$1
  [ ! -e "$dir" ] && [ -z "$(ls -A "$(dirname "$dir")" | grep -F ".$(basename "$dir").tmp-")" ]
}

# --- basics
expect 0 "walkshed 0" "--version prints the version" -- "$WS" --version
expect 0 "Usage: walkshed audit" "audit --help" -- "$WS" audit --help
expect 64 "Usage" "no command: usage, exit 64" -- "$WS"
expect 64 "unknown command" "unknown command: exit 64" -- "$WS" frobnicate
expect 64 "expected a positive number" "--speed 0: exit 64" -- "$WS" audit --speed 0
expect 64 "expected a positive number" "--minutes abc: exit 64" -- "$WS" audit --minutes abc
expect 64 "expected a positive number" "--max-snap -5: exit 64" -- "$WS" audit --max-snap -5
expect 64 "--threads" "--threads 0: exit 64" -- "$WS" audit --threads 0

# --- the bundled sample, atomic output, determinism over thread counts
expect 0 "covered" "audit of the bundled sample" -- "$WS" audit --out "$T/o1" --threads 1
files=$(cd "$T/o1" 2>/dev/null && ls | tr '\n' ' ')
[ "$files" = "centers.csv compounds.csv levels.csv summary.json uncovered.cpg uncovered.dbf uncovered.geojson uncovered.prj uncovered.shp uncovered.shx " ]
ok $? "output folder holds exactly the documented files (levels.csv: porto centers have levels) ($files)"
lines=$(($(wc -l <"$T/o1/compounds.csv") - 1))
[ "$lines" = 366 ]; ok $? "compounds.csv has one row per compound (366 in porto; got $lines)"
"$WS" audit --out "$T/o2" --threads 2 -q && "$WS" audit --out "$T/o7" --threads 7 -q
diff -r "$T/o1" "$T/o2" >/dev/null; ok $? "1 and 2 threads: byte-identical output folders"
diff -r "$T/o1" "$T/o7" >/dev/null; ok $? "1 and 7 threads: byte-identical output folders"
"$WS" audit --out "$T/o1" --threads 2 -q; ok $? "re-running into an existing walkshed output folder replaces it"
diff -r "$T/o1" "$T/o2" >/dev/null; ok $? "replaced folder is identical"
[ -z "$(ls -A "$T" | grep tmp-)" ]; ok $? "no temporary folders left behind"

# --- inputs that must fail cleanly
mkdir -p "$T/data" && cp "$SAMPLE"/{roads,compounds,centers}.* "$T/data/"
expect 66 "nonexistent-walkshed/roads.shp" "missing roads file: exit 66 naming it" -- "$WS" audit "$T/data" --roads /nonexistent-walkshed/roads.shp --out "$T/x1"
nothing_left "$T/x1"; ok $? "no output after a missing input"
mkdir -p "$T/noshx" && cp "$SAMPLE"/{roads,compounds,centers}.* "$T/noshx/" && rm "$T/noshx/centers.shx"
expect 66 "centers.shx" "missing .shx: exit 66" -- "$WS" audit "$T/noshx" --out "$T/x2"
[ ! -e "$T/noshx/centers.shx" ]; ok $? "no .shx was created beside the input"
expect 65 "expected PolyLine" "points given as roads: exit 65" -- "$WS" audit "$T/data" --roads "$T/data/centers.shp" --out "$T/x3"
nothing_left "$T/x3"; ok $? "no output after a wrong geometry type"
mkdir -p "$T/trunc" && cp "$SAMPLE"/{roads,compounds,centers}.* "$T/trunc/" && : >"$T/trunc/roads.shp"
expect 65 "roads.shp" "0-byte roads.shp (corrupt header): exit 65" -- "$WS" audit "$T/trunc" --out "$T/x4"
mkdir -p "$T/noprj" && cp "$SAMPLE"/{roads,compounds,centers}.* "$T/noprj/" && rm "$T/noprj/centers.prj"
expect 65 "src-crs" "missing .prj: exit 65 suggesting --src-crs" -- "$WS" audit "$T/noprj" --out "$T/x5"
expect 0 "covered" "missing .prj with --src-crs EPSG:4326: runs" -- "$WS" audit "$T/noprj" --src-crs EPSG:4326
expect 64 "" "output folder inside an input folder: exit 64" -- "$WS" audit "$T/data" --out "$T/data/out"
[ ! -e "$T/data/out" ]; ok $? "nothing written into the input folder"
expect 64 "" "output folder equal to the input folder: exit 64" -- "$WS" audit "$T/data" --out "$T/data"
ln -s "$T/data" "$T/link"
expect 64 "" "output folder reaching the input through a symlink: exit 64" -- "$WS" audit "$T/data" --out "$T/link/out"
sha_before=$(cat "$T/data"/* | sha256sum)
# a full disk: a 1 KiB file-size limit makes the first big write fail (EFBIG, SIGXFSZ ignored)
expect 74 "write" "a write failing part-way (disk full): exit 74" -- bash -c "trap '' XFSZ; ulimit -f 1; '$WS' audit '$T/data' --out '$T/full'"
nothing_left "$T/full"; ok $? "no output folder or temporary files after the failed write"
sha_after=$(cat "$T/data"/* | sha256sum)
[ "$sha_before" = "$sha_after" ]; ok $? "inputs unchanged byte for byte"

if command -v ogr2ogr >/dev/null; then
  mkdir -p "$T/empty" && cp "$SAMPLE"/{roads,compounds}.* "$T/empty/"
  ogr2ogr -f "ESRI Shapefile" "$T/empty/centers.shp" "$SAMPLE/centers.shp" -where "osm_id < 0" >/dev/null 2>&1
  expect 65 "no features" "an empty centers layer: exit 65" -- "$WS" audit "$T/empty" --out "$T/x6"
  nothing_left "$T/x6"; ok $? "no output after an empty layer"
else
  skip "ogr2ogr (gdal-bin) not installed: empty layer test"; skip "ogr2ogr not installed"
fi

# --- a tiny metric dataset with hand-computed figures (needs ogr2ogr to write shapefiles)
if command -v ogr2ogr >/dev/null; then
  mk() { # name geometry-type csv-with-WKT
    ogr2ogr -f "ESRI Shapefile" "$T/tiny/$1.shp" "$T/tiny/$1.csv" -oo GEOM_POSSIBLE_NAMES=WKT \
      -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:32650 -nlt "$2" -lco ENCODING=UTF-8 >/dev/null 2>&1
  }
  mkdir -p "$T/tiny"
  # A footway from (500000,3500000) east 1000 m with a vertex at +970; a motorway 100 m
  # south that is not walkable. Easting 500000 is zone 50's central meridian, so the
  # automatic working CRS is the data's own EPSG:32650 and lengths are exact.
  printf 'osm_id,highway,WKT\n1,footway,"LINESTRING (500000 3500000,500970 3500000,501000 3500000)"\n2,motorway,"LINESTRING (500000 3499900,501000 3499900)"\n' >"$T/tiny/roads.csv"
  # center A 10 m north of the line's start; center B 400 m north (beyond max snap 300)
  printf 'osm_id,name,level,WKT\n7,A,community,"POINT (500000 3500010)"\n8,B,community,"POINT (500500 3500400)"\n' >"$T/tiny/centers.csv"
  # compound 1: 20 x 20 m square centred 20 m south of the vertex at +970 (PointOnSurface
  #   of a square is its centre): 10 + 970 + 20 = 1000 m = exactly 15.00 min -> covered.
  # compound 2: square centred 30 m south of +1000: 10 + 1000 + 30 = 1040 m = 15.60 min.
  # compound 3: square 200 m south of the line at +500: its nearest walkable segment is
  #   the footway 200 m away (the motorway at 100 m is excluded): 10 + 500 + 200 = 710 m
  #   = 10.65 min.
  printf 'osm_id,name,WKT\n1,甲小区,"POLYGON ((500960 3499970,500980 3499970,500980 3499990,500960 3499990,500960 3499970))"\n2,乙,"POLYGON ((500990 3499960,501010 3499960,501010 3499980,500990 3499980,500990 3499960))"\n3,丙,"POLYGON ((500490 3499790,500510 3499790,500510 3499810,500490 3499810,500490 3499790))"\n' >"$T/tiny/compounds.csv"
  mk roads LINESTRING && mk centers POINT && mk compounds POLYGON && rm "$T"/tiny/*.csv
  "$WS" audit "$T/tiny" --out "$T/tiny_out" -q; ok $? "tiny dataset audit runs"
  row() { awk -F, -v f="$1" 'NR > 1 && $1 == f' "$T/tiny_out/compounds.csv"; }
  # columns: fid,id,name,status,reach_min,reach_m,near_fid,near_id,near_name,n_within,covered,snapped,snap_m,island_n
  [ "$(row 0 | cut -d, -f2-7,10-13)" = "1,甲小区,covered,15.00,1000.0,0,1,true,true,20.0" ]
  ok $? "compound 1: 10 + 970 + 20 = 1000 m = 15.00 min, covered at exactly the threshold ($(row 0))"
  [ "$(row 1 | cut -d, -f4-6,10,11)" = "uncovered,15.60,1040.0,0,false" ]
  ok $? "compound 2: 10 + 1000 + 30 = 1040 m = 15.60 min, not covered ($(row 1))"
  [ "$(row 2 | cut -d, -f4-6,13)" = "covered,10.65,710.0,200.0" ]
  ok $? "compound 3: snaps past the excluded motorway to the footway, 710 m = 10.65 min ($(row 2))"
  grep -q '^1,8,B,community,0,false,' "$T/tiny_out/centers.csv"
  ok $? "center B, 400 m from the network, is unsnapped and reaches nothing"
  "$WS" audit "$T/tiny" --speed 5 --minutes 12 -q --out "$T/tiny5"
  [ "$(row 1 | cut -d, -f4-6)" = "uncovered,15.60,1040.0" ] && \
  [ "$(awk -F, 'NR==3' "$T/tiny5/compounds.csv" | cut -d, -f4-6)" = "uncovered,12.48,1040.0" ]
  ok $? "at 5 km/h 1040 m is 12.48 min (> 12): the speed changes minutes, not metres"
  "$WS" audit "$T/tiny" --max-snap 450 -q --out "$T/tiny450"
  grep -q '^1,8,B,community,[0-9]*,true,400.0' "$T/tiny450/centers.csv"
  ok $? "with --max-snap 450, center B snaps at 400.0 m"
else
  for i in 1 2 3 4 5 6 7; do skip "ogr2ogr (gdal-bin) not installed: tiny dataset tests"; done
fi

# --- Chinese names from the bundled Nanjing sample come out as UTF-8
if "$WS" audit "$ROOT/geodata/nanjing_xinjiekou" --out "$T/nj" -q; then
  grep -q "华侨路" "$T/nj/compounds.csv"; ok $? "Nanjing: Chinese compound names in compounds.csv"
else
  ok 1 "Nanjing sample audit runs"
fi

echo "1..$n"
[ "$fails" = 0 ]
