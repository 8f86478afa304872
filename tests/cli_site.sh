#!/bin/sh
# End to end: walkshed site and scenario on the bundled Porto sample write byte-identical
# output folders with 1, 2 and 7 threads, and forward / reverse searches choose the same
# sites. TAP output. $1: the walkshed binary.
bin="$1"
tmp=$(mktemp -d /tmp/walkshed-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
check() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
data=../geodata/porto
for t in 1 2 7; do
  "$bin" site "$data" --k 5 --minutes 5 --threads $t -q --out "$tmp/site$t"; check $? "site --k 5 --minutes 5 with $t threads"
  "$bin" scenario "$data" --close 215333076 --add=-8.6155,41.1445,New --add-crs EPSG:4326 --minutes 5 \
    --threads $t -q --out "$tmp/scen$t"; check $? "scenario with $t threads"
done
diff -r "$tmp/site1" "$tmp/site2" >/dev/null && diff -r "$tmp/site1" "$tmp/site7" >/dev/null; check $? "site outputs identical for 1, 2, 7 threads"
diff -r "$tmp/scen1" "$tmp/scen2" >/dev/null && diff -r "$tmp/scen1" "$tmp/scen7" >/dev/null; check $? "scenario outputs identical for 1, 2, 7 threads"
"$bin" site "$data" --k 5 --minutes 5 --search forward -q --out "$tmp/fwd"; check $? "forward search runs"
"$bin" site "$data" --k 5 --minutes 5 --search reverse -q --out "$tmp/rev"; check $? "reverse search runs"
cmp -s "$tmp/fwd/sites.csv" "$tmp/rev/sites.csv"; check $? "forward and reverse choose the same sites"
printf '[parameters]\nminutes = 5\n[close]\nid = 215333076\n[site New]\nx = -8.6155\ny = 41.1445\ncrs = EPSG:4326\n' >"$tmp/s.ini"
"$bin" scenario "$tmp/s.ini" "$data" -q --out "$tmp/scenf"; check $? "the same scenario from a file"
cut -d, -f1-13 "$tmp/scenf/scenario.csv" | cmp -s - "$(printf '%s' "$tmp/scen1/scenario.csv" | xargs cut -d, -f1-13 >"$tmp/a.csv"; echo "$tmp/a.csv")"; check $? "file and command line give the same table"
printf '[parameters]\nminutes = x\n' >"$tmp/bad.ini"
"$bin" scenario "$tmp/bad.ini" "$data" 2>"$tmp/err"; rc=$?
[ $rc = 65 ] && grep -q 'bad.ini:2:' "$tmp/err"; check $? "malformed file: exit 65 and the line number"
echo "1..$n"
exit $fail
