#!/bin/sh
# walkshed benchmarks (not tests: they time things). Usage, from the repository root:
#   benches/run.sh [BUILD_DIR] [DATA_DIR]
# BUILD_DIR defaults to build (configured with -Dbenches=true, the default), DATA_DIR to
# ../shared/data; cities missing there are skipped. Every figure of one run comes from
# that run: per-phase times are walkshed audit -v's own, peak memory is /usr/bin/time's
# maximum resident set size; each timed audit follows an untimed one on the same input. Generated grids go to a temporary folder removed at exit.
set -eu

build=${1:-build}
data=${2:-../shared/data}
walkshed=$build/walkshed
gen=$build/benches/gen_grid
for f in "$walkshed" "$gen"; do
	[ -x "$f" ] || { echo "run.sh: $f not built (ninja -C $build)" >&2; exit 66; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 69; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "walkshed $("$walkshed" --version 2>/dev/null | head -n 1)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# one audit, after an untimed one that brings the inputs into the page cache; prints
# its phase line, wall time and peak memory
audit() {
	label=$1
	shift
	rm -rf "$tmp/out"
	"$walkshed" audit -q "$@" --out "$tmp/out"
	rm -rf "$tmp/out"
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$walkshed" audit -v "$@" --out "$tmp/out" >"$tmp/log"
	phases=$(grep '^Timings' "$tmp/log" | sed 's/^Timings (s): //; s/; peak memory.*//')
	read -r wall kb <"$tmp/time"
	printf '%-22s wall %6.3f s, peak RSS %4d MiB | %s\n' "$label" "$wall" $((kb / 1024)) "$phases"
}

# the route phase of one audit -v log, in seconds
route_s() {
	sed -n 's/.* route \([0-9.]*\),.*/\1/p' "$tmp/log"
}

echo "== real cities ($data)"
for city in nanjing_xinjiekou shenzhen_longgang beijing_haidian helsinki monaco porto porto_metro; do
	if [ -f "$data/$city/roads.shp" ]; then
		audit "$city" "$data/$city"
	else
		echo "$city: skipped (not in $data)"
	fi
done

echo
echo "== grid city: 1,000,000+ segments, 1,000 centers, 10,000 compounds"
"$gen" "$tmp/grid" >"$tmp/gen.log"
sed 's/^/   /' "$tmp/gen.log"
audit "grid" "$tmp/grid"

echo
repeat=${ROUTE_REPEAT:-5}
echo "== routing, grid with 10,000 centers: 1 vs 2 threads, alternating, best of $repeat each"
"$gen" "$tmp/grid10k" --centers 10000 >/dev/null
best1=; best2=; same="identical outputs"
i=0
while [ "$i" -lt "$repeat" ]; do
	for t in 1 2; do
		audit "grid10k --threads $t" "$tmp/grid10k" --threads "$t"
		r=$(route_s)
		if [ "$t" = 1 ]; then
			best1=$(awk -v a="$r" -v b="${best1:-1e9}" 'BEGIN { print (a < b ? a : b) }')
			[ -d "$tmp/out1" ] || cp -r "$tmp/out" "$tmp/out1"
		else
			best2=$(awk -v a="$r" -v b="${best2:-1e9}" 'BEGIN { print (a < b ? a : b) }')
		fi
		diff -r "$tmp/out1" "$tmp/out" >/dev/null || same="OUTPUTS DIFFER"
	done
	i=$((i + 1))
done
awk -v a="$best1" -v b="$best2" -v s="$same" \
	'BEGIN { printf "route: 1 thread %.3f s, 2 threads %.3f s (best of each): speed-up %.2fx (%s)\n", a, b, a / b, s }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
