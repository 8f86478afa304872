#!/usr/bin/env python3
"""End-to-end check of the report's optional sections (TAP).

usage: report_sections.py WALKSHED BUILD_DIR

Runs the real CLI on the bundled porto sample:
  - audit --report with --isochrones --zones --catalogue tests/data/porto_catalogue.csv
    --weight pop, on a copy of geodata/porto whose compounds.dbf gets a `pop` field written
    here (pop = (fid * 37) % 900 + 50, fid 5 left blank: a missing weight);
  - site --report (--k 6 --minutes 5, generated candidates);
  - scenario --report (--minutes 5, two centers closed, two sites added).
Every figure in the page is compared with the CSV / JSON outputs of the same run (the zone
rows with zones.csv, the headline rows with summary.json, each compound's missing services
with services.csv, the curve with sites.csv, the before/after table with the scenario's
summary.json), then headless Chromium with networking off must draw the 366 compounds and
the page's sections; screenshots go to BUILD_DIR/report-screenshots/.
"""
import csv
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_check as rc  # noqa: E402  (ok/skip/diag, check_html, png_info, chromium)

ok, skip, diag = rc.ok, rc.skip, rc.diag


def weight_of(fid):
    return None if fid == 5 else (fid * 37) % 900 + 50


def add_pop_field(src_dbf, dst_dbf):
    """Copies a dBASE III file adding a numeric field `pop` N(10,0) (blank for fid 5)."""
    with open(src_dbf, "rb") as f:
        d = bytearray(f.read())
    n_rec = struct.unpack("<I", d[4:8])[0]
    hlen, rlen = struct.unpack("<HH", d[8:12])
    fields = d[32:hlen - 1]
    desc = b"pop".ljust(11, b"\0") + b"N" + b"\0" * 4 + bytes([10, 0]) + b"\0" * 14
    head = d[:32]
    head[8:12] = struct.pack("<HH", hlen + 32, rlen + 10)
    out = bytearray(head) + fields + desc + b"\r"
    for i in range(n_rec):
        rec = d[hlen + i * rlen:hlen + (i + 1) * rlen]
        w = weight_of(i)
        out += rec + (b" " * 10 if w is None else str(w).rjust(10).encode())
    out += b"\x1a"
    with open(dst_dbf, "wb") as f:
        f.write(out)


def run(args):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def page_data(text):
    m = re.search(r'<script type="application/json" id="ws-data">(.*?)</script>', text, re.S)
    return json.loads(m.group(1)) if m else None


def section(text, sid):
    m = re.search(r'<section id="%s">(.*?)</section>' % sid, text, re.S)
    return m.group(1) if m else ""


def rows(fragment):
    """Table body rows as lists of cell texts (tags stripped, entities decoded)."""
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, re.S)
    out = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        out.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return out


def footer_params(text):
    """The footer's parameter rows: name -> value (HTML entities decoded)."""
    m = re.search(r"<footer>(.*?)</footer>", text, re.S)
    return {html.unescape(k): html.unescape(v)
            for k, v in re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", m.group(1) if m else "")}


def pct1(x):
    return "-" if x is None else "%.1f %%" % x


def render(browser, tmp, shots, path, label, n_compounds):
    if not browser:
        skip("%s: chromium not installed (Debian package chromium)" % label)
        return ""
    url = "file://" + os.path.abspath(path)
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    dom = rc.chromium(browser, profile, ["--dump-dom"], url)
    st = rc.status_attrs(dom)
    ok(st.get("data-compounds-rendered") == str(n_compounds),
       "%s: Chromium drew %s compounds, want %d" % (label, st.get("data-compounds-rendered"), n_compounds))
    shot = os.path.join(shots, label + ".png")
    rc.chromium(browser, profile, ["--screenshot=" + shot, "--virtual-time-budget=4000"], url)
    ok(os.path.exists(shot) and os.path.getsize(shot) > 10000, "%s: screenshot saved to %s" % (label, shot))
    return dom


def check_png(out, label):
    png = os.path.join(out, "map.png")
    if not os.path.exists(png):
        skip("%s: no map.png (build without cairo)" % label)
        return
    info = rc.png_info(png)
    ok(info and info[:2] == (1600, 1200) and info[2] > 30, "%s: map.png 1600x1200, not blank (%s)" % (label, info))


def check_audit(walkshed, here, tmp, shots, browser):
    data = os.path.join(tmp, "porto_pop")
    shutil.copytree(os.path.join(here, "..", "geodata", "porto"), data)
    add_pop_field(os.path.join(here, "..", "geodata", "porto", "compounds.dbf"), os.path.join(data, "compounds.dbf"))
    out = os.path.join(tmp, "audit")
    rcode, err = run([walkshed, "audit", data, "--out", out, "--report", "-q", "--isochrones", "--zones",
                      "--catalogue", os.path.join(here, "data", "porto_catalogue.csv"), "--weight", "pop"])
    if not ok(rcode == 0, "audit --report --isochrones --zones --catalogue --weight exits 0 %s" % err[:300]):
        return
    text = rc.check_html(os.path.join(out, "report.html"), "audit+")
    if not text:
        return
    summary = json.load(open(os.path.join(out, "summary.json"), encoding="utf-8"))
    d = page_data(text)

    # headline rows: label -> cells, against summary.json's tallies
    head = {r[0]: r for r in rows(section(text, "headline"))}
    want = {}
    for lv in summary["levels"]["levels"]:
        want["Level: %s or above" % lv["level"]] = lv["covered_or_above"]
    for sv in summary["services"]["required"]:
        want["Service: %s" % sv["service"]] = sv["served"]
    bad = []
    for label, t in want.items():
        r = head.get(label)
        exp = ["%d / %d" % (t["compounds"], t["of"]), pct1(t["pct"]),
               "%.0f / %.0f" % (t["population"], t["population_of"]), pct1(t["population_pct"])]
        if not r or r[1:] != exp:
            bad.append((label, r, exp))
    ok(len(want) == 14 and not bad, "headline: %d level/service rows equal summary.json (count and population) %s"
       % (len(want), bad[:2]))
    n_cov = summary["compounds"]["covered"]
    all_row = head.get("All centers")
    ok(all_row is not None and all_row[1] == "%d / 366" % n_cov,
       "headline: All centers row %s (summary.json covered %s)" % (all_row, n_cov))
    valid = [weight_of(i) for i in range(366) if weight_of(i) is not None]
    ok(all_row is not None and all_row[3].endswith("/ %d" % sum(valid)),
       "headline: population total %d = the valid weights (fid 5 left out)" % sum(valid))
    ok("Every required service (fully served)" in head, "headline: fully served row")

    # zone table = zones.csv (name, compounds, covered, share, population, population share)
    with open(os.path.join(out, "zones.csv"), encoding="utf-8") as f:
        zcsv = list(csv.DictReader(f))
    ztab = rows(section(text, "zones"))
    exp = [[z["name"], z["compounds"], z["covered"], "%s %%" % z["covered_pct"],
            "%.0f" % float(z["population"]), "%s %%" % z["covered_pop_pct"] if z["covered_pop_pct"] else "-"]
           for z in zcsv]
    got = [[r[0], r[1], r[2], r[3], r[4].split(" / ")[-1], r[5]] for r in ztab]
    ok(len(ztab) == len(zcsv) >= 2 and got == exp, "zones: %d rows equal zones.csv %s"
       % (len(zcsv), [(g, e) for g, e in zip(got, exp) if g != e][:2]))
    ok(all(re.match(r"^\d+\.\d\d min$|^-$", r[6]) for r in ztab), "zones: median reach column")

    # popups: missing services = services.csv out_of_reach, population = the weight
    with open(os.path.join(out, "services.csv"), encoding="utf-8") as f:
        scsv = {r["id"]: r for r in csv.DictReader(f)}
    feats = d["compounds"]["features"]
    mism = [f["properties"]["id"] for f in feats
            if f["properties"].get("missing") != (scsv[f["properties"]["id"]]["out_of_reach"] or "none")]
    ok(len(feats) == 366 and not mism, "popups: missing services of all 366 compounds equal services.csv %s" % mism[:3])
    popbad = [f["properties"]["i"] for f in feats if f["properties"].get("pop") != weight_of(f["properties"]["i"])]
    ok(not popbad, "popups: population = the pop field (absent for the blank one) %s" % popbad[:3])

    # service-area outline
    iso = d.get("isochrone")
    ok(iso and len(iso["features"]) == 1 and len(iso["features"][0]["geometry"]["coordinates"]) > 0,
       "isochrone union outline embedded (one MultiPolygon)")
    ok("isochrone outline</div>" in text, "legend: isochrone outline")
    # footer: the options that made the figures
    foot = footer_params(text)
    cat = os.path.join(here, "data", "porto_catalogue.csv")
    want = {"Access": "one point on each compound's surface",
            "Services": "catalogue %s; all %d services of the catalogue required" % (cat, summary["services"]["catalogue_services"]),
            "Population weight": "field pop; %d compounds without a usable value left out" % summary["weights"]["invalid"],
            "Zones": "every zone of the zones layer",
            "Isochrones": "bands 15 min; walk-off 50 m"}
    bad = [(k, foot.get(k), v) for k, v in want.items() if foot.get(k) != v]
    ok(not bad and foot.get("Levels", "").startswith("field level: district"),
       "footer: access, levels, services, weight, zones and isochrone options stated %s" % bad)
    gates_out = os.path.join(tmp, "audit-gates")
    rcode, err = run([walkshed, "audit", data, "--out", gates_out, "--report", "-q", "--access", "gates"])
    gsum = json.load(open(os.path.join(gates_out, "summary.json"), encoding="utf-8")) if rcode == 0 else {}
    gfoot = footer_params(open(os.path.join(gates_out, "report.html"), encoding="utf-8").read()) if rcode == 0 else {}
    ok(rcode == 0 and gfoot.get("Access") == "the compounds' gates (inside or within 30 m of a compound); %d compounds "
       "without a gate use a point on their surface" % gsum["entrances"]["compounds_fallback_point"],
       "footer: --access gates stated with the fallback count (%s)" % gfoot.get("Access"))
    ok(os.path.getsize(os.path.join(out, "report.html")) < 5 * 1000 * 1000, "porto report with every section < 5 MB")
    check_png(out, "audit+")
    dom = render(browser, tmp, shots, os.path.join(out, "report.html"), "porto-audit-sections", 366)
    if dom:
        ok(all('id="%s"' % s in dom for s in ("headline", "zones", "worst")) and "Isochrone outline" in dom,
           "audit: sections and the isochrone layer switch in the rendered DOM")


def check_site(walkshed, here, tmp, shots, browser):
    out = os.path.join(tmp, "site")
    rcode, err = run([walkshed, "site", os.path.join(here, "..", "geodata", "porto"), "--k", "6", "--minutes", "5",
                      "--out", out, "--report", "-q", "--time-limit", "0"])
    if not ok(rcode == 0, "site --report exits 0 %s" % err[:300]):
        return
    text = rc.check_html(os.path.join(out, "report.html"), "site")
    if not text:
        return
    summary = json.load(open(os.path.join(out, "summary.json"), encoding="utf-8"))
    with open(os.path.join(out, "sites.csv"), encoding="utf-8") as f:
        sites = list(csv.DictReader(f))
    base = summary["baseline"]
    curve = rows(section(text, "curve"))
    exp = [["0", "-", pct1(100.0 * base["covered"] / base["compounds"])]] + \
          [[s["rank"], s["cand_id"], "%.1f %%" % (100.0 * int(s["cov_n"]) / base["compounds"])] for s in sites]
    # (from cov_n: re-rounding cov_pct's 2 decimals would round twice, 81.1475 -> 81.15 -> 81.2)
    ok(len(sites) == 6 and curve == exp, "curve: k = 0..6 equal sites.csv (rank, site, cov_n / 366) %s"
       % [(g, e) for g, e in zip(curve, exp) if g != e][:2])
    ok(all("%.2f" % (100.0 * int(s["cov_n"]) / base["compounds"]) == s["cov_pct"] for s in sites),
       "sites.csv cov_pct is cov_n / 366 (so the curve's y values are sites.csv's)")
    ok(text.count("<circle cx=") == 7, "curve: 7 points drawn in the SVG")
    d = page_data(text)
    ok([f["properties"]["id"] for f in d["sites"]["features"]] == [s["cand_id"] for s in sites],
       "chosen sites on the map = sites.csv, in order")
    newly = set()
    for s in sites:
        newly.update(s["new_ids"].split(";"))
    changed = {f["properties"]["id"] for f in d["compounds"]["features"] if f["properties"].get("changed")}
    ok(changed == newly and len(newly) == sum(int(s["gain_n"]) for s in sites),
       "compounds outlined = the %d newly covered of sites.csv" % len(newly))
    head = rows(section(text, "headline"))
    after = base["covered"] + sum(int(s["gain_n"]) for s in sites)
    ok([r[:2] for r in head] == [["Existing centers", "%d / 366" % base["covered"]],
                                 ["With the 6 chosen sites", "%d / 366" % after]],
       "site headline rows: before %d, after %d (= sites.csv's last cov_n %s)" % (base["covered"], after, sites[-1]["cov_n"]))
    ok(str(after) == sites[-1]["cov_n"], "after the sites = sites.csv's cumulative cov_n")
    ok("newly covered by the chosen sites</div>" in text, "site legend wording")
    check_png(out, "site")
    dom = render(browser, tmp, shots, os.path.join(out, "report.html"), "porto-site", 366)
    if dom:
        ok('id="curve"' in dom and "<svg" in dom and "Chosen sites" in dom, "site: curve and sites in the rendered DOM")


def check_scenario(walkshed, here, tmp, shots, browser):
    out = os.path.join(tmp, "scenario")
    rcode, err = run([walkshed, "scenario", os.path.join(here, "..", "geodata", "porto"), "--minutes", "5",
                      "--close", "6809920991,6680287982", "--add=-8.6155,41.1445,Flores", "--add=-8.607,41.138,Gaia",
                      "--add-crs", "EPSG:4326", "--out", out, "--report", "-q"])
    if not ok(rcode == 0, "scenario --report exits 0 %s" % err[:300]):
        return
    text = rc.check_html(os.path.join(out, "report.html"), "scenario")
    if not text:
        return
    summary = json.load(open(os.path.join(out, "summary.json"), encoding="utf-8"))
    t = summary["totals"]
    table = {r[0]: r[1:] for r in rows(section(text, "scenario"))}
    ok(table.get("Compounds covered") == [str(t["covered_before"]), str(t["covered_after"]),
                                          "%+d" % (t["covered_after"] - t["covered_before"])],
       "before/after: compounds covered %s = summary.json totals" % table.get("Compounds covered"))
    ok(table.get("Share of compounds covered", [None])[:2] == ["%.1f %%" % t["covered_before_pct"],
                                                               "%.1f %%" % t["covered_after_pct"]],
       "before/after: shares = summary.json totals")
    ok(table.get("Centers counted") == ["90", "90", "+0"], "before/after: 90 centers, 2 closed + 2 added")
    for g in summary["groups"]:
        label = "%s %s: compounds covered" % ("Level" if g["by"] == "level" else "Service", g["value"])
        ok(table.get(label, [None, None])[:2] == [str(g["covered_before"]), str(g["covered_after"])],
           "before/after: %s = summary.json groups" % label)
    gained, lost = t["gained"], t["lost"]
    desc = section(text, "scenario")
    ok("%d compounds newly covered, %d lost." % (gained, lost) in desc and "Flores (new1)" in desc,
       "scenario description: %d gained, %d lost, the added sites" % (gained, lost))
    d = page_data(text)
    changed = {f["properties"]["id"] for f in d["compounds"]["features"] if f["properties"].get("changed")}
    ok(changed == {c["id"] for c in summary["changed"]} and len(changed) == gained + lost > 0,
       "compounds outlined = summary.json changed (%d)" % len(changed))
    closed = {f["properties"]["id"] for f in d["centers"]["features"] if f["properties"].get("closed")}
    ok(closed == {c["id"] for c in summary["closed"]}, "closed centers flagged: %s" % sorted(closed))
    ok([f["properties"]["id"] for f in d["sites"]["features"]] == ["new1", "new2"], "added sites new1, new2 on the map")
    ok("<h2>Added sites</h2>" in text and "closed center</div>" in text, "scenario wording: added sites, closed center")
    with open(os.path.join(out, "scenario.csv"), encoding="utf-8") as f:
        near = {r["id"]: r["near_after"] for r in csv.DictReader(f)}
    via_site = [f for f in d["compounds"]["features"] if near[f["properties"]["id"]].startswith("new")]
    ok(via_site and all(f["properties"]["nearest"].endswith("(%s)" % near[f["properties"]["id"]]) for f in via_site),
       "popups name an added site as nearest where scenario.csv does (%d compounds)" % len(via_site))
    head = rows(section(text, "headline"))
    ok([r[:2] for r in head] == [["After the scenario", "%d / 366" % t["covered_after"]],
                                 ["Before the scenario", "%d / 366" % t["covered_before"]]],
       "scenario headline: after (the map) then before")
    check_png(out, "scenario")
    dom = render(browser, tmp, shots, os.path.join(out, "report.html"), "porto-scenario", 366)
    if dom:
        ok('id="scenario"' in dom and "Added sites" in dom, "scenario: table and sites in the rendered DOM")


def main():
    walkshed, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    shots = os.path.join(build, "report-screenshots")
    os.makedirs(shots, exist_ok=True)
    browser = rc.chromium_cmd()
    tmp = tempfile.mkdtemp(prefix="ws-sections-")
    porto = os.path.join(here, "..", "geodata", "porto")
    try:
        rcode, err = run([walkshed, "site", porto, "--k", "2", "--report", "-q"])
        ok(rcode == 64 and "--out" in err, "site --report without --out is a usage error (64)")
        rcode, err = run([walkshed, "scenario", porto, "--close", "6809920991", "--tiles",
                          "https://t.example/{z}/{x}/{y}.png", "--out", os.path.join(tmp, "x"), "-q"])
        ok(rcode == 64 and not os.path.exists(os.path.join(tmp, "x")), "scenario --tiles without --report: usage error")
        check_audit(walkshed, here, tmp, shots, browser)
        check_site(walkshed, here, tmp, shots, browser)
        check_scenario(walkshed, here, tmp, shots, browser)
        # the same bytes for 1 and 7 threads
        for cmd in (["site", porto, "--k", "3", "--minutes", "5", "--time-limit", "0"],
                    ["scenario", porto, "--minutes", "5", "--close", "6809920991", "--add=-8.607,41.138,Gaia",
                     "--add-crs", "EPSG:4326"]):
            outs = []
            for t in ("1", "7"):
                o = os.path.join(tmp, "%s-t%s" % (cmd[0], t))
                subprocess.run([walkshed] + cmd + ["--out", o, "--report", "-q", "--threads", t], check=True)
                outs.append([open(os.path.join(o, n), "rb").read() for n in ("report.html", "map.png")
                             if os.path.exists(os.path.join(o, n))])
            ok(outs[0] == outs[1], "%s: report.html and map.png identical for 1 and 7 threads" % cmd[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % rc.n_test)
    return 1 if rc.n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
