#!/usr/bin/env python3
"""How long headless Chromium takes to draw an audit's report.html (a benchmark, not a test).

usage: benches/report_render.py WALKSHED [DATASET_DIR] [runs]

Runs `walkshed audit DATASET --report` once, then opens report.html RUNS times (default 5)
in headless Chromium with networking off (the same command line as tests/report_check.py)
and prints, per run, the page's own figure: data-render-ms, the milliseconds from
navigation start until the map layers were drawn, and the wall time of the browser
process (its start included). Ends with the best and the median. The bar (benches/README.md):
porto_metro drawn in under 2000 ms. Default dataset: ../shared/data/porto_metro.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from report_check import chromium, chromium_cmd, status_attrs  # noqa: E402


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    walkshed = os.path.abspath(sys.argv[1])
    dataset = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared", "data",
                                                                 "porto_metro")
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    browser = chromium_cmd()
    if not browser:
        print("chromium not installed (Debian package chromium)", file=sys.stderr)
        return 69
    tmp = tempfile.mkdtemp(prefix="ws-render-")
    try:
        out = os.path.join(tmp, "out")
        subprocess.run([walkshed, "audit", dataset, "--out", out, "--report", "-q"], check=True)
        url = "file://" + os.path.join(out, "report.html")
        profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
        drawn = []
        for i in range(runs):
            t0 = time.monotonic()
            st = status_attrs(chromium(browser, profile, ["--dump-dom"], url))
            wall = time.monotonic() - t0
            ms = st.get("data-render-ms")
            print("run %d: drawn at %s ms, browser %.2f s wall" % (i + 1, ms, wall))
            if ms:
                drawn.append(int(ms))
        if not drawn:
            print("the page never reported data-render-ms", file=sys.stderr)
            return 1
        print("%s: best %d ms, median %d ms over %d runs (bar 2000 ms)"
              % (os.path.basename(os.path.normpath(dataset)), min(drawn), statistics.median(drawn),
                 len(drawn)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
