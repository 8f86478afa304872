#!/usr/bin/env python3
"""Compare walkshed's compounds.csv with the oracle's CSV (tests/oracle/oracle.py).

Prints TAP result lines WITHOUT numbers ("ok - LABEL: ..." / "not ok - LABEL: ...") and
"# ..." diagnostics; e2e_oracle.sh numbers them. Exit status 1 when a check fails.

Checks (SPEC 6 and 7):
  rows         same compounds, fid 0..n-1 in order
  status       reachability identical (unsnapped / unreachable / reachable), and the status
               word agrees (covered <=> reach <= threshold, unless the oracle's reach is within
               --tol of the threshold)
  reach_m      |walkshed - oracle| <= tol + 0.05 (walkshed prints 1 decimal)
  reach_min    agrees with the oracle's reach / speed, rounded to 0.01
  nearest      near_fid is the oracle's nearest center, or a center within tol of it
  n_within     equal, except where a center's distance is within tol of the threshold
  snap_m       within 0.05 m + 1e-6 (1 decimal) of the oracle's access snap distance
  names        (with --attrs) id and name columns equal the attributes decoded by GDAL
"""

import argparse
import csv
import sys


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("walkshed_csv")
    ap.add_argument("oracle_csv")
    ap.add_argument("--label", default="")
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--speed", type=float, default=4.0)
    ap.add_argument("--tol", type=float, default=0.5, help="metres (SPEC 7)")
    ap.add_argument("--round", type=float, default=0.05, help="printing rounding of reach_m")
    ap.add_argument("--attrs", help="CSV of the compounds' attributes as decoded by ogr2ogr")
    ap.add_argument("--ref-names", help="another walkshed compounds.csv whose names must be equal")
    ap.add_argument("--max-diag", type=int, default=10)
    a = ap.parse_args()
    lab = a.label + ": " if a.label else ""
    ws = read(a.walkshed_csv)
    orc = read(a.oracle_csv)
    m_per_min = a.speed * 1000.0 / 60.0
    limit = a.minutes * m_per_min
    failed = False

    def report(ok, desc, diags):
        nonlocal failed
        print(("ok" if ok else "not ok") + " - " + lab + desc)
        for d in diags[:a.max_diag]:
            print("#   " + d)
        if len(diags) > a.max_diag:
            print("#   ... %d more" % (len(diags) - a.max_diag))
        failed |= not ok

    # rows
    wf = [r["fid"] for r in ws]
    of = [r["fid"] for r in orc]
    ok = wf == of == [str(i) for i in range(len(orc))]
    report(ok, "%d compounds in both, fid 0..n-1" % len(orc),
           [] if ok else ["walkshed %d rows, oracle %d rows" % (len(ws), len(orc))])
    if not ok:
        return 1

    # status / reachability
    diags = []
    counts = {}
    for w, o in zip(ws, orc):
        f = o["fid"]
        counts[o["status"]] = counts.get(o["status"], 0) + 1
        o_reach = o["reach_m"] != ""
        w_reach = w["reach_m"] != ""
        if o_reach != w_reach:
            diags.append("fid %s: walkshed reach_m %r status %s, oracle %r status %s"
                         % (f, w["reach_m"], w["status"], o["reach_m"], o["status"]))
            continue
        if not o_reach:
            if w["status"] != o["status"]:
                diags.append("fid %s: walkshed status %s, oracle %s (snap %s)"
                             % (f, w["status"], o["status"], o["snap_m"]))
            continue
        r = float(o["reach_m"])
        if abs(r - limit) <= a.tol:
            if w["status"] not in ("covered", "uncovered"):
                diags.append("fid %s: walkshed status %s, oracle %s" % (f, w["status"], o["status"]))
        elif w["status"] != o["status"]:
            diags.append("fid %s: walkshed status %s, oracle %s (reach %.3f)"
                         % (f, w["status"], o["status"], r))
        cov = w.get("covered", "")
        if cov and (cov == "true") != (w["status"] == "covered"):
            diags.append("fid %s: covered=%s but status %s" % (f, cov, w["status"]))
    report(not diags, "status and reachability identical (%s)"
           % ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items())), diags)

    # reach_m
    diags = []
    maxd, maxf, n, same = 0.0, None, 0, 0
    for w, o in zip(ws, orc):
        if o["reach_m"] == "" or w["reach_m"] == "":
            continue
        n += 1
        if float(w["reach_m"]) == round(float(o["reach_m"]), 1):
            same += 1
        d = abs(float(w["reach_m"]) - float(o["reach_m"]))
        if d > maxd or maxf is None:
            maxd, maxf = d, o["fid"]
        if d > a.tol + a.round + 1e-9:
            diags.append("fid %s: walkshed reach_m %s, oracle %s (diff %.3f m)"
                         % (o["fid"], w["reach_m"], o["reach_m"], d))
    report(not diags, "reach_m of %d reachable compounds within %.2f m (max |diff| %.3f m at fid %s; "
           "%d equal to the oracle's rounded to 0.1 m)" % (n, a.tol + a.round, maxd, maxf, same), diags)

    # reach_min
    diags = []
    for w, o in zip(ws, orc):
        if o["reach_m"] == "" or w["reach_m"] == "":
            continue
        want = float(o["reach_m"]) / m_per_min
        try:
            got = float(w["reach_min"])
        except ValueError:
            diags.append("fid %s: reach_min %r" % (o["fid"], w["reach_min"]))
            continue
        if abs(got - want) > 0.005 + (a.tol + a.round) / m_per_min + 1e-9:
            diags.append("fid %s: walkshed reach_min %s, oracle %.4f" % (o["fid"], w["reach_min"], want))
    report(not diags, "reach_min = reach / speed rounded to 0.01", diags)

    # nearest center
    diags = []
    ties = 0
    for w, o in zip(ws, orc):
        if o["reach_m"] == "" or w["reach_m"] == "":
            continue
        alt = o["near_alt"].split()
        if len(alt) > 1:
            ties += 1
        if w["near_fid"] != o["nearest_fid"] and w["near_fid"] not in alt:
            diags.append("fid %s: walkshed near_fid %s, oracle %s (within %.1f m: %s; 2nd %s)"
                         % (o["fid"], w["near_fid"], o["nearest_fid"], a.tol, o["near_alt"], o["second_m"]))
    report(not diags, "nearest center equal (%d compounds with a tie within %.1f m)" % (ties, a.tol), diags)

    # n_within
    diags = []
    amb = exact = 0
    for w, o in zip(ws, orc):
        lo, hi = int(o["n_within_lo"]), int(o["n_within_hi"])
        try:
            got = int(w["n_within"] or "0")
        except ValueError:
            diags.append("fid %s: n_within %r" % (o["fid"], w["n_within"]))
            continue
        if lo != hi:
            amb += 1
        if got == int(o["n_within"]):
            exact += 1
        if not lo <= got <= hi:
            diags.append("fid %s: walkshed n_within %d, oracle %s (range %d..%d)"
                         % (o["fid"], got, o["n_within"], lo, hi))
    report(not diags, "n_within equal (%d exactly, %d with a center within %.1f m of the threshold)"
           % (exact, amb, a.tol), diags)

    # snap_m
    diags = []
    maxd, n = 0.0, 0
    for w, o in zip(ws, orc):
        if o["status"] == "unsnapped" or o["snap_m"] == "":
            continue
        try:
            got = float(w["snap_m"])
        except ValueError:
            diags.append("fid %s: snap_m %r" % (o["fid"], w["snap_m"]))
            continue
        n += 1
        d = abs(got - float(o["snap_m"]))
        maxd = max(maxd, d)
        if d > 0.05 + 1e-6:
            diags.append("fid %s: walkshed snap_m %s, oracle %s" % (o["fid"], w["snap_m"], o["snap_m"]))
    report(not diags, "snap_m of %d snapped compounds within 0.05 m (max |diff| %.3f m)" % (n, maxd), diags)

    # attributes
    if a.attrs:
        at = read(a.attrs)
        diags = []
        if len(at) != len(ws):
            diags.append("%d attribute rows, %d walkshed rows" % (len(at), len(ws)))
        nonascii = 0
        for i, (w, r) in enumerate(zip(ws, at)):
            want_id = r.get("id") or r.get("osm_id") or str(i)
            if w["id"] != want_id:
                diags.append("fid %d: walkshed id %r, attribute %r" % (i, w["id"], want_id))
            want = r.get("name", "") or ""
            if any(ord(ch) > 127 for ch in want):
                nonascii += 1
            if w["name"] != want:
                diags.append("fid %d: walkshed name %r, GDAL decodes %r" % (i, w["name"], want))
        report(not diags, "id and name equal the attributes decoded by GDAL (%d non-ASCII names)"
               % nonascii, diags)
    if a.ref_names:
        ref = read(a.ref_names)
        diags = []
        for i, (w, r) in enumerate(zip(ws, ref)):
            for col in ("name", "near_name"):
                if w.get(col) != r.get(col):
                    diags.append("fid %d %s: %r here, %r in the reference run" % (i, col, w.get(col), r.get(col)))
        report(not diags and len(ws) == len(ref),
               "name and near_name equal to the original UTF-8 run", diags)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
