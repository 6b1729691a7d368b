#!/usr/bin/env python3
"""Times native against mapsan side by side (SPEC section 5) and prints
Markdown tables. Each configuration runs as alternating pairs, native then
mapsan, so both see the same machine; the figure is the CPU time (user+sys)
of the measured phase, which bench_churn reports itself, and the ratio is
the median of the per-pair ratios. Builds nothing: pass the build dir."""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"


class Config:
    def __init__(self, bench, config, argv, options="", target=None,
                 preload=None, key=None, env=None):
        self.bench = bench
        self.config = config
        self.argv = argv
        self.options = options
        self.target = target
        self.preload = preload
        self.key = key
        self.env = env or {}


def configs(n):
    """The benchmarks of the performance issue, N churn iterations each."""
    big = [
        Config("churn", "default (stacks, quarantine)", ["churn", n], "", 1.05,
               key="churn"),
        Config("churn", "stack_depth=0", ["churn", n], "stack_depth=0", 1.02),
        Config("churn", "quarantine_mb=0", ["churn", n], "quarantine_mb=0"),
        Config("churn", "stack_depth=0:quarantine_mb=0", ["churn", n],
               "stack_depth=0:quarantine_mb=0"),
    ]
    for live in (100, 10000, 60000):
        big.append(Config("scale", "%d live, default" % live,
                          ["scale", live, n], "",
                          1.10 if live == 60000 else None, key="scale%d" % live))
    for t in (1, 2, 4):
        big.append(Config("threads", "%d thread%s, default" % (t, "s"[:t > 1]),
                          ["threads", t, n // t], "",
                          1.10 if t == 4 else None, key="threads%d" % t))
    # jemalloc keeps what it maps, so its defaults mostly measure the
    # interposed free(); with purging at once it calls madvise per free.
    big.append(Config("alloc", "jemalloc, policy=native", ["alloc", 5 * n],
                      "policy=native", 1.02, preload=JEMALLOC, key="alloc"))
    big.append(Config("alloc", "jemalloc decay 0, policy=native", ["alloc", n],
                      "policy=native", preload=JEMALLOC,
                      env={"MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}))
    return big


def parse(out):
    fig = {}
    for tok in out.split():
        k, sep, v = tok.partition("=")
        if sep and re.fullmatch(r"-?\d+", v):
            fig[k] = int(v)
    return fig


def run_one(prog, cfg, runtime, with_mapsan):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.pop("MAPSAN_OPTIONS", None)
    env.pop("MALLOC_CONF", None)
    env.update(cfg.env)
    preload = []
    if with_mapsan:
        preload.append(runtime)
        if cfg.options:
            env["MAPSAN_OPTIONS"] = cfg.options
    if cfg.preload:
        preload.append(cfg.preload)
    if preload:
        env["LD_PRELOAD"] = " ".join(preload)
    argv = [prog] + [str(a) for a in cfg.argv]
    p = subprocess.run(argv, env=env, capture_output=True, text=True)
    if p.returncode != 0 or p.stderr.strip():
        lines = (p.stderr.strip() or p.stdout.strip() or "no output").splitlines()
        raise RuntimeError("exit %d: %s" % (p.returncode, lines[0][:120]))
    fig = parse(p.stdout)
    if "cpu_ns" not in fig:
        raise RuntimeError("no cpu_ns in output")
    if fig.get("mapsan") != int(with_mapsan):
        raise RuntimeError("runtime %s" % ("not loaded" if with_mapsan else "loaded"))
    return fig


class Result:
    def __init__(self, cfg):
        self.cfg = cfg
        self.native = []
        self.mapsan = []
        self.error = None

    def ratios(self, key="cpu_ns"):
        return [m[key] / n[key] for n, m in zip(self.native, self.mapsan)]

    def median(self, side, key):
        return statistics.median(f[key] for f in side)


def measure(prog, runtime, cfg, pairs):
    res = Result(cfg)
    try:
        for _ in range(pairs):
            res.native.append(run_one(prog, cfg, runtime, False))
            res.mapsan.append(run_one(prog, cfg, runtime, True))
    except RuntimeError as e:
        res.error = str(e)
    return res


def ms(ns):
    return "%.1f ms" % (ns / 1e6)


def verdict(ratio, target):
    if target is None:
        return "—", "—"
    return "<= %.2fx" % target, "yes" if ratio <= target else "**no**"


def main_row(r):
    c = r.cfg
    if r.error or not r.mapsan:
        tgt = "<= %.2fx" % c.target if c.target else "—"
        return "| %s | %s | — | — | FAILED: %s | %s | **no** |" % (
            c.bench, c.config, r.error, tgt)
    rs = r.ratios()
    med = statistics.median(rs)
    tgt, met = verdict(med, c.target)
    return "| %s | %s | %s | %s | %.3fx (%.3f–%.3f) | %s | %s |" % (
        c.bench, c.config, ms(r.median(r.native, "cpu_ns")),
        ms(r.median(r.mapsan, "cpu_ns")), med, min(rs), max(rs), tgt, met)


def print_main(results, pairs):
    print("### Native vs mapsan (CPU time of the measured phase, %d pairs)" % pairs)
    print()
    print("| benchmark | config | native median | mapsan median "
          "| ratio median (min–max) | target | met? |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(main_row(r))
    print()


def ok(r):
    return r is not None and not r.error and r.mapsan


def overhead_ns(r):
    """mapsan's extra CPU per churn iteration (one mmap and one munmap)."""
    n = r.cfg.argv[-1] * (r.cfg.argv[1] if r.cfg.argv[0] == "threads" else 1)
    extra = [m["cpu_ns"] - nat["cpu_ns"] for nat, m in zip(r.native, r.mapsan)]
    return statistics.median(extra) / n


def per_pair(r, side):
    return r.median(side, "cpu_ns") / r.cfg.argv[-1]


def print_scale(by):
    rows = [by.get(k) for k in ("scale100", "scale10000", "scale60000")]
    if not all(ok(r) for r in rows):
        return
    print("### Scale: CPU per mmap+munmap pair as live mappings grow")
    print()
    print("| live mappings | native ns | mapsan ns | mapsan vs 100 live "
          "| mapsan's extra ns | extra vs 100 live | target |")
    print("|---|---|---|---|---|---|---|")
    base, base_extra = per_pair(rows[0], rows[0].mapsan), overhead_ns(rows[0])
    for r in rows:
        cost, extra = per_pair(r, r.mapsan), overhead_ns(r)
        live = r.cfg.argv[1]
        tgt = ""
        if live == 60000:
            tgt = "mapsan <= 1.30x of 100 live: %s" % (
                "yes" if cost <= 1.3 * base else "**no**")
        print("| %d | %.0f | %.0f | %.2fx | %.0f | %.2fx | %s |" % (
            live, per_pair(r, r.native), cost, cost / base, extra,
            extra / base_extra if base_extra > 0 else 0, tgt or "—"))
    print()


def print_threads(by):
    rows = [by.get("threads%d" % t) for t in (1, 2, 4)]
    if not all(ok(r) for r in rows):
        return
    print("### Threads: throughput (churn operations per second of wall time)")
    print()
    print("| threads | native ops/s | mapsan ops/s | throughput mapsan/native "
          "(median) | CPU ratio mapsan/native (median) | target |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        nat = [f["ops"] * 1e9 / f["wall_ns"] for f in r.native]
        mps = [f["ops"] * 1e9 / f["wall_ns"] for f in r.mapsan]
        thr = statistics.median(m / n for n, m in zip(nat, mps))
        tgt = "—"
        if r.cfg.argv[1] == 4:
            tgt = ">= %.3f: %s" % (1 / 1.10, "yes" if thr >= 1 / 1.10 else "**no**")
        print("| %d | %.0f | %.0f | %.3f | %.3fx | %s |" % (
            r.cfg.argv[1], statistics.median(nat), statistics.median(mps),
            thr, statistics.median(r.ratios()), tgt))
    print()


def rss_extra(r, key):
    return statistics.median(m[key] - n[key] for n, m in zip(r.native, r.mapsan))


def print_memory(by, model_bytes):
    print("### Memory")
    print()
    print("| figure | value | target | met? |")
    print("|---|---|---|---|")
    if model_bytes is not None:
        met = verdict(model_bytes, 64)[1]
        print("| table bytes per live mapping (model, 1,000,000 live) | %.1f "
              "| <= 64 | %s |" % (model_bytes, met))
    r = by.get("scale60000")
    if ok(r):
        extra = rss_extra(r, "setup_rss_delta_kb") * 1024 / r.cfg.argv[1]
        print("| runtime RSS per live mapping (60,000 live, incl. their stack) "
              "| %.1f B | — | — |" % extra)
    r = by.get("churn")
    if ok(r):
        print("| runtime RSS growth during churn (depot + table + ring) "
              "| %d KiB | — | — |" % rss_extra(r, "rss_delta_kb"))
    print()


def run_model(build):
    prog = os.path.join(build, "bin", "bench_model")
    if not os.access(prog, os.X_OK):
        return None, "bench_model not built"
    p = subprocess.run([prog], capture_output=True, text=True)
    if p.returncode != 0:
        return None, "bench_model failed: " + p.stderr.strip()
    return p.stdout, None


def model_bytes(out):
    for line in out.splitlines():
        cols = line.split()
        if cols and cols[0] == "1000000":
            try:
                return float(cols[-1])
            except ValueError:
                return None
    return None


def args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", nargs="?", default="build",
                    help="build directory (default ./build)")
    ap.add_argument("--pairs", type=int,
                    help="native/mapsan pairs per configuration (default 7)")
    ap.add_argument("--iterations", type=int,
                    help="churn iterations per run (default 200000)")
    ap.add_argument("--quick", action="store_true",
                    help="5 pairs of 50000 iterations: a smoke run, not the figures")
    ap.add_argument("--only", default="",
                    help="run only rows whose 'benchmark config' contains this")
    ap.add_argument("--no-model", action="store_true", help="skip bench_model")
    a = ap.parse_args()
    quick = (5, 50000) if a.quick else (7, 200000)
    a.pairs = a.pairs or quick[0]
    a.iterations = a.iterations or quick[1]
    return a


def main():
    a = args()
    prog = os.path.join(a.build, "bin", "bench_churn")
    runtime = os.path.abspath(os.path.join(a.build, "lib", "libmapsan.so"))
    for f in (prog, runtime):
        if not os.path.exists(f):
            sys.exit("run.py: %s is missing; build it first "
                     "(cmake --build %s --target bench_churn mapsan)" % (f, a.build))
    print("mapsan benchmarks: %d pairs, %d iterations, %d CPUs, %s" % (
        a.pairs, a.iterations, os.cpu_count(), time.strftime("%Y-%m-%d")))
    print()
    results = []
    for cfg in configs(a.iterations):
        if a.only in "%s %s" % (cfg.bench, cfg.config):
            print("running %s: %s" % (cfg.bench, cfg.config), file=sys.stderr)
            results.append(measure(prog, runtime, cfg, a.pairs))
    by = {r.cfg.key: r for r in results if r.cfg.key}
    print_main(results, a.pairs)
    print_scale(by)
    print_threads(by)
    out, err = (None, None) if a.no_model else run_model(a.build)
    if out:
        print("### Model alone (bench_model)")
        print()
        print("```")
        print(out.rstrip())
        print("```")
        print()
    elif err:
        print("bench_model: %s" % err)
        print()
    print_memory(by, model_bytes(out) if out else None)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
