#!/bin/sh
# End to end: `walkshed isochrones` on the real Porto data with its gates (TAP).
# Expected figures come from shared/data/porto/SOURCE.md, not from walkshed: 60 gates,
# 58 with a `compound` attribute, all within 30 m of a compound (the extraction rule),
# 24 compounds named by an attribute; 90 centers.
WALKSHED=$1
DATA=../../shared/data/porto
if [ ! -f "$DATA/roads.shp" ]; then
  echo "1..0 # SKIP $DATA not found"
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fail=0
check() { # description, command...
  n=$((n + 1)); d=$1; shift
  if "$@" >/dev/null 2>&1; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=1; fi
}
check "isochrones with gates, 2 threads" "$WALKSHED" isochrones "$DATA" --access gates --bands 5,10,15 --threads 2 -q --out "$TMP/t2"
check "isochrones with gates, 7 threads" "$WALKSHED" isochrones "$DATA" --access gates --bands 5,10,15 --threads 7 -q --out "$TMP/t7"
for f in isochrones.geojson isochrones.shp isochrones.shx isochrones.dbf service_area.geojson service_area.shp service_area.dbf summary.json; do
  check "$f identical for 2 and 7 threads" cmp "$TMP/t2/$f" "$TMP/t7/$f"
done
check "270 isochrone features (90 centers x 3 bands)" python3 -c "
import json,sys; d=json.load(open('$TMP/t2/isochrones.geojson')); sys.exit(len(d['features'])!=270)"
check "6 service-area features (served, unserved per band)" python3 -c "
import json,sys; d=json.load(open('$TMP/t2/service_area.geojson')); sys.exit(len(d['features'])!=6)"
check "58 gates by attribute, none unassigned or unknown" python3 -c "
import json,sys; g=json.load(open('$TMP/t2/summary.json'))['entrances']['gates']
sys.exit(not (g['total']==60 and g['attribute']==58 and g['inside']+g['near']==2 and g['unassigned']==0 and g['unknown_compound_id']==0))"
check "at least 24 compounds have gates (fallback <= 342)" python3 -c "
import json,sys; e=json.load(open('$TMP/t2/summary.json'))['entrances']; sys.exit(not (340 <= e['compounds_fallback_point'] <= 342))"
check "bands grow: served area 5 < 10 < 15 min" python3 -c "
import json,sys; b=json.load(open('$TMP/t2/summary.json'))['isochrones']['bands']
sys.exit(not (b[0]['served_m2'] < b[1]['served_m2'] < b[2]['served_m2']))"
check "--gates-file without --access gates is a usage error" sh -c "'$WALKSHED' isochrones '$DATA' --gates-file '$DATA/gates.shp' -q; test \$? -eq 64"
check "audit --isochrones --min-share writes compound_areas.csv" sh -c "'$WALKSHED' audit '$DATA' --access gates --isochrones --min-share 0.5 --threads 2 -q --out '$TMP/a' && test -s '$TMP/a/compound_areas.csv' && test -s '$TMP/a/isochrones.shp'"
echo "1..$n"
exit $fail
