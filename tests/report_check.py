#!/usr/bin/env python3
"""End-to-end check of `walkshed audit --report` (TAP).

usage: report_check.py WALKSHED BUILD_DIR

Runs the real CLI on the bundled samples (geodata/porto, geodata/nanjing_xinjiekou) and,
when present, ../../shared/data/porto_metro; checks that report.html is well-formed HTML,
references nothing outside itself, stays under 5 MB for porto, and - in headless Chromium
with networking off - draws exactly the compounds that have a geometry. Screenshots go to
BUILD_DIR/report-screenshots/ for a person to look at. map.png: size 1600x1200, not blank.
Expected counts: porto has 366 compounds and 90 centers, nanjing_xinjiekou 29 and 12
(shared/data/README.md, counted there with ogrinfo, independently of walkshed).
"""
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
ALLOWED_LINKS = {"https://www.openstreetmap.org/copyright"}
SVG_NS = "http://www.w3.org/2000/svg"

n_test = 0
n_fail = 0


def ok(cond, msg):
    global n_test, n_fail
    n_test += 1
    if not cond:
        n_fail += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n_test, msg), flush=True)
    return cond


def skip(msg):
    global n_test
    n_test += 1
    print("ok %d # SKIP %s" % (n_test, msg), flush=True)


def diag(msg):
    print("# " + msg, flush=True)


class Checker(html.parser.HTMLParser):
    """Strict nesting: every non-void element closed, in order; collects links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.links, self.ids = [], [], [], set()
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href", "data", "poster", "action", "xmlns"):
            if k in a and a[k] is not None:
                self.links.append((tag, k, a[k]))
        if "id" in a:
            if a["id"] in self.ids:
                self.errors.append("duplicate id %s" % a["id"])
            self.ids.add(a["id"])
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a:
                self.links.append((tag, k, a[k]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("</%s> at %s closes %s" % (tag, self.getpos(),
                                                          self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()


def check_html(path, label):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        ok(False, "%s: report.html is UTF-8 (%s)" % (label, e))
        return None
    ok(True, "%s: report.html is UTF-8 (%d bytes)" % (label, len(raw)))
    c = Checker()
    c.feed(text)
    c.close()
    ok(c.doctype and not c.errors and not c.stack,
       "%s: well-formed (doctype, nesting) %s" % (label, (c.errors + [str(s) for s in c.stack])[:3]))
    external = [l for l in c.links
                if re.match(r"(?i)^\s*(https?:)?//", l[2]) and l[2] not in ALLOWED_LINKS and l[2] != SVG_NS]
    files = [l for l in c.links if l[1] == "src" or (l[0] == "link" and l[1] == "href")]
    ok(not external and not files,
       "%s: no external src/href but the attribution links %s" % (label, (external + files)[:3]))
    # CSS may not load anything: url() only as a fragment (Leaflet's VML behaviour)
    urls = [u for u in re.findall(r"url\(([^)]*)\)", text) if not u.startswith("#")]
    ok(not urls, "%s: stylesheets load no file %s" % (label, urls[:3]))
    return text


def png_info(path):
    """(width, height, distinct colours of a sample) of an 8-bit RGB/RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
    if depth != 8 or ctype not in (2, 6):
        return w, h, -1
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 8 == 0:
            for x in range(0, w, 8):
                colours.add(bytes(line[x * bpp:x * bpp + 3]))
        prev = line
    return w, h, len(colours)


def chromium_cmd():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def chromium(browser, profile, extra, url):
    # networking off: every host resolves to nothing and any proxy use goes to a closed port
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1600"] + extra + [url]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
    return r.stdout.decode("utf-8", "replace")


def status_attrs(dom):
    m = re.search(r'<p class="status" id="ws-status"([^>]*)>', dom)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1))) if m else {}


def run_case(walkshed, tmp, shots, browser, dataset, label, n_compounds, n_centers, max_bytes=None,
             check_png=True):
    out = os.path.join(tmp, label)
    r = subprocess.run([walkshed, "audit", dataset, "--out", out, "--report", "-q"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not ok(r.returncode == 0, "%s: audit --report exits 0 %s" % (label, r.stderr.decode()[:200])):
        return
    path = os.path.join(out, "report.html")
    text = check_html(path, label)
    size = os.path.getsize(path)
    if max_bytes:
        ok(size < max_bytes, "%s: report.html %d bytes < %d" % (label, size, max_bytes))
    if text:
        n_feat = len(re.findall(r'\{"type":"Feature","properties":\{"i":\d+,"id":', text))
        ok(n_feat == n_compounds + n_centers,
           "%s: %d compound + %d center features embedded (got %d)" % (label, n_compounds, n_centers, n_feat))
        ok("data-compounds-expected=\"%d\"" % n_compounds in text, "%s: page expects %d compounds" % (label, n_compounds))
    png = os.path.join(out, "map.png")
    if check_png:
        if os.path.exists(png):
            info = png_info(png)
            ok(info and info[0] == 1600 and info[1] == 1200, "%s: map.png is 1600x1200 (%s)" % (label, info and info[:2]))
            ok(info and info[2] > 30, "%s: map.png not blank (%s distinct colours in a 1:8 sample)" % (label, info and info[2]))
        else:
            skip("%s: no map.png (build without cairo)" % label)
    if not browser:
        skip("%s: chromium not installed (Debian package chromium)" % label)
        return
    url = "file://" + os.path.abspath(path)
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    # the drawing time is shown, never judged: timing bars live in benches/report_render.py
    t0 = time.monotonic()
    dom = chromium(browser, profile, ["--dump-dom"], url)
    st = status_attrs(dom)
    diag("%s: chromium --dump-dom %.2f s wall (browser start included); page drawn at %s ms"
         % (label, time.monotonic() - t0, st.get("data-render-ms")))
    ok(st.get("data-compounds-rendered") == str(n_compounds),
       "%s: Chromium drew %s compounds, want %d" % (label, st.get("data-compounds-rendered"), n_compounds))
    ok(st.get("data-centers-rendered") == str(n_centers),
       "%s: Chromium drew %s centers, want %d" % (label, st.get("data-centers-rendered"), n_centers))
    shot = os.path.join(shots, label + ".png")
    chromium(browser, profile, ["--screenshot=" + shot, "--virtual-time-budget=4000"], url)
    ok(os.path.exists(shot) and os.path.getsize(shot) > 10000, "%s: screenshot saved to %s" % (label, shot))


def main():
    walkshed, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    shots = os.path.join(build, "report-screenshots")
    os.makedirs(shots, exist_ok=True)
    browser = chromium_cmd()
    tmp = tempfile.mkdtemp(prefix="ws-report-")
    try:
        # usage errors
        r = subprocess.run([walkshed, "audit", os.path.join(here, "..", "geodata", "porto"), "--report", "-q"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ok(r.returncode == 64 and b"--out" in r.stderr, "--report without --out is a usage error (64)")
        r = subprocess.run([walkshed, "audit", "--report", "--out", os.path.join(tmp, "x"), "--tiles", "ftp://x", "-q"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ok(r.returncode == 64 and not os.path.exists(os.path.join(tmp, "x")), "a bad --tiles URL is a usage error")

        run_case(walkshed, tmp, shots, browser, os.path.join(here, "..", "geodata", "porto"), "porto",
                 366, 90, max_bytes=5 * 1000 * 1000)
        nj = os.path.join(tmp, "nanjing_xinjiekou")
        run_case(walkshed, tmp, shots, browser, os.path.join(here, "..", "geodata", "nanjing_xinjiekou"),
                 "nanjing_xinjiekou", 29, 12)
        with open(os.path.join(nj, "report.html"), encoding="utf-8") as f:
            page = f.read()
        ok("玄武区人民政府" in page, "nanjing: Chinese center name in the page as UTF-8")
        if browser:
            dom = chromium(browser, tempfile.mkdtemp(dir=tmp), ["--dump-dom"],
                           "file://" + os.path.join(nj, "report.html"))
            ok("华侨路二十六号小区" in dom or re.search(r"[\u4e00-\u9fff]{3,}", dom) is not None,
               "nanjing: Chinese names survive into the rendered DOM")

        # the same report bytes for 1 and 7 threads
        outs = []
        for t in ("1", "7"):
            o = os.path.join(tmp, "threads" + t)
            subprocess.run([walkshed, "audit", os.path.join(here, "..", "geodata", "porto"), "--out", o,
                            "--report", "-q", "--threads", t], check=True)
            outs.append([open(os.path.join(o, n), "rb").read() for n in ("report.html", "map.png")
                         if os.path.exists(os.path.join(o, n))])
        ok(outs[0] == outs[1], "report.html and map.png identical for 1 and 7 threads")

        # --tiles: the URL goes to Leaflet, nothing else changes
        o = os.path.join(tmp, "tiles")
        subprocess.run([walkshed, "audit", os.path.join(here, "..", "geodata", "nanjing_xinjiekou"), "--out", o,
                        "--report", "-q", "--tiles", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"], check=True)
        with open(os.path.join(o, "report.html"), encoding="utf-8") as f:
            ok('"tiles":"https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in f.read(), "--tiles URL in the page data")

        metro = os.path.join(here, "..", "..", "shared", "data", "porto_metro")
        if os.path.isdir(metro):
            run_case(walkshed, tmp, shots, browser, metro, "porto_metro", 366, 90, check_png=True)
        else:
            skip("porto_metro: ../../shared/data/porto_metro not present")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n_test)
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
