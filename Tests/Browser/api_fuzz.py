#!/usr/bin/env python3
"""Hostile requests against the web calculator's API, over a real socket.

Starts `scaleplan serve --port 0` and sends N requests (default 1,000) drawn by a seeded
generator: bad JSON, wrong types, NaN/Infinity tokens, huge and tiny numbers, unknown fields,
deeply nested values, long bodies (over the 64 KiB limit), unicode and control characters, bad
paths and methods, and valid requests with one field spoiled. Fails on:

- no answer (connection reset, timeout) or a 5xx status;
- an error body that is not JSON `{"error": sentence}` with one line of at most 420 characters;
- a 200 answer holding a non-finite number (`inf`, `nan`) or a negative cost or memory;
- the server not answering a plain request after the run, or having exited.

Usage: api_fuzz.py BINARY [--count 1000] [--seed 1]
"""

import argparse
import http.client
import json
import random
import re
import subprocess
import sys

USE_CASES = ["plan", "plan-inference-aware", "plan-frontier", "loss", "cost-train", "cost-infer",
             "cost-finetune", "project", "runway", "parse"]
VALID = {
    "plan": {"budget": 1e7, "gpu": "h100"},
    "plan-inference-aware": {"target_loss": 2.0, "inference_tokens": 2e12},
    "plan-frontier": {"compute_min": 1e20, "compute_max": 1e26, "isoflop_compute": 1e24},
    "loss": {"params": 7e10, "tokens": 1.4e12},
    "cost-train": {"model": "gpt3", "gpu": "v100"},
    "cost-infer": {"model": {"model": "llama2-70b"}, "gpu": "h100", "precision": "int4"},
    "cost-finetune": {"model": {"model": "llama2-7b"}, "method": "qlora", "gpu": "a6000"},
    "project": {"year": 2030},
    "runway": {},
    "parse": {"fields": [{"flag": "--budget", "text": "$10M"}]},
}
FIELDS = ["budget", "compute", "params", "tokens", "target_loss", "gpu", "law", "all_laws", "mfu",
          "price", "gpus", "year", "model", "method", "rank", "batch", "prompt", "output",
          "precision", "points", "compute_min", "compute_max", "isoflop_compute", "draws", "seed",
          "queries_per_day", "sequence", "inference_tokens", "start_year", "cross_usd", "laws"]
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "1e308", "-1",
               "0", "-0", "18446744073709551615", "9223372036854775808", "2147483648",
               "1" * 400, "0.5", "2", "3.3e12", "1e30"]
VALUES = [None, True, False, "", " ", "h100", "nope", "ünï", "🙂", "a\nb", "x" * 5000, [], {},
          [1, 2], {"a": 1}, -1, 0, 1, 2.5, 1e300, -1e300, 1e30, 70e9, 2030, 2**63, -2**63]


def body_for(rng, use_case):
    kind = rng.randrange(10)
    base = dict(VALID.get(use_case, {}))
    if kind == 0:
        return rng.choice([b"", b"{", b"}", b"[]", b"null", b"true", b"\"x\"", b"{\"a\":", b"\xff\xfe",
                           b"{\"budget\": 1e7,}", b"{'budget': 1}", b"\x00" * 10])
    if kind == 1:
        f = rng.choice(FIELDS)
        return ("{\"%s\": %s}" % (f, rng.choice(RAW_NUMBERS))).encode()
    if kind == 2:
        base[rng.choice(FIELDS)] = rng.choice(VALUES)
        return json.dumps(base).encode()
    if kind == 3:
        depth = rng.choice([10, 100, 1000, 5000])
        return ("[" * depth + "]" * depth).encode()
    if kind == 4:
        size = rng.choice([65_537, 70_000, 200_000])
        return json.dumps({"pad": "x" * size}).encode()
    if kind == 5:
        base["unknown_" + str(rng.randrange(100))] = rng.choice(VALUES)
        return json.dumps(base).encode()
    if kind == 6:
        for _ in range(rng.randrange(1, 5)):
            base[rng.choice(FIELDS)] = rng.choice(VALUES)
        return json.dumps(base).encode()
    if kind == 7:
        raw = json.dumps(base)
        return raw.replace("1", rng.choice(RAW_NUMBERS), 1).encode()
    if kind == 8:
        return json.dumps(base).encode()
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))


def request(rng):
    r = rng.random()
    if r < 0.75:
        use_case = rng.choice(USE_CASES)
        path = "/api/v1/" + use_case + rng.choice(["", "", "?explain=1", "?explain=yes&x=%00"])
        return "POST", path, body_for(rng, use_case)
    if r < 0.85:
        path = rng.choice(["/", "/plan", "/api/v1", "/api/v1/options", "/assets/app.js", "/nope",
                           "/../../etc/passwd", "/api/v1/" + "x" * 9000, "/%00", "/plan?" + "a=1&" * 3000,
                           "/api/v2/plan", "//", "/api/v1/plan/extra"])
        return rng.choice(["GET", "HEAD"]), path, b""
    return rng.choice(["PUT", "DELETE", "PATCH", "OPTIONS", "GET"]), rng.choice(["/api/v1/plan", "/plan", "/"]), b"{}"


NONFINITE = re.compile(r"\b(inf|-inf|nan|Infinity|NaN)\b")


def check(status, body, method, path):
    problems = []
    if status >= 500:
        problems.append(f"status {status}")
    if path.startswith("/api/") and method != "HEAD":
        try:
            doc = json.loads(body) if body else None
        except ValueError:
            return problems + ["not JSON"]
        if status >= 400:
            sentence = doc.get("error") if isinstance(doc, dict) else None
            if not isinstance(sentence, str):
                problems.append("error without a sentence")
            elif "\n" in sentence or len(sentence) > 420:
                problems.append(f"error not one short line ({len(sentence)} chars)")
        elif status == 200:
            text = body.decode("utf-8", "replace")
            if NONFINITE.search(text):
                problems.append("non-finite number in an answer")
            for m in re.finditer(r'"(cost_usd|usd[a-z_]*|memory_bytes|[a-z_]*_bytes)"\s*:\s*(-[0-9.e+]+)', text):
                problems.append(f"negative {m.group(1)}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    proc = subprocess.Popen([a.binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    rng = random.Random(a.seed)
    failures, statuses = [], {}
    try:
        for i in range(a.count):
            method, path, body = request(rng)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
                for p in check(resp.status, data, method, path):
                    failures.append(f"#{i} {method} {path[:80]} {body[:120]!r}: {p}")
            except Exception as e:  # no answer at all
                failures.append(f"#{i} {method} {path[:80]} {body[:120]!r}: no answer ({e})")
            finally:
                conn.close()
            if proc.poll() is not None:
                failures.append(f"the server exited with {proc.returncode} after request #{i}")
                break
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", "/api/v1/plan", body=json.dumps(VALID["plan"]))
        if conn.getresponse().status != 200:
            failures.append("the server no longer answers a valid request")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for f in failures[:50]:
        print("FAIL", f)
    print(f"api fuzz: {a.count} requests, statuses {dict(sorted(statuses.items()))}, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
