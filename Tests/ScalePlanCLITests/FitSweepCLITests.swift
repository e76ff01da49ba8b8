// `scaleplan fit --sweep` and `--save-as` through the built binary: a sweep of runs whose losses
// come from a known law is fitted back (the law is the independent check), saved, and used by
// `plan --law NAME --db PATH`; an existing name is refused unless --replace; CSV fits save too; a
// real (tiny) MiniGPT sweep goes through the whole pipeline.

import Fitting
import Foundation
import Lab
import RunStore
import TestSupport
import Testing

/// L = E + A/N^α + B/D^β; E plays the corpus's known entropy.
private let truth = ParametricLaw(E: 0.4, A: 50, B: 500, alpha: 0.5, beta: 0.5)

/// A temporary directory removed by the caller.
private func tempDir() throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "scaleplan-fit-sweep-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir
}

/// A database with one finished 4 × 4 grid sweep (noise-free losses from `truth`), plus one
/// diverged run; returns its path.
private func lawDatabase(in dir: URL) throws -> String {
  let path = dir.appendingPathComponent("runs.sqlite").path
  let store = try RunDatabase(path: path)
  // Law-made losses have no early plateau, so the 1M-token runs (488 steps) are kept.
  let spec = SweepSpec(
    kind: .grid, params: [12_768, 39_520, 150_080, 608_160], tokens: [1e6, 2e6, 4e6, 8e6],
    minimumSteps: 0)
  let plan = try SweepPlan(spec: spec)
  let (record, _) = try SweepRunner.openSweep(
    spec: spec, name: nil, resumeId: nil, store: store, now: Date(timeIntervalSince1970: 0))
  for p in plan.runnable {
    let n = p.achievedParams
    let d = Double(p.tokens)
    let curve = [1, 2, 4].map { k in
      StoredLossPoint(
        step: p.steps * k / 4, tokens: p.tokens * k / 4, trainLoss: 9,
        validationLoss: truth.loss(params: n, tokens: d * Double(k) / 4), learningRate: 1e-3,
        elapsedSeconds: 0)
    }
    _ = try store.insertRun(
      RunRecord(
        sweepId: record.id, sweepSlot: p.slot, createdAt: Date(timeIntervalSince1970: 0),
        status: .finished, model: RunRecorder.shape(p.model),
        training: RunRecorder.settings(p.train),
        corpus: .synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0),
        nonEmbeddingParams: n, tokensTrained: d, flops: p.flops,
        finalValidationLoss: truth.loss(params: n, tokens: d), corpusEntropy: truth.E),
      curve: curve)
  }
  _ = try store.insertRun(
    RunRecord(
      sweepId: record.id, sweepSlot: 99, createdAt: Date(timeIntervalSince1970: 0),
      status: .diverged, nonEmbeddingParams: 1e5, tokensTrained: 1e6))
  try store.setSweepStatus(id: record.id ?? 0, .finished)
  return path
}

private func json(_ data: Data) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite(
  "fit --sweep and --save-as (CLI)",
  .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not found beside the test bundle"))
struct FitSweepCLITests {
  @Test("a stored sweep is fitted back to the law that made it; diverged runs are counted")
  func fitsStoredSweep() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = try lawDatabase(in: dir)
    let r = try runBuiltScaleplan([
      "fit", "--sweep", "latest", "--db", db, "--approach", "all", "--holdout-top", "3", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let out = try json(r.stdout)
    #expect(out["n_points"] as? Int == 16)
    let sweep = try #require(out["sweep"] as? [String: Any])
    #expect((sweep["excluded"] as? [String: Int]) == ["diverged": 1])
    let p = try #require(out["approach_3"] as? [String: Any])
    // Noise-free data: the grid fit recovers the generating law.
    #expect(isClose(p["alpha"] as? Double ?? 0, truth.alpha, rel: 1e-3))
    #expect(isClose(p["beta"] as? Double ?? 0, truth.beta, rel: 1e-3))
    #expect(isClose(p["E"] as? Double ?? 0, truth.E, rel: 1e-3))
    let errors = try #require(out["holdout_relative_errors"] as? [Double])
    #expect(errors.count == 3)
    #expect(errors.allSatisfy { abs($0) < 1e-3 })
    // Approaches 1 and 2 ran on the stored curves and profiles.
    #expect((out["approach_1"] as? [String: Any])?["a"] is Double)
    #expect((out["approach_2"] as? [String: Any])?["a"] is Double)
  }

  @Test("--fixed-e entropy holds E at the runs' corpus entropy")
  func fixedEntropy() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = try lawDatabase(in: dir)
    let r = try runBuiltScaleplan([
      "fit", "--sweep", "1", "--db", db, "--fixed-e", "entropy", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let p = try #require(try json(r.stdout)["approach_3"] as? [String: Any])
    #expect(p["fixed_e"] as? Double == truth.E)
    #expect(isClose(p["alpha"] as? Double ?? 0, truth.alpha, rel: 1e-3))
  }

  @Test("--save-as stores the law; plan --law NAME --db uses it; names are not overwritten")
  func saveAndPlan() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = try lawDatabase(in: dir)
    let save = try runBuiltScaleplan([
      "fit", "--sweep", "latest", "--db", db, "--bootstrap", "40", "--save-as", "tiny",
    ])
    #expect(save.status == 0, "\(save.stderr)")
    // The stored law carries the fit, intervals and provenance.
    let law = try #require(try RunDatabase(path: db).law(named: "tiny"))
    #expect(isClose(law.law.alpha, truth.alpha, rel: 1e-3))
    #expect(law.provenance.contains("sweep 1"))
    #expect(law.provenance.contains("16 finished runs"))
    #expect(law.intervals["alpha"]?.count == 2)
    #expect(try RunDatabase(path: db).fits(sweepId: 1).map(\.approach).contains("approach3"))
    // plan --law tiny: N* from Hoffmann eq. 4 with the saved constants (computed here).
    let plan = try runBuiltScaleplan([
      "plan", "--compute", "1e21", "--law", "tiny", "--db", db, "--json",
    ])
    #expect(plan.status == 0, "\(plan.stderr)")
    let out = try json(plan.stdout)
    let p = law.law
    let g = pow(p.alpha * p.A / (p.beta * p.B), 1 / (p.alpha + p.beta))
    let nStar = g * pow(1e21 / 6, p.beta / (p.alpha + p.beta))
    #expect(isClose(out["params"] as? Double ?? 0, nStar, rel: 1e-6))
    // The law keeps its bootstrap refits, and plan's 80 % interval is the 10th–90th percentile
    // (linear interpolation between order statistics) of N* over them, recomputed here.
    let rows = try #require(law.uncertainty?.samples)
    #expect(rows.count >= 36 && rows.count <= 40 && rows.allSatisfy { $0.count == 5 })
    let ns = rows.map { r -> Double in
      let (A, B, alpha, beta) = (r[1], r[2], r[3], r[4])
      let gr = pow(alpha * A / (beta * B), 1 / (alpha + beta))
      return gr * pow(1e21 / 6, beta / (alpha + beta))
    }.sorted()
    func percentile(_ p: Double) -> Double {
      let h = Double(ns.count - 1) * p
      let k = Int(h)
      return k + 1 < ns.count ? ns[k] + (ns[k + 1] - ns[k]) * (h - Double(k)) : ns[k]
    }
    let interval = try #require(out["params_interval"] as? [Double])
    #expect(isClose(interval[0], percentile(0.1), rel: 1e-9))
    #expect(isClose(interval[1], percentile(0.9), rel: 1e-9))
    let text = try runBuiltScaleplan(["plan", "--compute", "1e21", "--law", "tiny", "--db", db])
    #expect(
      String(decoding: text.stdout, as: UTF8.self).contains(
        "percentiles over the fit's \(rows.count) bootstrap refits"))
    // Saving again under the same name is refused with one sentence, unless --replace.
    let again = try runBuiltScaleplan([
      "fit", "--sweep", "latest", "--db", db, "--save-as", "tiny",
    ])
    #expect(again.status != 0)
    #expect(again.stderr.contains("already saved") && again.stderr.contains("--replace"))
    let replaced = try runBuiltScaleplan([
      "fit", "--sweep", "latest", "--db", db, "--save-as", "tiny", "--replace",
    ])
    #expect(replaced.status == 0, "\(replaced.stderr)")
  }

  @Test("a CSV fit saves into --db and plans with --law")
  func csvSave() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    var csv = "N,D,L\n"
    for n in [1e4, 3e4, 1e5, 3e5] {
      for d in [1e6, 3e6, 1e7] { csv += "\(n),\(d),\(truth.loss(params: n, tokens: d))\n" }
    }
    let file = dir.appendingPathComponent("runs.csv")
    try csv.write(to: file, atomically: true, encoding: .utf8)
    let db = dir.appendingPathComponent("laws.sqlite").path
    let save = try runBuiltScaleplan([
      "fit", "--csv", file.path, "--columns", "params=N,tokens=D,loss=L", "--save-as", "ours",
      "--db", db,
    ])
    #expect(save.status == 0, "\(save.stderr)")
    let plan = try runBuiltScaleplan(["plan", "--compute", "1e21", "--law", "ours", "--db", db])
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(try RunDatabase(path: db).law(named: "ours")?.provenance.contains("runs.csv") == true)
  }

  @Test("a real tiny MiniGPT sweep goes through fit --sweep")
  func realTinySweep() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("runs.sqlite").path
    let store = try RunDatabase(path: db)
    let spec = SweepSpec(
      kind: .grid, params: [3_312, 6_592, 13_000], tokens: [640, 1_280], batch: 4, context: 16,
      evalEvery: 5, evalWindows: 4, minimumSteps: 0)
    let (record, resumed) = try SweepRunner.openSweep(
      spec: spec, name: nil, resumeId: nil, store: store, now: Date(timeIntervalSince1970: 0))
    let outcome = try SweepRunner.run(
      plan: try SweepPlan(spec: spec), sweep: record, resumed: resumed, store: store, jobs: 1,
      threadsPerRunAlone: 1, stop: StopFlag(),
      runner: SweepRunner.miniGPTRunner(store: store, now: { Date(timeIntervalSince1970: 0) }))
    #expect(outcome.status == .finished)
    let r = try runBuiltScaleplan([
      "fit", "--sweep", "latest", "--db", db, "--approach", "all", "--grid", "coarse", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let out = try json(r.stdout)
    #expect(out["n_points"] as? Int == 6)
    #expect((out["sweep"] as? [String: Any])?["corpus_entropy"] is Double)
    #expect(out["approach_3"] is [String: Any])
  }

  @Test("bad combinations are refused with one sentence")
  func refusals() throws {
    let both = try runBuiltScaleplan(["fit", "--sweep", "latest", "--csv", "x.csv"])
    #expect(both.status != 0)
    #expect(both.stderr.contains("not both"))
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let empty = try runBuiltScaleplan([
      "fit", "--sweep", "latest", "--db", dir.appendingPathComponent("e.sqlite").path,
    ])
    #expect(empty.status != 0)
    #expect(empty.stderr.contains("no sweeps"))
  }
}
