#!/usr/bin/env python3
"""Hostile-input fuzzer for the scaleplan CLI.

Generates argument vectors over every subcommand from the parser's own option list
(`scaleplan --experimental-dump-help`), mixing valid values with hostile ones (negative, zero,
NaN, ±inf, 1e400, huge integers, empty, unicode, very long, newlines, contradictory and repeated
flags), runs the built binary on each with a timeout and an address-space cap, and fails on:

- a signal (trap, crash),
- a hang (no exit within the timeout while printing nothing; training commands that are still
  training after the timeout, having printed progress, count as "long runs", not hangs),
- a cap breach (the process died of the memory cap),
- a non-finite answer (inf / nan in the output of a successful command),
- a multi-line or over-long error (the message of a failing command must be one line of at most
  MAX_ERROR characters, besides ArgumentParser's own Usage/Help/See lines),
- a raw system error (NSCocoaErrorDomain, "Error Domain=", "UserInfo=", Swift runtime
  "Fatal error").

Usage:  cli_fuzz.py BINARY [--count N] [--seed S] [--timeout SEC] [--mem-mb MB] [--report FILE]
Exit status 0 when every vector passed, 1 otherwise (each failure printed with its vector).
"""

import argparse
import csv
import json
import os
import random
import re
import resource
import shlex
import signal
import subprocess
import sys
import tempfile
import time

MAX_ERROR = 420  # ErrorText.longestMessage (400) plus "Error: "

HOSTILE = [
    "-1", "0", "-0", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e308",
    "1e30", "1e-400", "4.9e-324", "18446744073709551615", "9223372036854775808",
    "9223372036854775807", "2147483648", "-2147483649", "", " ", "ünïcødé", "日本語", "🙂",
    "x" * 5000, "1" * 400, "a\nb", "1\n2", "$-5M", "$nan", "$1e400", "0x10", " 5", "5 ",
    "1,000", "1e", "--", "-", "70B", "1.4T", "$10M", "$4.6M", "0.5", "1", "2", "3", "64",
    "1000000", "1e6", "1e9", "1e12", "-5", "1/0", "null", "true", "[]", "{}", "'", '"',
    "\\", "%s%s%n", "../../etc/passwd", "/dev/null", "/", "\t",
]

# Plausible values by option name, so that vectors get past the first check and reach deeper
# code. Keys are option names (without dashes).
VALID = {
    "gpu": ["h100", "a100-80gb", "v100", "a6000", "rtx-a6000", "b200", "tpu-v5p", "nope"],
    "train-gpu": ["h100", "a100-80gb"], "inference-gpu": ["h100", "a100-80gb"],
    "law": ["epoch2024", "hoffmann2022", "kaplan2020", "sardana2024", "llama3", "nope"],
    "model": ["llama2-70b", "gpt3", "gpt-3", "llama2-7b", "mixtral-8x7b", "deepseek-v3", "nope"],
    "vs": ["gpt3", "llama2-70b"],
    "precision": ["bf16", "fp16", "fp8", "int8", "int4", "fp32", "nf4", "nope"],
    "inference-precision": ["fp16", "int4"], "train-precision": ["bf16", "fp8"],
    "method": ["full", "lora", "qlora", "nope"], "targets": ["all", "attention", "qv", "nope"],
    "objective": ["cost", "flops", "nope"], "scenario": ["historical", "compute-optimal", "combined"],
    "approach": ["1", "2", "3", "all", "nope"], "kind": ["isoflop", "grid", "nope"],
    "preset": ["quick", "standard", "full", "nope"], "emit": ["csv", "json", "nope"],
    "config": ["a", "b", "c", "d", "nope"], "status": ["finished", "running", "diverged"],
    "budget": ["$10M", "$1B", "$4.6M", "1e6", "$0"], "compute": ["5.76e23", "1e24", "3.15e23"],
    "params": ["70B", "175B", "1e9", "30B"], "tokens": ["1.4T", "300B", "2T", "20B"],
    "target-loss": ["2.0", "1.9", "1.7", "3"], "mfu": ["0.4", "0.224", "1", "1.5"],
    "price": ["2.49", "1.5", "0"], "gpus": ["2048", "8", "1", "0"],
    "year": ["2030", "2026", "2100", "1e30"], "start-year": ["2023", "-1e17", "1e17"],
    "draws": ["1000", "10", "0", "1e9"], "seed": ["1", "0", "18446744073709551615"],
    "cross": ["$1B", "$100M"], "columns": ["params=N,tokens=D,loss=L", "nope", "params=N"],
    "layers": ["2", "80", "0", "100000"], "d-model": ["64", "8192", "100000000"],
    "heads": ["4", "64", "3"], "kv-heads": ["8", "1"], "ctx": ["64", "128"],
    "context": ["2048", "4096"], "batch": ["32", "1", "1000000"], "vocab": ["32000", "50257"],
    "prompt": ["500", "1e30"], "output": ["200", "1"], "rank": ["8", "64"],
    "bootstrap": ["10", "0", "2147483648"], "eval-windows": ["4", "2147483648"],
    "lexicon": ["1000", "2147483648"], "budgets": ["1e13,1e14", "1e19,1e20", "nope"],
    "sizes": ["10000,20000", "nope"], "threads": ["1", "2", "0", "1000"],
    "queries-per-day": ["1e9", "1e6"], "epochs": ["1", "4"], "overtrain": ["1", "10"],
    "until": ["2040", "1e30"],
}

# Commands not fuzzed: `bench` times kernels for seconds by design, `notebook` regenerates every
# notebook (minutes), `serve` runs a server, `help` prints help.
SKIP = {"bench", "notebook", "help", "serve"}
# Commands that may legitimately train for longer than the timeout once their input is valid.
TRAINING = {("train",), ("sweep", "run")}

FATAL_PATTERNS = [
    re.compile(p) for p in [r"NSCocoaErrorDomain", r"Error Domain=", r"UserInfo=",
                            r"Fatal error", r"Program crashed", r"Backtracing", r"SQLite error \d+"]
]
NONFINITE = re.compile(r"(?<![A-Za-z_])(-?inf|-?nan|Infinity|NaN)(?![A-Za-z_])")
# ArgumentParser's own hint lines, and the progress a training command prints before its result
# (its header and its "step i/n" lines), are not part of an error message.
ALLOWED_STDERR = re.compile(r"^(Usage: |\s*See '|\s*$|Training \d|step \d+/\d+ )")


def commands(binary):
    out = subprocess.run([binary, "--experimental-dump-help"], capture_output=True, timeout=60)
    tree = json.loads(out.stdout)["command"]
    leaves = []

    def walk(node, path):
        subs = node.get("subcommands") or []
        if path and path[0] in SKIP:
            return
        if not subs and path:
            opts = []
            for a in node.get("arguments") or []:
                names = [n["name"] for n in a.get("names") or [] if n["kind"] == "long"]
                name = names[0] if names else None
                if name in ("help", "version"):
                    continue
                opts.append((a["kind"], name))
            leaves.append((tuple(path), opts))
        for s in subs:
            walk(s, path + [s["commandName"]])

    walk(tree, [])
    return leaves


def value_for(rng, name):
    if name in VALID and rng.random() < 0.6:
        return rng.choice(VALID[name])
    return rng.choice(HOSTILE)


# Valid command lines, one or more per command: half the vectors start from one of these and
# replace or add one to three options with hostile values, so they reach the arithmetic behind
# the first check instead of stopping at it.
SEEDS = [
    "plan --budget=$10M --gpu=h100 --gpus=2048", "plan --compute=5.76e23 --all-laws",
    "plan --params=70B", "plan --tokens=1.4T", "plan --target-loss=2.0",
    "plan --target-loss=2.0 --inference-tokens=2T --gpu=h100",
    "loss --params=70B --tokens=1.4T", "loss --model=llama2-70b",
    "cost train --params=175B --tokens=300B --gpu=v100 --mfu=0.224 --price=1.5",
    "cost train --layers=96 --d-model=12288 --heads=96 --vocab=50257 --tokens=300B --gpu=h100",
    "cost train --flops=3.15e23 --gpu=h100 --gpus=1024",
    "cost infer --model=llama2-70b --precision=int4 --gpu=h100 --prompt=500 --output=200 "
    "--batch=32 --queries-per-day=1e9 --price=2.5",
    "cost infer --params=7B --gpu=a100-80gb", "cost finetune --params=65B --method=qlora --gpu=a6000",
    "cost finetune --model=llama2-70b --method=lora --gpu=h100",
    "project --year=2030", "project --cross=$1B", "project --year=2030 --compute=1e25",
    "runway", "runway --scenario=historical --draws=100",
    "sweep plan --preset=quick --emit=csv", "sweep plan --budgets=1e19,1e20 --emit=csv",
    "sweep list", "runs list", "runs export --csv=out.csv", "fit --csv=in.csv "
    "--columns=params=params,tokens=tokens,loss=loss --bootstrap=10",
    "catalog list", "catalog show accelerators", "catalog validate",
    "train --layers=1 --d-model=16 --heads=2 --ctx=16 --batch=4 --tokens=2000 --seed=1",
]


def seeded_vector(rng, leaves, workdir):
    """A valid command line with one to three options replaced or added with hostile values."""
    line = rng.choice(SEEDS)
    words = shlex.split(line.replace("out.csv", os.path.join(workdir, "out.csv"))
                        .replace("in.csv", os.path.join(workdir, "in.csv")))
    positional = [w for w in words if not w.startswith("--")]
    by_path = {p: o for p, o in leaves}
    path = None
    for n in (2, 1):
        if tuple(positional[:n]) in by_path:
            path = tuple(positional[:n])
            break
    if path is None:
        return None
    opts = [o for o in by_path[path] if o[0] == "option" and o[1]]
    args = words[:]
    for _ in range(rng.randint(1, 3)):
        kind, name = rng.choice(opts) if opts else ("option", None)
        if name is None or name in ("db", "catalog"):
            continue
        args = [w for w in args if not w.startswith(f"--{name}=")]
        args.append(f"--{name}={rng.choice(HOSTILE)}")
    if rng.random() < 0.3:
        args.append("--json")
    if rng.random() < 0.2:
        args.append("--explain")
    if any(k == "option" and n == "db" for k, n in by_path[path]):
        args.append("--db=" + os.path.join(workdir, "runs.sqlite"))
    return path, args


def vector(rng, leaves, workdir):
    if rng.random() < 0.5:
        v = seeded_vector(rng, leaves, workdir)
        if v is not None:
            return v
    path, opts = rng.choice(leaves)
    args = list(path)
    chosen = rng.sample(opts, k=min(len(opts), rng.randint(0, 6))) if opts else []
    for kind, name in chosen:
        if kind == "flag":
            if name:
                args.append("--" + name)
            continue
        if kind == "positional":
            args.append(value_for(rng, "positional"))
            continue
        if name is None:
            continue
        if name in ("db",):
            v = os.path.join(workdir, rng.choice(["runs.sqlite", "other.sqlite"]))
        elif name in ("csv", "json", "out", "data", "reference", "benchmarks") and rng.random() < 0.7:
            v = os.path.join(workdir, rng.choice(["out.csv", "runs.sqlite", "in.csv", "x.json"]))
        elif name in ("catalog",) and rng.random() < 0.8:
            v = rng.choice([workdir, "/nonexistent", os.path.join(workdir, "in.csv")])
        elif name in ("corpus",):
            v = rng.choice([os.path.join(workdir, "in.csv"), "/nonexistent", "/dev/null"])
        else:
            v = value_for(rng, name)
        form = rng.random()
        if form < 0.7:
            args.append(f"--{name}={v}")
        else:
            args += [f"--{name}", v]
        if rng.random() < 0.05:  # repeated flag
            args.append(f"--{name}={value_for(rng, name)}")
    if rng.random() < 0.3:
        args.append("--json")
    if rng.random() < 0.2:
        args.append("--explain")
    if rng.random() < 0.03:
        args.append("--no-such-option")
    # Every command that touches a database gets the fuzz directory's, never the user's.
    if not any(a.startswith("--db") for a in args) and any(k == "option" and n == "db" for k, n in opts):
        args.append("--db=" + os.path.join(workdir, "runs.sqlite"))
    return path, args


def run_one(binary, args, timeout, mem_bytes, cwd, env):
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()

    start = time.monotonic()
    p = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, cwd=cwd, env=env, preexec_fn=limits)
    try:
        out, err = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        timed_out = True
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), \
        timed_out, time.monotonic() - start


# Fields that hold the user's own text (a run's notes, a file name): "nan" there is not a number.
FREE_TEXT = {"notes", "name", "source", "corpus_path", "path", "file", "command", "title", "label"}


def csv_table(out):
    """The header and rows when an answer is a CSV table (at least a header and one row, every
    row as wide as the header and wider than one column), else None."""
    lines = [l for l in out.splitlines() if l and not l.startswith("#")]
    if len(lines) < 2:
        return None
    try:
        rows = list(csv.reader(lines))
    except csv.Error:
        return None
    width = len(rows[0])
    if width < 2 or any(len(r) != width for r in rows):
        return None
    return rows[0], rows[1:]


def has_nonfinite(out):
    """True when an answer holds a non-finite number: in JSON, an Infinity/NaN token or a value
    written as "inf"/"nan" outside the fields of free text; in text, the word outside quotes and
    outside a file name ("Wrote 8 runs to nan.")."""
    try:
        found = []
        doc = json.loads(out, parse_constant=lambda c: found.append(c) or 0.0)
    except ValueError:
        table = csv_table(out)
        if table is not None:
            header, rows = table
            return any(re.fullmatch(r"-?(inf|nan|Infinity|NaN)", cell.strip())
                       for row in rows for name, cell in zip(header, row)
                       if name not in FREE_TEXT)
        text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "", out)
        text = re.sub(r"\bto \S+", "", text)
        return bool(NONFINITE.search(text))
    if found:
        return True

    def walk(node, key):
        if isinstance(node, dict):
            return any(walk(v, k) for k, v in node.items())
        if isinstance(node, list):
            return any(walk(v, key) for v in node)
        if isinstance(node, float):
            return node != node or node in (float("inf"), float("-inf"))
        if isinstance(node, str) and key not in FREE_TEXT:
            return bool(re.fullmatch(r"-?(inf|nan|Infinity|NaN)", node))
        return False
    return walk(doc, None)


def judge(path, rc, out, err, timed_out):
    """The failure category of one run, or None when it passed."""
    if timed_out:
        if path in TRAINING and (out.strip() or err.strip()):
            return None  # a valid training run still going: bounded by the caller's timeout
        return "hang"
    for pat in FATAL_PATTERNS:
        if pat.search(out) or pat.search(err):
            return "raw system error" if "Domain" in pat.pattern or "User" in pat.pattern \
                or "SQLite" in pat.pattern else "signal"
    if rc < 0:
        return "signal"
    if rc in (132, 133, 134, 137, 139):  # 128 + SIGILL/SIGTRAP/SIGABRT/SIGKILL/SIGSEGV
        return "signal"
    if rc == 0:
        if has_nonfinite(out):
            return "non-finite answer"
        return None
    lines = [l for l in err.split("\n") if not ALLOWED_STDERR.match(l)]
    if len(lines) != 1:
        return "multi-line error"
    if len(lines[0]) > MAX_ERROR:
        return "over-long error"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--mem-mb", type=int, default=1024)
    ap.add_argument("--report", default=None)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    rng = random.Random(a.seed)
    leaves = commands(binary)
    counts = {"passed": 0, "long runs": 0}
    failures = []
    with tempfile.TemporaryDirectory(prefix="scaleplan-fuzz-") as work:
        with open(os.path.join(work, "in.csv"), "w") as f:
            f.write("params,tokens,loss\n1e6,2e7,4.1\n2e6,4e7,3.9\n4e6,8e7,3.7\n8e6,1.6e8,3.55\n")
        env = dict(os.environ)
        env["HOME"] = work  # the default database lives under HOME: never the user's
        env["SCALEPLAN_DB"] = os.path.join(work, "runs.sqlite")
        for i in range(a.count):
            path, args = vector(rng, leaves, work)
            rc, out, err, timed_out, secs = run_one(binary, args, a.timeout,
                                                    a.mem_mb * 1024 * 1024, work, env)
            verdict = judge(path, rc, out, err, timed_out)
            if verdict is None:
                key = "long runs" if timed_out else "passed"
                counts[key] += 1
            else:
                counts[verdict] = counts.get(verdict, 0) + 1
                tail = (err.strip() or out.strip())[-600:]
                failures.append(f"[{verdict}] rc={rc} {shlex.join(args)}\n    {tail!r}")
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    report = "\n".join(failures + [f"vectors {a.count}: {summary}"])
    print(report)
    if a.report:
        with open(a.report, "w") as f:
            f.write(report + "\n")
    bad = sum(v for k, v in counts.items() if k not in ("passed", "long runs"))
    print(f"{a.count - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
