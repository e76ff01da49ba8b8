// `fit --save-as NAME`: the Approach-3 law, with its bootstrap intervals, refits and provenance,
// stored in the run database so `plan --law NAME` and `loss --law NAME` can use it (Lab's
// `SavedLaws` reads it back), and one fit record per approach beside the sweep it came from.

import Fitting
import Foundation
import Planner
import RunStore

enum FitStore {
  /// The law to save from a result's Approach 3 (with its bootstrap, when run).
  /// - Throws: `RequestError.invalid` when the result has no Approach-3 fit.
  static func storedLaw(
    name: String, result: FitResult, bootstrap: BootstrapResult?, source: String, now: Date
  ) throws -> StoredLaw {
    guard let p = result.approach3 else {
      throw RequestError.invalid("--save-as stores the Approach-3 law; use --approach 3 or all.")
    }
    var how = "Approach 3 (summed Huber δ = 1e-3, \(p.starts) starts"
    how += p.fixedE.map { ", E fixed at \(Format.significant($0, digits: 5))" } ?? ", E free"
    how += ")"
    if let b = p.bootstrap {
      how +=
        "; bootstrap \(b.resamples) resamples (seed \(b.seed)), "
        + "\(Format.significant(b.percentiles[0], digits: 3))–"
        + "\(Format.significant(b.percentiles[1], digits: 3)) percentile intervals"
    }
    let date = String(Timestamp.text(now).prefix(10))
    // Only finite values can be stored (a wild bootstrap can give an infinite standard error);
    // a quantity without one is saved without it, and the planner then draws no interval.
    var intervals = (p.intervals ?? [:]).filter { $0.value.allSatisfy(\.isFinite) }
    var errors = (p.standardErrors ?? [:]).filter { $0.value.isFinite }
    if p.fixedE != nil {
      intervals["E"] = nil
      errors["E"] = 0
    }
    var uncertainty: ParametricUncertainty? = nil
    if let e = errors["E"], let a = errors["A"], let b = errors["B"], let alpha = errors["alpha"],
      let beta = errors["beta"]
    {
      uncertainty = ParametricUncertainty(
        seE: e, seA: a, seB: b, seAlpha: alpha, seBeta: beta, seParamsExponent: errors["a"],
        correlation: bootstrap.flatMap(correlation), samples: bootstrap.flatMap(samples))
    }
    return StoredLaw(
      name: name, kind: "chinchilla",
      law: ParametricLaw(E: p.E, A: p.A, B: p.B, alpha: p.alpha, beta: p.beta),
      uncertainty: uncertainty, intervals: intervals,
      provenance: "\(source); \(how); fitted \(date)", createdAt: now)
  }

  /// The bootstrap's refits as (E, A, B, α, β) rows (finite rows only), for `plan --law` to take
  /// percentiles over; nil without them.
  static func samples(_ b: BootstrapResult) -> [[Double]]? {
    let idx = ["E", "A", "B", "alpha", "beta"].compactMap { b.names.firstIndex(of: $0) }
    guard idx.count == 5 else { return nil }
    let rows = b.samples.map { row in idx.map { row[$0] } }.filter { $0.allSatisfy(\.isFinite) }
    return rows.isEmpty ? nil : rows
  }

  /// The 5×5 bootstrap correlation over (E, A, B, α, β), when it is a valid correlation matrix
  /// (a fixed E contributes a unit row and column).
  static func correlation(_ b: BootstrapResult) -> [[Double]]? {
    let names = ["E", "A", "B", "alpha", "beta"]
    let columns = names.compactMap { n in
      b.names.firstIndex(of: n).map { k in b.samples.map { $0[k] } }
    }
    guard columns.count == 5, b.samples.count >= 6 else { return nil }
    var m = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 5)
    for i in 0..<5 {
      m[i][i] = 1
      for j in 0..<i {
        let r = Bootstrap.pearson(columns[i], columns[j])
        m[i][j] = r.isFinite ? r : 0
        m[j][i] = m[i][j]
      }
    }
    let u = ParametricUncertainty(
      seE: 1, seA: 1, seB: 1, seAlpha: 1, seBeta: 1, correlation: m)
    return u.hasValidCorrelation ? m : nil
  }

  /// Stores one fit record per approach in the result (JSON of that approach's result).
  static func saveFits(_ r: FitResult, sweepId: Int64?, store: RunDatabase, now: Date) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    func text<T: Encodable>(_ v: T) throws -> String {
      String(decoding: try encoder.encode(v), as: UTF8.self)
    }
    if let a = r.approach1, a.refused == nil {
      _ = try store.saveFit(
        FitRecord(sweepId: sweepId, approach: "approach1", params: try text(a), createdAt: now))
    }
    if let a = r.approach2, a.refused == nil {
      _ = try store.saveFit(
        FitRecord(sweepId: sweepId, approach: "approach2", params: try text(a), createdAt: now))
    }
    if let a = r.approach3 {
      _ = try store.saveFit(
        FitRecord(sweepId: sweepId, approach: "approach3", params: try text(a), createdAt: now))
    }
  }
}
