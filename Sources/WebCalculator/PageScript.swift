// The page's script: reads the page and its state from the URL, draws the controls, sends the
// use case's request to /api/v1 on every change and draws the answer. No framework and no
// charting library: the charts are a few dozen lines of SVG written here (the pages need log-log
// lines with bands, bars and one stacked bar, and shipping a library for that would add a
// dependency the binary must carry for no gain). Numbers on the page keep the full value in
// `data-value` and their JSON path in `data-key`, so a test can compare them with `--json`.

extension Page {
  /// The script served at /assets/app.js.
  static let script = #"""
    "use strict";
    (() => {
    // Okabe & Ito 2008 colour-blind-safe palette.
    const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];
    const app = { page: null, options: null, last: null, charts: [], timings: [], phases: [], renders: 0, seq: 0 };
    window.scaleplan = app;

    // ---------- formatting ----------
    function si(v) {
      if (v === null || v === undefined || !isFinite(v)) return "—";
      const a = Math.abs(v);
      if (a >= 1e15 || (a < 1 && a !== 0)) return sci(v);
      const units = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]];
      for (const [m, s] of units) if (a >= m) return trim((v / m).toPrecision(3)) + s;
      return trim(v.toPrecision(3));
    }
    function trim(s) { return s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s; }
    function sci(v) {
      if (!isFinite(v)) return "—";
      if (v === 0) return "0";
      const e = Math.floor(Math.log10(Math.abs(v)));
      const m = v / Math.pow(10, e);
      return trim(m.toPrecision(3)) + "e" + e;
    }
    function dollars(v) { return v === null || v === undefined ? "—" : "$" + si(v); }
    function fixed(v, d) { return v === null || v === undefined ? "—" : v.toFixed(d); }
    function bytes(v) {
      if (v === null || v === undefined) return "—";
      const gb = v / 1e9;
      return gb >= 1000 ? trim((gb / 1000).toPrecision(3)) + " TB" : trim(gb.toPrecision(3)) + " GB";
    }
    function esc(s) {
      return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
    }

    // ---------- API ----------
    class APIError extends Error { constructor(sentence, status) { super(sentence); this.status = status; } }
    async function call(name, body, explain) {
      const r = await fetch("/api/v1/" + name + (explain ? "?explain=1" : ""), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const j = await r.json();
      if (!r.ok) throw new APIError(j.error || ("HTTP " + r.status), r.status);
      return j;
    }

    // Answers to identical requests, reused (the engine is deterministic).
    const memo = new Map();
    async function cached(name, body) {
      const key = name + " " + JSON.stringify(body);
      if (!memo.has(key)) {
        if (memo.size > 64) memo.clear();
        memo.set(key, call(name, body).catch(e => { memo.delete(key); throw e; }));
      }
      return memo.get(key);
    }

    // ---------- pages ----------
    const QUESTIONS = [["budget", "Dollar budget"], ["compute", "Compute (FLOPs)"], ["params", "Model size N"],
      ["tokens", "Training tokens D"], ["target-loss", "Target loss (nats/token)"]];
    const QUESTION_KEY = { budget: "budget", compute: "compute", params: "params", tokens: "tokens", "target-loss": "target_loss" };
    const PAGES = {
      plan: {
        title: "How big a model for this budget?",
        command: () => "plan",
        fields: [
          { id: "question", label: "Question", type: "select", options: QUESTIONS, def: "budget" },
          { id: "amount", label: "Amount", type: "text", def: "$10M", flag: v => "--" + v.question,
            hint: "as on the command line: $10M, 5.7e24, 70B, 1.4T" },
          { id: "gpu", label: "Accelerator", type: "select", options: "accelerators", def: "h100", flag: "--gpu", empty: "(none: no cost)" },
          { id: "law", label: "Scaling law", type: "select", options: "laws", def: "epoch2024", flag: "--law",
            show: v => !v["all-laws"] },
          { id: "all-laws", label: "Compare every law", type: "check", def: false, flag: "--all-laws" },
          { id: "mfu", label: "MFU (0–1)", type: "text", def: "", flag: "--mfu", hint: "default 0.40", show: v => v.gpu },
          { id: "price", label: "US$ per accelerator-hour", type: "text", def: "", flag: "--price", hint: "default: catalog price", show: v => v.gpu },
          { id: "gpus", label: "Accelerators in the cluster", type: "text", kind: "count", def: "", flag: "--gpus", hint: "for wall-clock days", show: v => v.gpu },
        ],
        request(v, n) {
          const r = {};
          r[QUESTION_KEY[v.question]] = n.amount;
          if (v.gpu) r.gpu = v.gpu;
          if (v["all-laws"]) r.all_laws = true; else r.law = v.law;
          for (const k of ["mfu", "price", "gpus"]) if (n[k] !== undefined && v.gpu) r[k] = n[k];
          return r;
        },
        use: () => "plan",
        async extra(result) {
          const rows = Array.isArray(result) ? result : [result];
          const c = rows.length ? rows[0].compute_flops : null;
          if (!c) return null;
          // The frontiers span three decades either side of C's decade, so every budget in one
          // decade asks the same question and the answer is reused; the valley is asked apart.
          const e = Math.floor(Math.log10(c));
          const lo = Math.max(Math.pow(10, e - 3), 1e15), hi = Math.min(Math.pow(10, e + 4), 1e35);
          const [frontier, valley] = await Promise.all([
            cached("plan-frontier", { compute_min: lo, compute_max: hi, points: 29 }),
            call("plan-frontier", { compute_min: c / 10, compute_max: c * 10, points: 2, bands: false, isoflop_compute: c, isoflop_points: 41 })]);
          const byLaw = {};
          for (const l of valley.laws) byLaw[l.law] = l;
          return Object.assign({}, frontier, { isoflop_compute: c, laws: frontier.laws.map(l => Object.assign({}, l, {
            isoflop: byLaw[l.law] ? byLaw[l.law].isoflop : null, isoflop_optimum: byLaw[l.law] ? byLaw[l.law].isoflop_optimum : null })) });
        },
        render: renderPlan,
      },
      cost: {
        title: "What will it cost?",
        command: v => "cost " + v.what,
        fields: [
          { id: "what", label: "Cost of", type: "select", options: [["train", "Training"], ["infer", "Serving (inference)"], ["finetune", "Fine-tuning (memory)"]], def: "train" },
          { id: "model", label: "Catalog model", type: "select", options: "models", def: "llama2-70b", flag: "--model", empty: "(none: give parameters)" },
          { id: "params", label: "Parameters", type: "text", def: "", flag: "--params", hint: "e.g. 70B; instead of a catalog model", show: v => !v.model },
          { id: "tokens", label: "Training tokens", type: "text", def: "", flag: "--tokens", hint: "e.g. 1.4T", show: v => !v.model && v.what === "train" },
          { id: "gpu", label: "Accelerator", type: "select", options: "accelerators", def: "h100", flag: "--gpu" },
          { id: "precision", label: "Weights", type: "select", options: [["", "default (bf16)"], ["bf16", "bf16"], ["fp16", "fp16"], ["fp8", "fp8"], ["int8", "int8"], ["int4", "int4"]], def: "", flag: "--precision", show: v => v.what === "infer" },
          { id: "prompt", label: "Prompt tokens per query", type: "text", def: "", flag: "--prompt", hint: "default 1,000", show: v => v.what === "infer" },
          { id: "output", label: "Output tokens per query", type: "text", def: "", flag: "--output", hint: "default 250", show: v => v.what === "infer" },
          { id: "queries", label: "Queries per day", type: "text", def: "", flag: "--queries-per-day", hint: "for the yearly bill", show: v => v.what === "infer" },
          { id: "method", label: "Method", type: "select", options: [["full", "full"], ["lora", "LoRA"], ["qlora", "QLoRA"]], def: "qlora", flag: "--method", show: v => v.what === "finetune" },
          { id: "rank", label: "LoRA rank", type: "text", kind: "count", def: "", flag: "--rank", show: v => v.what === "finetune" && v.method !== "full" },
          { id: "sequence", label: "Tokens per sequence", type: "text", kind: "count", def: "", flag: "--sequence", show: v => v.what === "finetune" },
          { id: "batch", label: "Sequences per batch", type: "text", kind: "count", def: "", flag: "--batch", show: v => v.what !== "train" },
          { id: "mfu", label: "MFU (0–1)", type: "text", def: "", flag: "--mfu", show: v => v.what === "train" },
          { id: "price", label: "US$ per accelerator-hour", type: "text", def: "", flag: "--price", hint: "default: catalog price" },
          { id: "gpus", label: "Accelerators in the cluster", type: "text", kind: "count", def: "", flag: "--gpus", show: v => v.what === "train" },
        ],
        request(v, n) {
          const model = {};
          if (v.model) model.model = v.model; else if (n.params !== undefined) model.params = n.params;
          if (v.what === "train") {
            const r = { gpu: v.gpu };
            if (v.model) r.model = v.model; else { if (n.params !== undefined) r.params = n.params; if (n.tokens !== undefined) r.tokens = n.tokens; }
            for (const k of ["mfu", "price", "gpus"]) if (n[k] !== undefined) r[k] = n[k];
            return r;
          }
          if (v.what === "infer") {
            const r = { model, gpu: v.gpu };
            if (v.precision) r.precision = v.precision;
            if (n.prompt !== undefined) r.prompt = n.prompt;
            if (n.output !== undefined) r.output = n.output;
            if (n.batch !== undefined) r.batch = n.batch;
            if (n.queries !== undefined) r.queries_per_day = n.queries;
            if (n.price !== undefined) r.price = n.price;
            return r;
          }
          const r = { model, gpu: v.gpu, method: v.method };
          for (const k of ["rank", "sequence", "batch", "price"]) if (n[k] !== undefined) r[k] = n[k];
          return r;
        },
        use: v => "cost-" + v.what,
        async extra(result, v, request) {
          if (v.what === "finetune") return null;
          const ids = (app.options.accelerators || []).filter(a => a.has_price).map(a => a.id);
          const rows = await Promise.all(ids.map(async id => {
            const r = Object.assign({}, request, { gpu: id });
            delete r.price;
            try { return { id, result: await call("cost-" + v.what, r) }; } catch (e) { return null; }
          }));
          return rows.filter(x => x);
        },
        render: renderCost,
      },
      projections: {
        title: "What will it cost by year Y, and when does text run out?",
        command: () => "project",
        fields: [
          { id: "year", label: "Year", type: "text", def: "2030", flag: "--year" },
          { id: "compute", label: "A fixed run of (FLOPs)", type: "text", def: "", flag: "--compute", hint: "priced each year; e.g. 3.15e23 (GPT-3)" },
          { id: "cross", label: "Year a frontier run crosses (US$)", type: "text", def: "", flag: "--cross", hint: "e.g. $1B" },
          { id: "overtrain", label: "Runway: tokens per parameter × optimal", type: "text", def: "1", flag: null },
        ],
        request(v, n) {
          const r = { year: n.year };
          if (n.compute !== undefined) r.compute = n.compute;
          if (n.cross !== undefined) r.cross_usd = n.cross;
          return r;
        },
        use: () => "project",
        async extra(result, v, request, n) {
          app.runwayCli = "scaleplan runway" + (v.overtrain && v.overtrain !== "1" ? " --overtrain " + quote(v.overtrain) : "");
          try { return await call("runway", { overtrain: n.overtrain === undefined ? 1 : n.overtrain }); }
          catch (e) { return { error: e.message }; }
        },
        render: renderProjections,
      },
    };

    // ---------- controls ----------
    function optionsFor(f) {
      if (Array.isArray(f.options)) return f.options;
      const o = app.options || {};
      const list = f.options === "accelerators" ? (o.accelerators || []).map(a => [a.id, a.id + " — " + a.name])
        : f.options === "laws" ? (o.laws || []).map(l => [l.id, l.id])
        : (o.models || []).map(m => [m.id, m.name]);
      return f.empty ? [["", f.empty]].concat(list) : list;
    }
    function drawControls(page, values) {
      const box = document.getElementById("controls");
      let html = "<h1>" + esc(page.title) + "</h1>";
      for (const f of page.fields) {
        const id = "f-" + f.id;
        html += '<div class="field' + (f.type === "check" ? " check" : "") + '" data-field="' + f.id + '">';
        if (f.type === "select") {
          html += '<label for="' + id + '">' + esc(f.label) + '</label><select id="' + id + '" name="' + f.id + '">';
          for (const [val, text] of optionsFor(f)) html += '<option value="' + esc(val) + '"' + (values[f.id] === val ? " selected" : "") + ">" + esc(text) + "</option>";
          html += "</select>";
        } else if (f.type === "check") {
          html += '<input type="checkbox" id="' + id + '" name="' + f.id + '"' + (values[f.id] ? " checked" : "") + '> <label for="' + id + '">' + esc(f.label) + "</label>";
        } else {
          html += '<label for="' + id + '">' + esc(f.label) + '</label><input type="text" id="' + id + '" name="' + f.id + '" value="' + esc(values[f.id]) + '" autocomplete="off" spellcheck="false">';
        }
        if (f.hint) html += '<div class="hint">' + esc(f.hint) + "</div>";
        html += '<div class="field-error" hidden></div></div>';
      }
      box.innerHTML = html;
      box.querySelectorAll("input, select").forEach(el => {
        el.addEventListener(el.type === "text" ? "input" : "change", changed);
      });
      applyVisibility(page, values);
    }
    function readValues(page) {
      const v = {};
      for (const f of page.fields) {
        const el = document.getElementById("f-" + f.id);
        v[f.id] = f.type === "check" ? el.checked : el.value;
      }
      return v;
    }
    function applyVisibility(page, v) {
      for (const f of page.fields) {
        const box = document.querySelector('[data-field="' + f.id + '"]');
        if (box) box.hidden = f.show ? !f.show(v) : false;
      }
    }
    function visible(page, f, v) { return !f.show || f.show(v); }
    function flagOf(f, v) { return typeof f.flag === "function" ? f.flag(v) : f.flag; }
    function valuesFromURL(page) {
      const q = new URLSearchParams(location.search);
      const v = {};
      for (const f of page.fields) {
        if (q.has(f.id)) v[f.id] = f.type === "check" ? q.get(f.id) === "1" : q.get(f.id);
        else v[f.id] = f.def;
      }
      return v;
    }
    function writeURL(page, v) {
      const q = new URLSearchParams();
      for (const f of page.fields) {
        if (v[f.id] === f.def) continue;
        q.set(f.id, f.type === "check" ? (v[f.id] ? "1" : "0") : v[f.id]);
      }
      const s = q.toString();
      history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
    }
    function quote(s) { return /^[A-Za-z0-9._\/:=+-]+$/.test(s) ? s : "'" + String(s).replace(/'/g, "'\\''") + "'"; }
    function cliCommand(page, v) {
      let parts = ["scaleplan", page.command(v)];
      for (const f of page.fields) {
        const flag = flagOf(f, v);
        if (!flag || !visible(page, f, v)) continue;
        if (f.type === "check") { if (v[f.id]) parts.push(flag); continue; }
        if (v[f.id] === "" || v[f.id] === undefined) continue;
        // A value that starts with "-" must be joined to its flag, or the parser reads a flag.
        if (String(v[f.id]).startsWith("-")) parts.push(flag + "=" + quote(v[f.id]));
        else parts.push(flag, quote(v[f.id]));
      }
      return parts.join(" ");
    }

    // ---------- errors ----------
    function clearErrors() {
      document.getElementById("error").hidden = true;
      document.querySelectorAll(".field-error").forEach(e => { e.hidden = true; e.textContent = ""; });
      document.querySelectorAll("[aria-invalid]").forEach(e => e.removeAttribute("aria-invalid"));
    }
    function showError(page, v, sentence) {
      const box = document.getElementById("error");
      box.textContent = sentence;
      box.hidden = false;
      // Beside the field whose flag the sentence names first.
      let best = null, at = Infinity;
      for (const f of page.fields) {
        const flag = flagOf(f, v);
        if (!flag || !visible(page, f, v)) continue;
        const re = new RegExp(flag.replace(/[-]/g, "\\-") + "(?![a-z-])");
        const m = sentence.search(re);
        if (m >= 0 && m < at) { at = m; best = f; }
      }
      if (best) {
        const wrap = document.querySelector('[data-field="' + best.id + '"]');
        const e = wrap.querySelector(".field-error");
        e.textContent = sentence; e.hidden = false;
        document.getElementById("f-" + best.id).setAttribute("aria-invalid", "true");
      }
      document.body.dataset.state = "error";
    }

    // ---------- update ----------
    // Changes that arrive while an answer is on its way are coalesced into one more request,
    // so typing does not queue a request per keystroke; the time reported runs from the latest
    // change the drawn answer includes.
    let running = false, again = false;
    function changed() { app.changedAt = performance.now(); update(); }
    async function update() {
      if (running) { again = true; return; }
      running = true;
      try { await answer(); } finally { running = false; }
      if (again) { again = false; update(); }
    }
    async function answer() {
      const page = app.page;
      const seq = ++app.seq;
      const t0 = app.changedAt || performance.now();
      app.changedAt = null;
      const v = readValues(page);
      applyVisibility(page, v);
      writeURL(page, v);
      const cli = cliCommand(page, v);
      document.getElementById("cli").textContent = cli;
      try {
        const fields = [];
        for (const f of page.fields) {
          if (f.type !== "text" || v[f.id] === "" || !visible(page, f, v)) continue;
          fields.push({ flag: flagOf(f, v) || ("--" + f.id), text: v[f.id], kind: f.kind || "number", id: f.id });
        }
        const n = {};
        if (fields.length) {
          const parsed = await call("parse", { fields });
          for (const f of fields) n[f.id] = parsed.values[f.flag];
        }
        const t1 = performance.now();
        const request = page.request(v, n);
        const result = await call(page.use(v), request, true);
        const t2 = performance.now();
        const extra = page.extra ? await page.extra(result, v, request, n) : null;
        const t3 = performance.now();
        if (seq !== app.seq) return;
        clearErrors();
        app.last = { page: app.pageName, request, result, extra, cli, values: v };
        page.render(result, extra, v);
        app.phases.push({ parse: t1 - t0, answer: t2 - t1, extra: t3 - t2, draw: performance.now() - t3 });
        document.body.dataset.state = "ok";
      } catch (e) {
        if (seq !== app.seq) return;
        clearErrors();
        app.last = { page: app.pageName, error: e.message, cli, values: v };
        document.getElementById("results").innerHTML = "";
        document.getElementById("charts").innerHTML = "";
        showError(page, v, e.message);
      }
      const ms = performance.now() - t0;
      app.timings.push(ms);
      app.renders += 1;
      document.body.dataset.renders = String(app.renders);
      document.getElementById("timing").textContent = "answered and drawn in " + ms.toFixed(1) + " ms";
    }

    // ---------- numbers and explanations ----------
    function num(value, text, key, topic) {
      if (value === null || value === undefined) return '<span class="none">—</span>';
      return '<button type="button" class="num" data-key="' + esc(key) + '" data-value="' + esc(String(value)) + '" data-topic="' + esc(topic || "") + '">' + esc(text) + "</button>";
    }
    function card(label, value, text, key, topic, band) {
      return '<div class="card"><div class="label">' + esc(label) + "</div>" + num(value, text, key, topic) +
        (band ? '<div class="band">' + esc(band) + "</div>" : "") + "</div>";
    }
    function stepsOf(obj, out) {
      if (!obj || typeof obj !== "object") return out;
      if (obj.explanation && Array.isArray(obj.explanation.steps)) out.push(...obj.explanation.steps);
      if (Array.isArray(obj)) obj.forEach(o => stepsOf(o, out));
      return out;
    }
    function openExplain(button) {
      const steps = stepsOf(app.last && app.last.result, []);
      const topic = (button.dataset.topic || "").toLowerCase().split("|").filter(x => x);
      let html = '<p><strong>' + esc(button.textContent) + "</strong> <code>" + esc(button.dataset.key) + " = " + esc(button.dataset.value) + "</code></p>";
      if (!steps.length) html += "<p>This figure is read from the catalog; its source is shown beside it.</p>";
      let first = null;
      steps.forEach((s, i) => {
        const hit = topic.some(t => (s.quantity || "").toLowerCase().includes(t));
        if (hit && first === null) first = i;
        html += '<div class="step' + (hit ? " hit" : "") + '" id="step-' + i + '"><div class="q">' + esc(s.quantity) + "</div>" +
          '<div class="f">' + esc(s.formula) + "</div><ul>" +
          (s.inputs || []).map(inp => "<li>" + esc(inp.symbol || inp.name || "") + " = " + esc(inp.value) + ' <span class="src">(' + esc(inp.source) + ")</span></li>").join("") +
          "</ul><div>= " + esc(s.result) + '</div><div class="src">' + esc(s.source) + "</div></div>";
      });
      document.getElementById("explain-body").innerHTML = html;
      const panel = document.getElementById("explain");
      panel.hidden = false;
      if (first !== null) document.getElementById("step-" + first).scrollIntoView({ block: "nearest" });
      document.getElementById("explain-close").focus();
    }

    // ---------- charts ----------
    function niceLog(lo, hi) {
      const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
      const step = Math.max(1, Math.ceil((b - a) / 7));
      const t = [];
      for (let e = a; e <= b; e += step) t.push(Math.pow(10, e));
      return t;
    }
    function niceLinear(lo, hi) {
      const span = hi - lo || Math.abs(hi) || 1;
      const raw = span / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
      const step = [1, 2, 5, 10].map(m => m * p).find(s => s >= raw);
      const t = [];
      for (let x = Math.ceil(lo / step) * step; x <= hi + 1e-12 * span; x += step) t.push(x);
      return t;
    }
    function lineChart(o) {
      const W = 600, H = 340, L = 64, R = 190, T = 28, B = 44;
      const xs = [], ys = [];
      for (const s of o.series) {
        for (const p of s.pts) { xs.push(p[0]); ys.push(p[1]); }
        for (const b of (s.band || [])) { ys.push(b[1], b[2]); }
      }
      const fin = a => a.filter(x => isFinite(x) && (!o.ylog || x > 0));
      const X = fin(xs), Y = fin(ys);
      if (!X.length || !Y.length) return "";
      let x0 = Math.min(...X), x1 = Math.max(...X), y0 = Math.min(...Y), y1 = Math.max(...Y);
      if (o.ylog) { y0 /= 1.3; y1 *= 1.3; } else { const pad = (y1 - y0) * 0.06 || 0.1; y0 -= pad; y1 += pad; }
      const fx = x => o.xlog ? Math.log10(x) : x, fy = y => o.ylog ? Math.log10(y) : y;
      const sx = x => L + (fx(x) - fx(x0)) / ((fx(x1) - fx(x0)) || 1) * (W - L - R);
      const sy = y => H - B - (fy(y) - fy(y0)) / ((fy(y1) - fy(y0)) || 1) * (H - T - B);
      let svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="' + esc(o.title) + '">';
      svg += '<rect x="0" y="0" width="' + W + '" height="' + H + '" fill="#fff"/>';
      svg += '<text x="' + L + '" y="16" font-weight="600">' + esc(o.title) + "</text>";
      const xt = o.xlog ? niceLog(x0, x1) : niceLinear(x0, x1);
      const yt = o.ylog ? niceLog(y0, y1) : niceLinear(y0, y1);
      for (const t of xt) if (t >= x0 * (o.xlog ? 0.999 : 1) && t <= x1 * (o.xlog ? 1.001 : 1) + (o.xlog ? 0 : 1e-9)) {
        svg += '<line x1="' + sx(t) + '" x2="' + sx(t) + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#eee"/>';
        svg += '<text x="' + sx(t) + '" y="' + (H - B + 14) + '" text-anchor="middle">' + esc(o.xfmt ? o.xfmt(t) : (o.xlog ? sci(t) : si(t))) + "</text>";
      }
      for (const t of yt) if (t >= y0 && t <= y1) {
        svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + sy(t) + '" y2="' + sy(t) + '" stroke="#eee"/>';
        svg += '<text x="' + (L - 6) + '" y="' + (sy(t) + 4) + '" text-anchor="end">' + esc(o.yfmt ? o.yfmt(t) : (o.ylog ? sci(t) : trim(t.toPrecision(3)))) + "</text>";
      }
      svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + (H - B) + '" y2="' + (H - B) + '" stroke="#888"/>';
      svg += '<line x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#888"/>';
      svg += '<text x="' + ((L + W - R) / 2) + '" y="' + (H - 8) + '" text-anchor="middle">' + esc(o.xlabel) + "</text>";
      svg += '<text transform="translate(14 ' + ((T + H - B) / 2) + ') rotate(-90)" text-anchor="middle">' + esc(o.ylabel) + "</text>";
      o.series.forEach((s, i) => {
        const c = s.color || PALETTE[i % PALETTE.length];
        const band = (s.band || []).filter(b => isFinite(b[1]) && isFinite(b[2]) && (!o.ylog || (b[1] > 0 && b[2] > 0)));
        if (band.length > 1) {
          const up = band.map(b => sx(b[0]) + "," + sy(b[2])).join(" ");
          const down = band.slice().reverse().map(b => sx(b[0]) + "," + sy(b[1])).join(" ");
          svg += '<polygon points="' + up + " " + down + '" fill="' + c + '" fill-opacity="0.13" stroke="none"/>';
        }
        const pts = s.pts.filter(p => isFinite(p[1]) && (!o.ylog || p[1] > 0));
        if (pts.length) svg += '<polyline fill="none" stroke="' + c + '" stroke-width="2"' + (i >= PALETTE.length || s.dash ? ' stroke-dasharray="5 3"' : "") + ' points="' + pts.map(p => sx(p[0]) + "," + sy(p[1])).join(" ") + '"/>';
        for (const m of (s.marks || [])) svg += '<circle cx="' + sx(m[0]) + '" cy="' + sy(m[1]) + '" r="4" fill="' + c + '" stroke="#fff"/>';
        const ly = T + 8 + i * 16;
        svg += '<line x1="' + (W - R + 10) + '" x2="' + (W - R + 28) + '" y1="' + ly + '" y2="' + ly + '" stroke="' + c + '" stroke-width="3"/>';
        svg += '<text x="' + (W - R + 32) + '" y="' + (ly + 4) + '">' + esc(s.name) + "</text>";
      });
      if (o.vline !== undefined && isFinite(o.vline)) svg += '<line x1="' + sx(o.vline) + '" x2="' + sx(o.vline) + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#444" stroke-dasharray="3 3"/>';
      return svg + "</svg>";
    }
    function barChart(o) {
      const W = 560, rowH = 20, L = 150, R = 90, T = 28;
      const items = o.items.filter(it => isFinite(it.value) && it.value > 0);
      const H = T + items.length * rowH + 30;
      const max = Math.max(...items.map(i => i.value), 0) || 1;
      let svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="' + esc(o.title) + '">';
      svg += '<rect x="0" y="0" width="' + W + '" height="' + H + '" fill="#fff"/><text x="8" y="16" font-weight="600">' + esc(o.title) + "</text>";
      items.forEach((it, i) => {
        const y = T + i * rowH, w = (W - L - R) * it.value / max;
        svg += '<text x="' + (L - 6) + '" y="' + (y + 14) + '" text-anchor="end"' + (it.bold ? ' font-weight="700"' : "") + ">" + esc(it.label) + "</text>";
        svg += '<rect x="' + L + '" y="' + (y + 3) + '" width="' + Math.max(1, w) + '" height="' + (rowH - 6) + '" fill="' + (it.bold ? PALETTE[1] : PALETTE[0]) + '"/>';
        svg += '<text x="' + (L + w + 4) + '" y="' + (y + 14) + '">' + esc(it.text) + "</text>";
      });
      svg += '<text x="' + L + '" y="' + (H - 8) + '">' + esc(o.xlabel) + "</text>";
      return svg + "</svg>";
    }
    function stackChart(o) {
      const W = 560, L = 10, R = 10, T = 34, bh = 26, H = T + bh + 16 + o.parts.length * 16;
      const total = Math.max(o.capacity || 0, o.parts.reduce((a, p) => a + p.value, 0)) || 1;
      let svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="' + esc(o.title) + '">';
      svg += '<rect x="0" y="0" width="' + W + '" height="' + H + '" fill="#fff"/><text x="8" y="16" font-weight="600">' + esc(o.title) + "</text>";
      let x = L;
      o.parts.forEach((p, i) => {
        const w = (W - L - R) * p.value / total;
        svg += '<rect x="' + x + '" y="' + T + '" width="' + w + '" height="' + bh + '" fill="' + PALETTE[i % PALETTE.length] + '"/>';
        svg += '<rect x="' + L + '" y="' + (T + bh + 8 + i * 16) + '" width="10" height="10" fill="' + PALETTE[i % PALETTE.length] + '"/>';
        svg += '<text x="' + (L + 14) + '" y="' + (T + bh + 17 + i * 16) + '">' + esc(p.name + ": " + bytes(p.value)) + "</text>";
        x += w;
      });
      if (o.capacity) {
        const cx = L + (W - L - R) * o.capacity / total;
        svg += '<line x1="' + cx + '" x2="' + cx + '" y1="' + (T - 6) + '" y2="' + (T + bh + 6) + '" stroke="#000" stroke-width="2"/>';
        svg += '<text x="' + Math.min(cx, W - R) + '" y="' + (T - 9) + '" text-anchor="end">' + esc("one accelerator: " + bytes(o.capacity)) + "</text>";
      }
      return svg + "</svg>";
    }
    function figure(svg, caption) {
      if (!svg) return "";
      app.charts.push(svg);
      return "<figure>" + svg + "<figcaption>" + esc(caption) + "</figcaption></figure>";
    }

    // ---------- renderers ----------
    function interval(iv, f) { return iv && iv.length === 2 ? "80%: " + f(iv[0]) + " – " + f(iv[1]) : ""; }
    function warnings(list) { return (list || []).length ? '<div class="notes">' + list.map(esc).join("<br>") + "</div>" : ""; }
    function renderPlan(result, frontier) {
      app.charts = [];
      let html = "";
      if (Array.isArray(result)) {
        html += "<table><thead><tr><th>law</th><th>N*</th><th>D*</th><th>D/N</th><th>loss</th><th>cost</th></tr></thead><tbody>";
        result.forEach((r, i) => {
          html += "<tr><td>" + esc(r.law) + "</td><td>" + num(r.params, si(r.params), "[" + i + "].params", "allocation|compute-optimal") + "</td><td>" +
            num(r.tokens, si(r.tokens), "[" + i + "].tokens", "allocation|compute-optimal") + "</td><td>" +
            num(r.tokens_per_param, trim(r.tokens_per_param.toPrecision(3)), "[" + i + "].tokens_per_param", "allocation") + "</td><td>" +
            num(r.loss, fixed(r.loss, 3), "[" + i + "].loss", "loss") + "</td><td>" + num(r.cost_usd, dollars(r.cost_usd), "[" + i + "].cost_usd", "cost|dollar") + "</td></tr>";
        });
        html += "</tbody></table><div class=\"notes\">Losses are in nats/token on each law's own data set: compare losses within a law, not across laws.</div>";
      } else {
        const r = result;
        html += '<div class="cards">' +
          card("Parameters N*", r.params, si(r.params), "params", "allocation|compute-optimal", interval(r.params_interval, si)) +
          card("Training tokens D*", r.tokens, si(r.tokens), "tokens", "allocation|compute-optimal", interval(r.tokens_interval, si)) +
          card("Tokens per parameter", r.tokens_per_param, trim(r.tokens_per_param.toPrecision(3)), "tokens_per_param", "allocation") +
          card("Predicted loss (nats/token)", r.loss, fixed(r.loss, 3), "loss", "loss") +
          card("Compute", r.compute_flops, sci(r.compute_flops) + " FLOP", "compute_flops", "compute") +
          (r.cost_usd !== undefined ? card("Cost", r.cost_usd, dollars(r.cost_usd), "cost_usd", "cost|dollar") : "") +
          (r.accelerator_hours !== undefined ? card("Accelerator-hours", r.accelerator_hours, si(r.accelerator_hours), "accelerator_hours", "hours") : "") +
          (r.wall_clock_days !== undefined ? card("Wall-clock days", r.wall_clock_days, trim(r.wall_clock_days.toPrecision(3)), "wall_clock_days", "wall") : "") +
          "</div>";
        html += '<div class="notes">Law: ' + esc(r.citation) + (r.interval_method ? "<br>Intervals: " + esc(r.interval_method) : "") +
          (r.setup ? "<br>MFU " + esc(r.setup.mfu) + " (" + esc(r.setup.mfu_source) + "); price $" + esc(r.setup.price_per_hour) + "/h (" + esc(r.setup.price_source) + ")" : "") + "</div>";
        html += warnings(r.warnings);
      }
      document.getElementById("results").innerHTML = html;
      let charts = "";
      if (frontier && frontier.laws) {
        const laws = frontier.laws;
        const c = frontier.isoflop_compute;
        charts += figure(lineChart({ title: "Compute-optimal parameters N*(C)", xlabel: "training compute C (FLOP)", ylabel: "parameters", xlog: true, ylog: true, vline: c,
          series: laws.map(l => ({ name: l.law, pts: l.points.map(p => [p.compute, p.params]), band: l.points.filter(p => p.params_interval).map(p => [p.compute, p.params_interval[0], p.params_interval[1]]) })) }),
          "Every law's N*(C), with its 80% band where the law publishes uncertainty; the dashed line is this budget.");
        charts += figure(lineChart({ title: "Compute-optimal tokens D*(C)", xlabel: "training compute C (FLOP)", ylabel: "tokens", xlog: true, ylog: true, vline: c,
          series: laws.map(l => ({ name: l.law, pts: l.points.map(p => [p.compute, p.tokens]), band: l.points.filter(p => p.tokens_interval).map(p => [p.compute, p.tokens_interval[0], p.tokens_interval[1]]) })) }),
          "Every law's D*(C) = C / (6 N*).");
        const valley = laws.filter(l => l.isoflop && l.isoflop.length);
        if (valley.length) charts += figure(lineChart({ title: "IsoFLOP valley at C = " + sci(c), xlabel: "parameters N (D = C / 6N)", ylabel: "loss (nats/token)", xlog: true, ylog: false,
          series: valley.map(l => ({ name: l.law, pts: l.isoflop.map(p => [p.params, p.loss]), marks: l.isoflop_optimum ? [[l.isoflop_optimum.params, l.isoflop_optimum.loss]] : [] })) }),
          "Loss of every model size trained with this compute (Hoffmann et al. 2022 Fig. 3); the dot is each law's optimum.");
      }
      document.getElementById("charts").innerHTML = charts;
    }
    function renderCost(r, comparison, v) {
      app.charts = [];
      let html = '<div class="cards">';
      if (v.what === "train") {
        html += card("Training compute", r.flops, sci(r.flops) + " FLOP", "flops", "compute|flops") +
          card("Cost", r.cost_usd, dollars(r.cost_usd), "cost_usd", "cost|dollar") +
          card("Accelerator-hours", r.accelerator_hours, si(r.accelerator_hours), "accelerator_hours", "hours") +
          card("Wall-clock days", r.wall_clock_days, fixed(r.wall_clock_days, 1), "wall_clock_days", "wall") +
          card("Energy (kWh)", r.energy_kwh, si(r.energy_kwh), "energy_kwh", "energy") +
          card("CO₂ (tonnes)", r.co2_tonnes, si(r.co2_tonnes), "co2_tonnes", "co2") +
          card("Training memory", r.memory_bytes, bytes(r.memory_bytes), "memory_bytes", "memory") +
          card("Accelerators to hold it", r.min_accelerators, String(r.min_accelerators), "min_accelerators", "memory");
      } else if (v.what === "infer") {
        html += card("US$ per 1M tokens", r.usd_per_million_tokens, "$" + trim(r.usd_per_million_tokens.toPrecision(3)), "usd_per_million_tokens", "cost|token") +
          card("US$ per query", r.usd_per_query, "$" + trim(r.usd_per_query.toPrecision(3)), "usd_per_query", "query") +
          card("Seconds per query", r.latency_seconds_per_query, trim(r.latency_seconds_per_query.toPrecision(3)), "latency_seconds_per_query", "latency|decode") +
          card("Tokens per second", r.tokens_per_second, si(r.tokens_per_second), "tokens_per_second", "decode") +
          card("Memory (weights + KV)", r.total_memory_bytes, bytes(r.total_memory_bytes), "total_memory_bytes", "memory") +
          card("Accelerators per replica", r.accelerators_per_replica, String(r.accelerators_per_replica), "accelerators_per_replica", "memory") +
          card("Energy per query (Wh)", r.energy_wh_per_query, trim(r.energy_wh_per_query.toPrecision(3)), "energy_wh_per_query", "energy") +
          (r.bill && r.bill.usd_per_year !== undefined ? card("US$ per year", r.bill.usd_per_year, dollars(r.bill.usd_per_year), "bill.usd_per_year", "year|bill") : "");
      } else {
        html += card("Memory to fine-tune", r.memory_bytes, bytes(r.memory_bytes), "memory_bytes", "memory") +
          card("Trainable parameters", r.trainable_params, si(r.trainable_params), "trainable_params", "trainable|lora") +
          card("Accelerators needed", r.accelerators_needed, String(r.accelerators_needed), "accelerators_needed", "memory") +
          card("Fits on one " + r.accelerator, r.fits_on_one ? 1 : 0, r.fits_on_one ? "yes" : "no", "fits_on_one", "memory");
      }
      html += "</div>" + warnings(r.warnings);
      document.getElementById("results").innerHTML = html;
      let charts = "";
      if (v.what === "finetune" && r.components) {
        charts += figure(stackChart({ title: "Memory of one replica", parts: r.components.map(c => ({ name: c.name, value: c.bytes })), capacity: r.accelerator_memory_gb * 1e9 }),
          "Each part of the fine-tuning memory, against one accelerator's memory.");
      }
      if (v.what === "infer") {
        charts += figure(stackChart({ title: "Serving memory", parts: [{ name: "weights", value: r.weights_bytes }, { name: "KV cache", value: r.kv_cache_bytes || 0 }], capacity: r.accelerator_memory_gb * 1e9 }),
          "Weights and KV cache of one replica, against one accelerator's memory.");
      }
      if (comparison && comparison.length) {
        const key = v.what === "train" ? "cost_usd" : "usd_per_million_tokens";
        const items = comparison.map(c => ({ label: c.id, value: c.result[key], text: v.what === "train" ? dollars(c.result[key]) : "$" + trim(c.result[key].toPrecision(3)), bold: c.id === v.gpu }))
          .sort((a, b) => a.value - b.value);
        charts += figure(barChart({ title: v.what === "train" ? "The same run on each accelerator" : "US$ per 1M tokens on each accelerator", items, xlabel: "at each accelerator's catalog price and default MFU" }),
          "Accelerators with a catalog price; the highlighted bar is the one chosen.");
      }
      document.getElementById("charts").innerHTML = charts;
    }
    function renderProjections(r, runway) {
      app.charts = [];
      let html = '<div class="cards">' +
        card("Frontier training compute in " + r.year, r.frontier_compute_flops, sci(r.frontier_compute_flops) + " FLOP", "frontier_compute_flops", "compute") +
        card("Frontier training cost in " + r.year, r.frontier_cost_usd, dollars(r.frontier_cost_usd), "frontier_cost_usd", "cost", "80%: " + dollars(r.frontier_cost_usd_p10) + " – " + dollars(r.frontier_cost_usd_p90)) +
        (r.run_cost_usd !== undefined && r.run_cost_usd !== null ? card("The fixed run in " + r.year, r.run_cost_usd, dollars(r.run_cost_usd), "run_cost_usd", "run", "80%: " + dollars(r.run_cost_usd_p10) + " – " + dollars(r.run_cost_usd_p90)) : "") +
        (r.crossing_year !== undefined && r.crossing_year !== null ? card("Crossing year", r.crossing_year, fixed(r.crossing_year, 1), "crossing_year", "cross") : "") +
        "</div>";
      if (runway && runway.error) html += '<div class="notes">Runway: ' + esc(runway.error) + "</div>";
      if (runway && !runway.error) {
        html += '<div class="cards">' +
          card("Text runs out (" + runway.scenario + " demand)", runway.exhaustion_year_median, fixed(runway.exhaustion_year_median, 1), "runway.exhaustion_year_median", "exhaust|stock",
            runway.exhaustion_year_p10 !== null && runway.exhaustion_year_p10 !== undefined ? "80%: " + fixed(runway.exhaustion_year_p10, 1) + " – " + fixed(runway.exhaustion_year_p90, 1) : "") +
          '</div><div class="notes">Runway as a command: <code id="cli-runway">' + esc(app.runwayCli) + "</code></div>";
      }
      document.getElementById("results").innerHTML = html + warnings(r.warnings);
      let charts = "";
      if (r.series && r.series.length) {
        charts += figure(lineChart({ title: "Frontier training cost", xlabel: "year", ylabel: "US$", xlog: false, ylog: true, xfmt: t => String(Math.round(t)), yfmt: t => dollars(t),
          series: [{ name: "median", pts: r.series.map(s => [s.year, s.frontier_cost_usd]), band: r.series.map(s => [s.year, s.frontier_cost_usd_p10, s.frontier_cost_usd_p90]) }] }),
          "Median and 80% band of the frontier run's cost.");
      }
      const scenarios = (runway && runway.scenarios) || [];
      if (scenarios.length) {
        const stock = scenarios[0].series;
        const series = [{ name: "stock of text", pts: stock.map(s => [s.year, s.stock_tokens]), band: stock.map(s => [s.year, s.stock_tokens_p10, s.stock_tokens_p90]) }]
          .concat(scenarios.map(sc => ({ name: sc.scenario, pts: sc.series.map(s => [s.year, s.demand_tokens]), band: sc.series.map(s => [s.year, s.demand_tokens_p10, s.demand_tokens_p90]) })));
        charts += figure(lineChart({ title: "Training-set demand vs the stock of public text", xlabel: "year", ylabel: "tokens", xlog: false, ylog: true, xfmt: t => String(Math.round(t)), series }),
          "Effective stock of public human text (Villalobos et al. 2024) and the largest training set under each demand model, with 80% bands.");
      }
      document.getElementById("charts").innerHTML = charts;
    }

    // ---------- API page ----------
    async function drawAPI() {
      const r = await fetch("/api/v1");
      const d = await r.json();
      let html = "<h1>The JSON API</h1><p>POST a use case's request to <code>/api/v1/&lt;use-case&gt;</code>; the answer is the JSON its command prints with <code>--json</code> (add <code>?explain=1</code> for the explanation). Errors are <code>{\"error\": sentence}</code> with a 4xx status.</p>";
      document.getElementById("controls").innerHTML = html;
      let out = "";
      for (const u of d.use_cases) {
        out += "<h2>" + esc(u.name) + "</h2><p>" + esc(u.summary) + " — like <code>" + esc(u.command) + "</code></p><pre class=\"api\">" + esc(JSON.stringify(u.example, null, 2)) + "</pre>";
      }
      document.getElementById("results").innerHTML = out;
      document.getElementById("share").hidden = true;
      document.body.dataset.state = "ok";
    }

    // ---------- exports ----------
    function download(name, type, text) {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([text], { type }));
      a.download = name;
      document.body.appendChild(a); a.click(); a.remove();
    }
    function csvOf(result) {
      const rows = Array.isArray(result) ? result : (result.series || [result]);
      const keys = [...new Set(rows.flatMap(r => Object.keys(r).filter(k => typeof r[k] !== "object" || r[k] === null)))];
      return keys.join(",") + "\n" + rows.map(r => keys.map(k => r[k] === undefined || r[k] === null ? "" : (typeof r[k] === "string" ? '"' + r[k].replace(/"/g, '""') + '"' : r[k])).join(",")).join("\n") + "\n";
    }

    // ---------- start ----------
    async function start() {
      const name = location.pathname.replace(/^\/+|\/+$/g, "") || "plan";
      document.querySelectorAll("nav a").forEach(a => { if (a.dataset.page === name) a.setAttribute("aria-current", "page"); });
      if (name === "api") { await drawAPI(); return; }
      app.pageName = PAGES[name] ? name : "plan";
      app.page = PAGES[app.pageName];
      app.options = await (await fetch("/api/v1/options")).json();
      drawControls(app.page, valuesFromURL(app.page));
      document.getElementById("results").addEventListener("click", e => { const b = e.target.closest("button.num"); if (b) openExplain(b); });
      document.getElementById("explain-close").addEventListener("click", () => { document.getElementById("explain").hidden = true; });
      document.addEventListener("keydown", e => { if (e.key === "Escape") document.getElementById("explain").hidden = true; });
      document.getElementById("copy-cli").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(document.getElementById("cli").textContent));
      document.getElementById("copy-link").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(location.href));
      document.getElementById("export-json").addEventListener("click", () => app.last && download("scaleplan-" + app.pageName + ".json", "application/json", JSON.stringify(app.last.result, null, 2)));
      document.getElementById("export-csv").addEventListener("click", () => app.last && app.last.result && download("scaleplan-" + app.pageName + ".csv", "text/csv", csvOf(app.last.result)));
      document.getElementById("export-svg").addEventListener("click", () => app.charts.forEach((s, i) => download("scaleplan-" + app.pageName + "-" + (i + 1) + ".svg", "image/svg+xml", s)));
      window.scaleplan.update = update;
      await update();
    }
    document.addEventListener("DOMContentLoaded", start);
    })();
    """#
}
