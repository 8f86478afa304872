#!/usr/bin/env python3
"""Self-test of oracle.py on a tiny hand-made dataset whose answers are computed by hand.

Writes shapefiles (EPSG:32633, metres; origin 500000 E / 4000000 N) with ogr2ogr from CSV/WKT,
runs the oracle with --crs EPSG:32633 (no reprojection, exact numbers) in three snapping modes
(grid index, brute force, index cross-checked against brute force with a 1 m and a 5 km cell)
and compares each with the hand-computed table below. Prints TAP lines without numbers
("ok - ..." / "not ok - ..."); e2e_oracle.sh numbers them.

Network (x, y relative to the origin):
  road 0  A  (0,0) (0,0) (600,0) (1000,0)   residential; the duplicated vertex gives no edge
  road 1  B  (1000,0) (1000,1000)           footway; shares A's end vertex
  road 2  C  (500,-500) (500,500)           crosses A at (500,0) WITHOUT a shared vertex
  road 3  D  (0,0) (0,-300)                 foot=no: not walkable
  road 4  E  (-5,-100) (-5,-200)            motorway: not walkable
  road 5  F  (600,-1e-8) (600,-400)         starts 1e-8 m from A's vertex (600,0): NOT joined
Centers: 0 (100,50) -> A, snap 50;  1 and 2 (1000,1100) -> B's end, snap 100 (duplicates);
         3 (-5000,-5000) unsnapped;  4 (480,300) -> C, snap 20.
Compounds: 4 m squares centred on the listed point (PointOnSurface = the centre).
"""

import csv
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
X0, Y0 = 500000.0, 4000000.0

ROADS = [  # (vertices, highway, foot)
    ([(0, 0), (0, 0), (600, 0), (1000, 0)], "residential", ""),
    ([(1000, 0), (1000, 1000)], "footway", ""),
    ([(500, -500), (500, 500)], "footway", ""),
    ([(0, 0), (0, -300)], "footway", "no"),
    ([(-5, -100), (-5, -200)], "motorway", ""),
    ([(600, "3999999.99999999"), (600, -400)], "footway", ""),
]
CENTERS = [(100, 50), (1000, 1100), (1000, 1100), (-5000, -5000), (480, 300)]
COMPOUNDS = [(400, 30), (700, -20), (1010, -10), (-8, -150), (610, -300), (5000, 5000),
             (990, 500), (1020, 30), (530, 450), (250, -5)]
# fid -> (reach_m or None, nearest fid, n_within, status, near_alt)
EXPECT = {
    0: (380.0, 0, 1, "covered", "0"),              # 50 + 300 + 30
    1: (670.0, 0, 1, "covered", "0"),              # 50 + 600 + 20 (540 if C joined A)
    2: (950.0 + math.sqrt(200.0), 0, 1, "covered", "0"),  # 50 + 900 + 14.14 via A's end node
    3: (150.0 + math.sqrt(64.0 + 22500.0), 0, 1, "covered", "0"),  # D, E not walkable -> A (0,0)
    4: (None, None, 0, "unreachable", ""),        # snaps to F, which is not joined to A
    5: (None, None, 0, "unsnapped", ""),
    6: (610.0, 1, 2, "covered", "1 2"),            # 100 + 500 + 10; centers 1 and 2 tie
    7: (1000.0, 0, 1, None, "0"),                  # 50 + 900 + 30 + 20: exactly the threshold
    8: (200.0, 4, 1, "covered", "4"),              # 20 + 150 + 30 on C only
    9: (205.0, 0, 1, "covered", "0"),              # 50 + 150 + 5: 3rd point on A's 1st segment
}


def pt(x, y):
    xs = x if isinstance(x, str) else repr(X0 + x)
    ys = y if isinstance(y, str) else repr(Y0 + y)
    return "%s %s" % (xs, ys)


def make(tmp):
    def write(name, header, rows, nlt):
        c = os.path.join(tmp, name + ".csv")
        with open(c, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", os.path.join(tmp, name + ".shp"), c,
                        "-oo", "GEOM_POSSIBLE_NAMES=WKT", "-oo", "KEEP_GEOM_COLUMNS=NO",
                        "-a_srs", "EPSG:32633", "-nlt", nlt, "-nln", name, "-lco", "ENCODING=UTF-8"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.remove(c)

    write("roads", ["WKT", "highway", "foot"],
          [["LINESTRING (" + ",".join(pt(x, y) for x, y in v) + ")", hw, ft] for v, hw, ft in ROADS],
          "LINESTRING")
    write("centers", ["WKT", "name"], [["POINT (%s)" % pt(x, y), "c%d" % i]
                                      for i, (x, y) in enumerate(CENTERS)], "POINT")
    sq = []
    for i, (x, y) in enumerate(COMPOUNDS):
        r = [(x - 2, y - 2), (x + 2, y - 2), (x + 2, y + 2), (x - 2, y + 2), (x - 2, y - 2)]
        sq.append(["POLYGON ((" + ",".join(pt(a, b) for a, b in r) + "))", "p%d" % i])
    write("compounds", ["WKT", "name"], sq, "POLYGON")


def check(rows):
    bad = []
    for f, (reach, near, n_in, status, alt) in EXPECT.items():
        r = rows[f]
        got = None if r["reach_m"] == "" else float(r["reach_m"])
        if (got is None) != (reach is None) or (got is not None and abs(got - reach) > 1e-5):
            bad.append("fid %d reach %r, expected %r" % (f, got, reach))
        if reach is not None and int(r["nearest_fid"]) != near:
            bad.append("fid %d nearest %s, expected %d" % (f, r["nearest_fid"], near))
        if int(r["n_within"]) != n_in:
            bad.append("fid %d n_within %s, expected %d" % (f, r["n_within"], n_in))
        if status is not None and r["status"] != status:
            bad.append("fid %d status %s, expected %s" % (f, r["status"], status))
        if r["near_alt"] != alt:
            bad.append("fid %d near_alt %r, expected %r" % (f, r["near_alt"], alt))
    if len(rows) != len(EXPECT):
        bad.append("%d rows, expected %d" % (len(rows), len(EXPECT)))
    return bad


def main():
    sys.path.insert(0, HERE)
    import oracle  # noqa: E402
    ok = True
    # working-CRS rule (SPEC 2)
    zones = [(oracle.utm_for(24.94, 60.17), 32635), (oracle.utm_for(-8.6, 41.14), 32629),
             (oracle.utm_for(118.78, 32.04), 32650), (oracle.utm_for(151.2, -33.9), 32756),
             (oracle.utm_for(-6.0, 1.0), 32630), (oracle.utm_for(-180.0, 0.0), 32601)]
    zbad = [z for z in zones if z[0] != z[1]]
    print(("ok" if not zbad else "not ok") + " - oracle self-test: UTM zone rule %s" % (zbad or ""))
    ok &= not zbad
    with tempfile.TemporaryDirectory(prefix="ws_oracle_selftest_") as tmp:
        make(tmp)
        for mode in ([], ["--brute"], ["--cross-check", "--cell", "1"],
                     ["--cross-check", "--cell", "5000"]):
            out = os.path.join(tmp, "out.csv")
            r = subprocess.run([sys.executable, os.path.join(HERE, "oracle.py"), tmp, "--out", out,
                                "--crs", "EPSG:32633", "--quiet"] + mode,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                bad = ["oracle failed: " + r.stdout.strip()]
            else:
                with open(out, newline="") as f:
                    bad = check(list(csv.DictReader(f)))
            name = " ".join(mode) or "grid index"
            print(("ok" if not bad else "not ok") + " - oracle self-test: hand-made network (%s)" % name)
            for b in bad:
                print("# " + b)
            ok &= not bad
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
