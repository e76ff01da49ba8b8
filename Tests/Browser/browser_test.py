#!/usr/bin/env python3
"""The web calculator in a real browser (headless Chromium driven over WebDriver by selenium).

Starts `scaleplan serve --port 0`, then for each page (plan, cost, projections) loads at least
20 random states (a seeded generator picks the controls; the state travels in the URL as a
permalink would), and checks that

- every number the page shows (each `button.num`, full value in `data-value`, JSON path in
  `data-key`) equals the value at that path in the output of the page's own "copy as CLI command"
  text run with `--json` (relative difference at most 1e-9: both come from the same engine);
- a state the engine refuses shows the command line's sentence (its `Error: ` line) beside the
  form, and the command fails too;
- clicking a number opens its explanation with at least one step;
- typing into a field and choosing from a menu with the keyboard re-render the page; the time
  from the input event to the drawn answer (`window.scaleplan.timings`) is reported as a median.

Screenshots of each page go to --shots. Exit status 0 when every check passed.

Usage: browser_test.py BINARY [--states 20] [--seed 1] [--shots DIR] [--report FILE]
"""

import argparse
import json
import math
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

PLAN_AMOUNTS = {
    "budget": ["$1M", "$10M", "$250k", "$1B", "$4.6M", "$-5M", "abc"],
    "compute": ["1e21", "5.7e24", "3.15e23", "1e26", "0"],
    "params": ["7B", "70B", "1T", "400M"],
    "tokens": ["1.4T", "300B", "15T"],
    "target-loss": ["2.0", "1.95", "2.5", "1.7", "1.0"],
}


def plan_state(rng):
    q = rng.choice(list(PLAN_AMOUNTS))
    s = {"question": q, "amount": rng.choice(PLAN_AMOUNTS[q]),
         "gpu": rng.choice(["", "h100", "a100-80gb", "v100", "b200", "tpu-v5p"]),
         "law": rng.choice(["epoch2024", "hoffmann2022", "hoffmann2022-tex", "sardana2024", "kaplan2020", "llama3"])}
    if rng.random() < 0.25:
        s["all-laws"] = "1"
    if s["gpu"]:
        s["mfu"] = rng.choice(["", "", "0.3", "0.5", "2"])
        s["price"] = rng.choice(["", "", "2", "1.5"])
        s["gpus"] = rng.choice(["", "", "1024", "8"])
    return s


def cost_state(rng):
    what = rng.choice(["train", "infer", "finetune"])
    s = {"what": what, "gpu": rng.choice(["h100", "a100-80gb", "v100", "b200", "mi300x"])}
    model = rng.choice(["", "llama2-70b", "llama2-7b", "gpt3", "llama3.1-8b", "mixtral-8x7b"])
    s["model"] = model
    if not model:
        s["params"] = rng.choice(["7B", "70B", "13B", "-1"])
        if what == "train":
            s["tokens"] = rng.choice(["1T", "2T", "300B"])
    if what == "train":
        s["mfu"] = rng.choice(["", "0.35", "0.5"])
        s["gpus"] = rng.choice(["", "1024", "64"])
    if what == "infer":
        s["precision"] = rng.choice(["", "bf16", "fp8", "int8", "int4"])
        s["prompt"] = rng.choice(["", "500", "2000"])
        s["output"] = rng.choice(["", "200", "1000"])
        s["queries"] = rng.choice(["", "1e6", "1e9"])
        s["batch"] = rng.choice(["", "8", "32"])
    if what == "finetune":
        s["method"] = rng.choice(["full", "lora", "qlora"])
        s["rank"] = rng.choice(["", "16", "64"])
        s["sequence"] = rng.choice(["", "1024", "4096"])
        s["batch"] = rng.choice(["", "1", "4"])
    s["price"] = rng.choice(["", "", "3"])
    return s


def projections_state(rng):
    s = {"year": str(rng.choice(range(2025, 2041))), "overtrain": rng.choice(["1", "1", "5", "10"])}
    if rng.random() < 0.5:
        s["compute"] = rng.choice(["3.15e23", "1e25", "2e24"])
    if rng.random() < 0.4:
        s["cross"] = rng.choice(["$1B", "$10B", "$100M"])
    if rng.random() < 0.1:
        s["year"] = rng.choice(["1e30", "1900", "abc"])
    return s


PAGES = {"plan": plan_state, "cost": cost_state, "projections": projections_state}


def at_path(obj, key):
    """The value at a data-key path such as `params`, `[2].loss` or `bill.usd_per_year`."""
    cur = obj
    for part in key.replace("]", "").replace("[", ".").split("."):
        if part == "":
            continue
        if isinstance(cur, list):
            cur = cur[int(part)]
        else:
            cur = cur[part]
    return cur


def start_server(binary):
    proc = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "http://" not in line:
        raise SystemExit("server did not start: " + line + proc.stderr.read())
    url = line.split()[2].rstrip("/")
    return proc, url


def wait_rendered(driver, before):
    WebDriverWait(driver, 20).until(
        lambda d: int(d.execute_script("return window.scaleplan ? window.scaleplan.renders : 0") or 0) > before)


def run_cli(binary, cli):
    args = shlex.split(cli)
    assert args[0] == "scaleplan", cli
    run = subprocess.run([binary] + args[1:] + ["--json"], capture_output=True, text=True, timeout=60)
    return run


def check_state(driver, binary, base, page, state, failures, counts):
    url = base + "/" + page + "?" + urllib.parse.urlencode(state)
    driver.get(url)
    wait_rendered(driver, 0)
    last = driver.execute_script("return window.scaleplan.last")
    cli = driver.find_element(By.ID, "cli").text
    run = run_cli(binary, cli)
    if "error" in last:
        counts["errors"] += 1
        page_sentence = driver.find_element(By.ID, "error").text
        first = run.stderr.splitlines()[0] if run.stderr else ""
        if run.returncode == 0:
            failures.append(f"{url}: page refused ({page_sentence}) but `{cli}` succeeded")
        elif first != "Error: " + page_sentence:
            failures.append(f"{url}: page says '{page_sentence}', command says '{first}'")
        beside = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field-error") if e.is_displayed()]
        if not beside and "--" in page_sentence:
            counts["unplaced"] += 1
        return
    counts["ok"] += 1
    if run.returncode != 0:
        failures.append(f"{url}: page answered but `{cli}` failed: {run.stderr.strip()}")
        return
    data = json.loads(run.stdout)
    # The projections page also shows the runway, asked as its own command.
    extra = driver.find_elements(By.ID, "cli-runway")
    if extra:
        runway = run_cli(binary, extra[0].text)
        if runway.returncode != 0:
            failures.append(f"{url}: `{extra[0].text}` failed: {runway.stderr.strip()}")
        else:
            data = dict(data, runway=json.loads(runway.stdout))
    nums = driver.find_elements(By.CSS_SELECTOR, "#results button.num")
    if not nums:
        failures.append(f"{url}: no numbers shown")
    for b in nums:
        key, value = b.get_attribute("data-key"), float(b.get_attribute("data-value"))
        try:
            expected = at_path(data, key)
        except (KeyError, IndexError, ValueError):
            failures.append(f"{url}: `{cli} --json` has no {key}")
            continue
        if isinstance(expected, bool):
            expected = 1.0 if expected else 0.0
        counts["numbers"] += 1
        if expected is None or not math.isclose(value, float(expected), rel_tol=1e-9, abs_tol=0):
            failures.append(f"{url}: {key} shows {value}, --json has {expected}")
    # One number's explanation.
    nums[0].click()
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "explain").is_displayed())
    steps = driver.find_elements(By.CSS_SELECTOR, "#explain-body .step")
    if not steps and page != "cost":
        failures.append(f"{url}: the explanation of {nums[0].get_attribute('data-key')} has no step")
    driver.find_element(By.ID, "explain-close").click()


def settled(driver, text):
    """Waits until the page has drawn the answer for amount `text` and nothing is pending."""
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "const a = window.scaleplan; return a.last && a.last.values.amount === arguments[0] && !a.changedAt",
        text))


def interaction(driver, binary, base, failures):
    """One control change at a time on the Plan page (a value pasted into the amount field, a
    menu moved with the keyboard), timed from the input event to the drawn answer; then typing
    character by character, which must end on the answer for the final text. Returns the times."""
    driver.get(base + "/plan")
    wait_rendered(driver, 0)
    times = []
    for text in ["$2M", "$20M", "$5M", "$50M", "$1M", "$100M", "$3M", "$30M", "$7M", "$70M"] * 3:
        before = driver.execute_script("return window.scaleplan.renders")
        driver.execute_script(
            "const el = document.getElementById('f-amount'); el.value = arguments[0];"
            "el.dispatchEvent(new Event('input', {bubbles: true}));", text)
        wait_rendered(driver, before)
        settled(driver, text)
        times.append(driver.execute_script("return window.scaleplan.timings[window.scaleplan.timings.length-1]"))
    gpu = driver.find_element(By.ID, "f-gpu")
    for _ in range(6):
        before = driver.execute_script("return window.scaleplan.renders")
        old = gpu.get_attribute("value")
        gpu.send_keys(Keys.ARROW_DOWN)
        wait_rendered(driver, before)
        if gpu.get_attribute("value") == old:
            failures.append("the accelerator menu did not move with the keyboard")
        times.append(driver.execute_script("return window.scaleplan.timings[window.scaleplan.timings.length-1]"))
    # Typing: every keystroke is an input event; the page must end on the final text's answer.
    driver.get(base + "/plan")
    wait_rendered(driver, 0)
    box = driver.find_element(By.ID, "f-amount")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("$12.5M")
    settled(driver, "$12.5M")
    cli = driver.find_element(By.ID, "cli").text
    data = json.loads(run_cli(binary, cli).stdout)
    shown = float(driver.find_element(By.CSS_SELECTOR, 'button.num[data-key="params"]').get_attribute("data-value"))
    if not math.isclose(shown, data["params"], rel_tol=1e-9):
        failures.append(f"after typing, the page shows N* {shown}, `{cli}` gives {data['params']}")
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--states", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shots", default=None)
    ap.add_argument("--report", default=None)
    ap.add_argument("--pages", default=",".join(PAGES))
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    proc, base = start_server(binary)
    opts = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                 "--disable-dev-shm-usage"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    failures, report = [], {}
    try:
        rng = random.Random(a.seed)
        for page in a.pages.split(","):
            gen = PAGES[page]
            counts = {"ok": 0, "errors": 0, "numbers": 0, "unplaced": 0}
            for _ in range(a.states):
                check_state(driver, binary, base, page, gen(rng), failures, counts)
            report[page] = counts
            if counts["ok"] < a.states // 2:
                failures.append(f"{page}: only {counts['ok']} of {a.states} states answered")
            if a.shots:
                os.makedirs(a.shots, exist_ok=True)
                default = {"plan": "", "cost": "", "projections": "?compute=3.15e23"}[page]
                driver.get(base + "/" + page + default)
                wait_rendered(driver, 0)
                driver.save_screenshot(os.path.join(a.shots, f"serve-{page}.png"))
        times = interaction(driver, binary, base, failures)
        report["rerender_ms"] = {"median": statistics.median(times), "max": max(times), "n": len(times)}
        phases = driver.execute_script("return window.scaleplan.phases")
        report["rerender_phases_median_ms"] = {k: statistics.median(p[k] for p in phases) for k in phases[0]} if phases else {}
        # The server is still up.
        driver.get(base + "/api")
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "ok")
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=10)
    print(json.dumps(report, indent=1, sort_keys=True))
    if a.report:
        with open(a.report, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
    for f in failures:
        print("FAIL", f)
    states = sum(v["ok"] + v["errors"] for k, v in report.items() if not k.startswith("rerender"))
    print(f"browser: {states} states, {len(failures)} failed; "
          f"re-render median {report['rerender_ms']['median']:.1f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
