// SweepEvidence: stored sweep → observations, curves and isoFLOP profiles; exclusions counted;
// grid interpolation checked by hand; Approach 2 on a dense grid from a known law recovers
// a = β/(α+β) (Hoffmann et al. 2022, eq. 4).

import Fitting
import Foundation
import Lab
import RunStore
import TestSupport
import Testing

/// L = E + A/N^α + B/D^β with E 0.4, A 50, α 0.5, B 500, β 0.5 (a = 0.5).
let knownLaw = ParametricLaw(E: 0.4, A: 50, B: 500, alpha: 0.5, beta: 0.5)

/// A store holding one sweep of `spec` whose runnable slots are finished runs with losses from
/// `law` (noise-free), each with validation checkpoints at D/4, D/2 and D.
func lawSweep(
  _ spec: SweepSpec, law: ParametricLaw = knownLaw, store: RunDatabase? = nil
) throws -> (RunDatabase, SweepRecord, SweepPlan) {
  let s = try store ?? RunDatabase.inMemory()
  let plan = try SweepPlan(spec: spec)
  let (record, _) = try SweepRunner.openSweep(
    spec: spec, name: nil, resumeId: nil, store: s, now: Date(timeIntervalSince1970: 0))
  for p in plan.runnable {
    let n = p.achievedParams
    let d = Double(p.tokens)
    let curve = [1, 2, 4].map { k -> StoredLossPoint in
      let t = Int(d) * k / 4
      return StoredLossPoint(
        step: p.steps * k / 4, tokens: t, trainLoss: 9,
        validationLoss: law.loss(params: n, tokens: Double(t)), learningRate: 1e-3,
        elapsedSeconds: 0)
    }
    _ = try s.insertRun(
      RunRecord(
        sweepId: record.id, sweepSlot: p.slot, createdAt: Date(timeIntervalSince1970: 0),
        status: .finished, model: RunRecorder.shape(p.model),
        training: RunRecorder.settings(p.train), corpus: RunRecorder.description(p.corpus),
        nonEmbeddingParams: n, tokensTrained: d, flops: p.flops,
        finalValidationLoss: law.loss(params: n, tokens: d), corpusEntropy: law.E),
      curve: curve)
  }
  var done = record
  try s.setSweepStatus(id: record.id ?? 0, .finished)
  done.status = .finished
  return (s, done, plan)
}

@Suite("Sweep evidence")
struct SweepEvidenceTests {
  @Test("finished runs become observations; diverged, interrupted, running and short runs don't")
  func exclusions() throws {
    // Given a 2×2 grid sweep (minimum 100 steps) whose four runs finished, plus four more rows
    let spec = SweepSpec(
      kind: .grid, params: [12_768, 39_520], tokens: [1e6, 2e6], minimumSteps: 100)
    let (store, sweep, plan) = try lawSweep(spec)
    let template = try #require(try store.runs(sweepId: sweep.id).first)
    for (status, tokens) in [
      (RunState.diverged, 1e6), (.interrupted, 1e6), (.running, 1e6), (.finished, 50 * 2048.0),
    ] {
      var r = template
      r.id = nil
      r.sweepSlot = 99
      r.status = status
      r.tokensTrained = tokens
      _ = try store.insertRun(r)
    }
    // When loading it
    let ev = try SweepEvidence.load(sweep, store: store)
    // Then the four planned runs are fitted and each other row is excluded with its reason
    #expect(ev.observations.count == plan.runnable.count)
    #expect(
      ev.excludedCounts == ["diverged": 1, "interrupted": 1, "running": 1, "too_short": 1])
    #expect(ev.excluded.contains { $0.reason == .tooShort(steps: 50, minimum: 100) })
    // and (N, D, L) are the stored values, L the law at (N, D)
    for (o, p) in zip(ev.observations, plan.runnable) {
      #expect(o.params == p.achievedParams)
      #expect(o.tokens == Double(p.tokens))
      #expect(o.loss == knownLaw.loss(params: p.achievedParams, tokens: Double(p.tokens)))
    }
    // and curve points sit at FLOPs = F_K per token × tokens
    let p0 = plan.runnable[0]
    let last = try #require(ev.curves[0].points.last)
    #expect(isClose(last.flops, p0.model.trainingFLOPsPerToken * Double(p0.tokens), rel: 1e-12))
    let first = try #require(ev.curves[0].points.first)
    #expect(
      isClose(first.flops, p0.model.trainingFLOPsPerToken * Double(p0.tokens / 4), rel: 1e-12))
    // and the corpus entropy is the one stored with the runs
    #expect(ev.corpusEntropy == knownLaw.E)
  }

  @Test("sweep selectors: latest, id, name; unknown names are one sentence")
  func selectors() throws {
    let (store, sweep, _) = try lawSweep(
      SweepSpec(kind: .grid, params: [12_768], tokens: [1e6], minimumSteps: 0))
    #expect(try SweepEvidence.sweep("latest", in: store).id == sweep.id)
    #expect(try SweepEvidence.sweep("\(sweep.id ?? 0)", in: store).id == sweep.id)
    #expect(try SweepEvidence.sweep(sweep.name, in: store).id == sweep.id)
    let error = #expect(throws: SweepError.self) { try SweepEvidence.sweep("nope", in: store) }
    #expect(error?.description.contains("'nope'") == true)
  }

  @Test("grid profiles interpolate log L linearly in log D, per size")
  func interpolation() {
    // Given three sizes with two runs each, C = 6ND, all spanning the budget C = 1e12
    let sizes = [1e4, 2e4, 4e4]
    var obs: [Observation] = []
    for n in sizes {
      let d0 = 1e12 / (6 * n) / 2
      obs.append(Observation(params: n, tokens: d0, loss: 1.0 + n / 1e5))
      obs.append(Observation(params: n, tokens: 4 * d0, loss: 0.5 + n / 1e5))
    }
    // When profiles are built
    let profiles = GridProfiles.profiles(obs, compute: obs.map { 6 * $0.params * $0.tokens })
    let p = profiles.first { abs($0.compute / 1e12 - 1) < 1e-9 }
    // Then at 1e12 each size's loss is the log-log interpolation at D = 2·d0: t = 1/2 of the way
    #expect(p?.params == sizes)
    for (k, n) in sizes.enumerated() {
      let expected = exp(0.5 * log(1.0 + n / 1e5) + 0.5 * log(0.5 + n / 1e5))
      #expect(isClose(p?.losses[k] ?? 0, expected, rel: 1e-12))
    }
  }

  @Test(
    "Approach 2 on a dense grid from a known law recovers a = β/(α+β)",
    arguments: [(2.0, ProfileMethod.grouped), (3.0, ProfileMethod.interpolated)])
  func approach2RecoversExponent(tokenStep: Double, method: ProfileMethod) throws {
    // Given a 6 × 6 grid of noise-free runs from a law with a = 0.5 and C = 6ND: N doubles;
    // D doubles too (diagonals share a budget: grouped profiles) or triples (no two runs share
    // a budget: interpolated profiles)
    var obs: [Observation] = []
    for i in 0..<6 {
      for j in 0..<6 {
        let n = 1e4 * pow(2, Double(i))
        let d = 1e6 * pow(tokenStep, Double(j))
        obs.append(Observation(params: n, tokens: d, loss: knownLaw.loss(params: n, tokens: d)))
      }
    }
    let (store, _, _) = try lawSweep(SweepSpec(kind: .grid, params: [12_768], tokens: [1e6]))
    var ev = try SweepEvidence.load(try SweepEvidence.sweep("latest", in: store), store: store)
    ev.observations = obs
    ev.compute = obs.map(\.compute)
    // When Approach 2 runs
    let r = try ev.isoFLOP()
    // Then it used the expected kind of profile and a is within 0.05 of the law's 0.5
    #expect(r.method == method)
    #expect(r.vertices.count >= 3)
    #expect(abs(r.result.a - knownLaw.paramsExponent) < 0.05, "a = \(r.result.a)")
  }

  @Test("the held-out check takes the largest budget's runs, or the top 3 of a grid")
  func heldOutRunCount() throws {
    // The standard preset's largest budget (2.4e12) has 5 sizes; a 2 × 3 grid has no budgets.
    let (store, sweep, _) = try lawSweep(.preset(.standard))
    #expect(try SweepEvidence.load(sweep, store: store).heldOutRunCount() == 5)
    let (gridStore, grid, _) = try lawSweep(
      SweepSpec(kind: .grid, params: [12_768, 39_520], tokens: [1.1e6, 2e6, 4e6]))
    #expect(try SweepEvidence.load(grid, store: gridStore).heldOutRunCount() == 3)
  }

  @Test(
    "interpolated curves span the runs' ends, keep those checkpoints, lie on log-log segments")
  func interpolatedCurves() throws {
    // Given two runs whose checkpoints sit at D/4, D/2 and D: the smaller model ends first
    let (store, sweep, _) = try lawSweep(
      SweepSpec(kind: .grid, params: [12_768, 39_520], tokens: [1e6], minimumSteps: 0))
    let ev = try SweepEvidence.load(sweep, store: store)
    let ends = ev.curves.compactMap { $0.points.map(\.flops).max() }
    let (lo, hi) = (try #require(ends.min()), try #require(ends.max()))
    // When they are read at 50 FLOP values
    let dense = ev.interpolatedCurves(values: 50)
    for (c, d) in zip(ev.curves, dense) {
      // Then every point lies between the earliest and the latest end …
      #expect(d.points.allSatisfy { $0.flops >= lo && $0.flops <= hi })
      // … the checkpoints in that range are kept and those below it are dropped …
      for p in c.points {
        let kept = d.points.contains { $0.flops == p.flops && $0.loss == p.loss }
        #expect(kept == (p.flops >= lo), "checkpoint at \(p.flops) FLOPs")
      }
      // … and a read-out between two checkpoints lies on their log-log line
      let checkpoints = Set(c.points.map(\.flops))
      let reads = d.points.filter { !checkpoints.contains($0.flops) }
      for m in reads {
        let p = try #require(c.points.last { $0.flops < m.flops })
        let q = try #require(c.points.first { $0.flops > m.flops })
        let t = log(m.flops / p.flops) / log(q.flops / p.flops)
        #expect(isClose(log(m.loss), log(p.loss) + t * (log(q.loss) - log(p.loss)), rel: 1e-9))
      }
    }
    // The larger run has read-outs over the whole range (the smaller one is a single point at lo)
    #expect((dense.last?.points.count ?? 0) > 3)
    #expect(dense.first?.points.count == 1)
  }
}
