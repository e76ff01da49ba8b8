// A stored sweep turned into what the fitters need: observations (N, D, final loss) for
// Approach 3 (Hoffmann et al. 2022 §3.3), training curves on a FLOP axis for Approach 1 (§3.1),
// and isoFLOP profiles for Approach 2 (§3.2). Runs that did not finish (diverged, interrupted,
// still running) and runs with fewer steps than the sweep's minimum (data/synthetic-corpus.md:
// runs under ~500 steps sit on the initial plateau and "spoil the fit") are excluded and counted.
//
// Approach 2 needs several sizes trained to the same compute. An isoFLOP sweep — the quick,
// standard and full presets among them — has them, and its runs are grouped by budget directly;
// a grid over (N, D) does not (no two runs share a budget within 5 %). For a grid, each size's
// final losses are interpolated along D (piecewise linear in
// log L against log D, the last segment extended by at most `GridProfiles.extrapolation` in D) to
// the budgets where at least three sizes are available: interpolated isoFLOP profiles, a
// substitute for the runs Hoffmann et al. trained, and labelled as such wherever shown.

import Fitting
import Foundation
import RunStore

/// Why a stored run of a sweep is left out of a fit.
public enum ExclusionReason: Sendable, Equatable, CustomStringConvertible {
  /// The run stopped on a non-finite or exploding loss.
  case diverged
  /// The run was stopped before its last step.
  case interrupted
  /// The run has not ended (or its process was killed).
  case running
  /// Fewer optimiser steps than the sweep's minimum.
  case tooShort(steps: Int, minimum: Int)
  /// No final loss was stored.
  case noLoss

  public var description: String {
    switch self {
    case .diverged: return "diverged"
    case .interrupted: return "interrupted"
    case .running: return "not finished"
    case .tooShort(let steps, let minimum): return "too short (\(steps) < \(minimum) steps)"
    case .noLoss: return "no final loss"
    }
  }

  /// A short key for counts ("diverged", "interrupted", "running", "too_short", "no_loss").
  public var key: String {
    switch self {
    case .diverged: return "diverged"
    case .interrupted: return "interrupted"
    case .running: return "running"
    case .tooShort: return "too_short"
    case .noLoss: return "no_loss"
    }
  }
}

/// How Approach 2's isoFLOP profiles were obtained.
public enum ProfileMethod: String, Sendable, Equatable {
  /// Runs trained to the same budget (within 5 %), as in Hoffmann et al. 2022 §3.2.
  case grouped
  /// Interpolated along D from a grid of runs (see `GridProfiles`).
  case interpolated
}

/// Approach 2 on a sweep: the profiles used, the vertices found, the budgets refused and the fit.
public struct SweepIsoFLOP: Sendable {
  /// How the profiles were built.
  public var method: ProfileMethod
  /// Every candidate profile with at least three sizes, by increasing compute.
  public var profiles: [IsoFLOPProfile]
  /// Vertices of the profiles that have an interior minimum.
  public var vertices: [IsoFLOPVertex]
  /// Budgets refused, with the fitter's one-sentence reason.
  public var refused: [(compute: Double, reason: String)]
  /// N_opt ∝ C^a and D_opt ∝ C^b over the vertices.
  public var result: IsoFLOPResult
}

/// The fitting inputs of one stored sweep.
public struct SweepEvidence: Sendable {
  /// The sweep.
  public var sweep: SweepRecord
  /// Its spec, when it can be decoded.
  public var spec: SweepSpec?
  /// The runs fitted, in plan (slot) order, then by id.
  public var runs: [RunRecord]
  /// The runs left out, with the reason.
  public var excluded: [(run: RunRecord, reason: ExclusionReason)]
  /// (N, D, L) per fitted run: non-embedding parameters, tokens trained, final validation loss.
  public var observations: [Observation]
  /// Training FLOPs per fitted run as stored (MiniGPT's F_K × tokens, Kaplan et al. 2020 Table 1).
  public var compute: [Double]
  /// Validation-loss checkpoints per fitted run on a FLOP axis (flops per token × tokens).
  public var curves: [TrainingCurve]
  /// The corpus every fitted run trained on, when they agree.
  public var corpus: CorpusDescription?
  /// The corpus's exact entropy rate (nats per byte), when every fitted run is synthetic and
  /// reports the same value.
  public var corpusEntropy: Double?
  /// The sample entropy of the validation windows under the true model (synthetic only).
  public var validationSampleEntropy: Double?

  /// Excluded-run counts by reason key.
  public var excludedCounts: [String: Int] {
    var out: [String: Int] = [:]
    for e in excluded { out[e.reason.key, default: 0] += 1 }
    return out
  }

  /// Optimiser steps of a run: tokens trained / (batch × context), when both are known.
  public static func steps(_ r: RunRecord) -> Int? {
    guard let t = r.training, let m = r.model, t.batch > 0, m.context > 0 else { return nil }
    return Int((r.tokensTrained / Double(t.batch * m.context)).rounded())
  }

  /// Resolves a sweep selector: `latest`, a numeric id, or a sweep name.
  /// - Throws: `SweepError.invalid` naming the selector when no sweep matches.
  public static func sweep(_ selector: String, in store: RunDatabase) throws -> SweepRecord {
    let text = selector.trimmingCharacters(in: .whitespaces)
    if text == "latest" {
      guard let s = try store.latestSweep() else {
        throw SweepError.invalid(
          "The run database has no sweeps; run 'scaleplan sweep --preset quick' first.")
      }
      return s
    }
    if let id = Int64(text), let s = try store.sweep(id: id) { return s }
    if let s = try store.sweep(named: text) { return s }
    throw SweepError.invalid(
      "No sweep has id or name '\(text)'; see 'scaleplan sweep list' for the sweeps.")
  }

  /// Loads a sweep's runs and loss curves and splits them into fitted and excluded runs.
  /// - Throws: `RunStoreError` if the database fails, `SweepError.invalid` if the sweep has no id.
  public static func load(_ sweep: SweepRecord, store: RunDatabase) throws -> SweepEvidence {
    guard let id = sweep.id else { throw SweepError.invalid("The sweep has no id.") }
    let spec = try? SweepSpec.stored(in: sweep)
    let minimum = spec?.minimumSteps ?? 0
    // Duplicate finished runs of one slot (two workers before run claims) count once; every
    // other row is kept, so that it is reported as excluded with its reason.
    var finishedSlots = Set<Int>()
    let unique = try store.runs(sweepId: id).sorted { ($0.id ?? 0) < ($1.id ?? 0) }.filter { r in
      guard r.status == .finished, let slot = r.sweepSlot else { return true }
      return finishedSlots.insert(slot).inserted
    }
    let all = unique.sorted {
      ($0.sweepSlot ?? Int.max, $0.id ?? 0) < ($1.sweepSlot ?? Int.max, $1.id ?? 0)
    }
    var kept: [RunRecord] = []
    var excluded: [(run: RunRecord, reason: ExclusionReason)] = []
    for r in all {
      switch r.status {
      case .diverged: excluded.append((r, .diverged))
      case .interrupted: excluded.append((r, .interrupted))
      case .running: excluded.append((r, .running))
      case .finished:
        if let s = steps(r), s < minimum {
          excluded.append((r, .tooShort(steps: s, minimum: minimum)))
        } else if let loss = r.finalLoss, loss.isFinite, loss > 0 {
          kept.append(r)
        } else {
          excluded.append((r, .noLoss))
        }
      }
    }
    var observations: [Observation] = []
    var compute: [Double] = []
    var curves: [TrainingCurve] = []
    for r in kept {
      let loss = r.finalLoss ?? .nan
      observations.append(
        Observation(params: r.nonEmbeddingParams, tokens: r.tokensTrained, loss: loss))
      compute.append(r.flops ?? 6 * r.nonEmbeddingParams * r.tokensTrained)
      let perToken = r.flopsPerToken ?? 6 * r.nonEmbeddingParams
      var points: [(flops: Double, loss: Double)] = []
      if let rid = r.id {
        for p in try store.lossCurve(runId: rid) {
          if let v = p.validationLoss, v.isFinite, v > 0, p.tokens > 0 {
            points.append((perToken * Double(p.tokens), v))
          }
        }
      }
      if points.isEmpty { points = [(compute[compute.count - 1], loss)] }
      curves.append(TrainingCurve(params: r.nonEmbeddingParams, points: points))
    }
    let corpora = Set(kept.compactMap { $0.corpus.map { String(describing: $0) } })
    let corpus =
      corpora.count == 1 && kept.allSatisfy({ $0.corpus != nil }) ? kept.first?.corpus : nil
    var entropy: Double? = nil
    var sample: Double? = nil
    if case .synthetic = corpus {
      let hs = Set(kept.compactMap(\.corpusEntropy))
      if hs.count == 1, kept.allSatisfy({ $0.corpusEntropy != nil }) { entropy = hs.first }
      sample = kept.compactMap(\.validationSampleEntropy).first
    }
    return SweepEvidence(
      sweep: sweep, spec: spec, runs: kept, excluded: excluded, observations: observations,
      compute: compute, curves: curves, corpus: corpus, corpusEntropy: entropy,
      validationSampleEntropy: sample)
  }

  /// Approach 2 on this sweep: budgets of runs trained to the same compute when there are any
  /// with three or more sizes, otherwise profiles interpolated along D (`GridProfiles`).
  /// Budgets without an interior minimum are refused and listed; the exponents are fitted to
  /// the rest.
  /// - Throws: `FitError.tooFewBudgets` when fewer than two budgets have a vertex (the message
  ///   names the first refusal when there is one).
  public func isoFLOP() throws -> SweepIsoFLOP {
    let grouped = IsoFLOPFit.profiles(
      params: observations.map(\.params), compute: compute, losses: observations.map(\.loss)
    ).filter { Set($0.params).count >= 3 }
    let method: ProfileMethod
    let profiles: [IsoFLOPProfile]
    if grouped.count >= 2 {
      (method, profiles) = (.grouped, grouped)
    } else {
      (method, profiles) = (.interpolated, GridProfiles.profiles(observations, compute: compute))
    }
    var usable: [IsoFLOPProfile] = []
    var refused: [(compute: Double, reason: String)] = []
    for p in profiles {
      do {
        _ = try IsoFLOPFit.vertex(p)
        usable.append(p)
      } catch {
        refused.append((p.compute, String(describing: error)))
      }
    }
    guard usable.count >= 2 else {
      if let first = refused.first { throw FitError.invalidOption(first.reason) }
      throw FitError.tooFewBudgets(
        count: usable.count, method: "The isoFLOP fit (Approach 2)")
    }
    // Vertices carry D_opt = C/(6·N_opt) (Hoffmann's convention), as Approach 1's points do.
    let result = try IsoFLOPFit.fit(usable)
    let vertices = result.vertices
    return SweepIsoFLOP(
      method: method, profiles: profiles, vertices: vertices, refused: refused, result: result)
  }
}

/// isoFLOP profiles interpolated from a grid of runs over (N, D).
public enum GridProfiles {
  /// How far beyond a size's trained token range its loss may be extended (a factor in D).
  public static let extrapolation = 2.0
  /// Budgets per decade of compute.
  public static let budgetsPerDecade = 4

  /// A size's final losses along D, for interpolation.
  struct SizeCurve {
    var params: Double
    /// FLOPs per token of this size (compute / tokens of its runs).
    var flopsPerToken: Double
    /// (log D, log L), by increasing D, one per distinct D.
    var points: [(x: Double, y: Double)]

    /// log L at log D = x: piecewise linear, the end segments extended; nil outside the allowed
    /// range or with a single point.
    func logLoss(at x: Double, extension e: Double) -> Double? {
      guard points.count >= 2, let lo = points.first?.x, let hi = points.last?.x,
        x >= lo - e, x <= hi + e
      else { return nil }
      var k = 0
      while k < points.count - 2 && x > points[k + 1].x { k += 1 }
      let (p, q) = (points[k], points[k + 1])
      return p.y + (q.y - p.y) * (x - p.x) / (q.x - p.x)
    }
  }

  /// Profiles at log-spaced budgets (`budgetsPerDecade` per decade, on round values) where at
  /// least three sizes have a loss within their extended token range; by increasing compute.
  public static func profiles(_ observations: [Observation], compute: [Double])
    -> [IsoFLOPProfile]
  {
    var bySize: [Double: [(d: Double, l: Double, c: Double)]] = [:]
    for (o, c) in zip(observations, compute) {
      bySize[o.params, default: []].append((o.tokens, o.loss, c))
    }
    var sizes: [SizeCurve] = []
    for n in bySize.keys.sorted() {
      let runs = (bySize[n] ?? []).sorted { ($0.d, $0.l) < ($1.d, $1.l) }
      var points: [(x: Double, y: Double)] = []
      for r in runs where points.last.map({ $0.x < log(r.d) }) ?? true {
        // Repeated D (a second seed): keep the first, by loss, for a deterministic curve.
        points.append((log(r.d), log(r.l)))
      }
      let perToken = runs.map { $0.c / $0.d }.reduce(0, +) / Double(max(runs.count, 1))
      sizes.append(SizeCurve(params: n, flopsPerToken: perToken, points: points))
    }
    let e = log(extrapolation)
    guard let cMin = compute.min(), let cMax = compute.max(), cMin > 0 else { return [] }
    let step = 1 / Double(budgetsPerDecade)
    let first = (log10(cMin) / step).rounded(.down) * step
    var out: [IsoFLOPProfile] = []
    var k = 0
    while true {
      let lc = first + Double(k) * step
      k += 1
      guard lc <= log10(cMax) + step else { break }
      let c = pow(10, lc)
      var params: [Double] = []
      var losses: [Double] = []
      for s in sizes {
        if let y = s.logLoss(at: log(c / s.flopsPerToken), extension: e) {
          params.append(s.params)
          losses.append(exp(y))
        }
      }
      if params.count >= 3 {
        out.append(IsoFLOPProfile(compute: c, params: params, losses: losses))
      }
    }
    return out
  }
}

extension SweepEvidence {
  /// How many runs the held-out check leaves out: every run of the largest budget when the
  /// fitted runs come in budgets (runs within 5 % of one compute, as `isoFLOP()` groups them,
  /// with at least two budgets of three sizes), else `fallback` largest-compute runs
  /// (the "top-3 compute" check of data/synthetic-corpus.md, Held-out predictions, for a grid). The
  /// goal is that the law fitted on the smaller budgets predicts the largest budget's runs;
  /// budgets of an isoFLOP sweep are far apart (the presets double them), so these are also the
  /// runs of largest compute.
  public func heldOutRunCount(fallback: Int = 3) -> Int {
    let groups = IsoFLOPFit.profiles(
      params: observations.map(\.params), compute: compute, losses: observations.map(\.loss))
    guard groups.filter({ Set($0.params).count >= 3 }).count >= 2, let top = groups.last,
      top.params.count < observations.count
    else { return min(fallback, max(0, observations.count - 1)) }
    return top.params.count
  }
}

extension SweepEvidence {
  /// The evidence restricted to the fitted runs at `indices` (repeats allowed, as in a bootstrap
  /// resample); excluded runs and corpus facts are kept.
  public func resampled(_ indices: [Int]) -> SweepEvidence {
    var out = self
    out.runs = indices.map { runs[$0] }
    out.observations = indices.map { observations[$0] }
    out.compute = indices.map { compute[$0] }
    out.curves = indices.map { curves[$0] }
    return out
  }
}

extension SweepEvidence {
  /// FLOP values at which Hoffmann et al. 2022 (§3.1) read their interpolated training curves.
  public static let envelopeFLOPValues = 1500

  /// Training curves made continuous the way Hoffmann et al. 2022 (§3.1) describe for Approach 1
  /// ("we smooth and then interpolate each training curve … a continuous mapping from FLOP count
  /// to training loss for each run"): each run's checkpoints are joined piecewise linearly in
  /// (log C, log L) and read at `values` log-spaced FLOP counts, together with the checkpoints
  /// themselves.
  ///
  /// The FLOP counts span the runs' ends: from the earliest end of any run's schedule to the
  /// latest (checkpoints below the earliest end are dropped). Below it every run would be read in
  /// the middle of its cosine schedule, whose cycle is longer than the steps trained so far, and
  /// Hoffmann et al. found that a cycle "too much longer than the target number of training
  /// steps results in sub-optimally trained models" (§3 footnote; App. B, Fig. A1, cycles of
  /// 1×–5× the steps) — so no run there shows the best loss reachable at that compute. With an
  /// isoFLOP sweep the range is the sweep's budgets. (On the first 20-run standard sweep, reading
  /// the envelope down to the first checkpoint gave a = 0.456 against 0.571 over the budgets;
  /// Approaches 2 and 3 gave 0.572 and 0.554.)
  public func interpolatedCurves(values: Int = SweepEvidence.envelopeFLOPValues) -> [TrainingCurve]
  {
    let ends = curves.compactMap { $0.points.map(\.flops).max() }
    guard let lo = ends.min(), let hi = ends.max(), hi > lo, values >= 2 else { return curves }
    // Log-spaced; the ends are set exactly so no read-out falls outside [lo, hi] by rounding.
    var grid = (0..<values).map { k in
      exp(log(lo) + (log(hi) - log(lo)) * Double(k) / Double(values - 1))
    }
    grid[0] = lo
    grid[values - 1] = hi
    return curves.map { c in
      let pts = c.points.sorted { $0.flops < $1.flops }
      guard pts.count >= 2, let first = pts.first?.flops, let last = pts.last?.flops else {
        return c
      }
      var out = pts.filter { $0.flops >= lo }
      var j = 0
      for g in grid where g > first && g < last {
        while j < pts.count - 2 && g > pts[j + 1].flops { j += 1 }
        let (p, q) = (pts[j], pts[j + 1])
        let t = log(g / p.flops) / log(q.flops / p.flops)
        out.append((g, exp(log(p.loss) + t * (log(q.loss) - log(p.loss)))))
      }
      out.sort { ($0.flops, $0.loss) < ($1.flops, $1.loss) }
      return TrainingCurve(params: c.params, points: out)
    }
  }
}
