// `scaleplan fit --sweep ID|latest` and `--save-as NAME`: fit the finished runs of a stored sweep
// (Lab's `SweepEvidence`: observations for Approach 3, validation-loss curves for Approach 1,
// isoFLOP profiles for Approach 2; Hoffmann et al. 2022 §3) and store the Approach-3 law, with its
// bootstrap intervals and provenance, in the run database so `plan --law NAME` and
// `loss --law NAME` can use it (Lab's `SavedLaws`).

import ArgumentParser
import Fitting
import UseCases
import Foundation
import Lab
import Planner
import RunStore

extension FitCommand {
  /// `--sweep` and/or `--save-as`: read runs from the store (or the CSV), fit, optionally save.
  func runWithStore(_ options: FitOptions) throws {
    let store = try saveAs == nil ? database.openForReading() : database.open()
    if let name = saveAs, !replace, try store.law(named: name) != nil {
      throw FitInputError(
        "A law named '\(name)' is already saved in \(database.path); pass --replace to "
          + "overwrite it or choose another --save-as name.")
    }
    let now = Date()
    var report: FitReport
    var sweepId: Int64? = nil
    let source: String
    if let selector = sweep {
      let evidence = try SweepEvidence.load(
        try SweepEvidence.sweep(selector, in: store), store: store)
      var o = options
      if o.fixedEFromEntropy {
        guard let h = evidence.corpusEntropy else {
          throw FitInputError(
            "--fixed-e entropy needs runs on the synthetic corpus, but sweep "
              + "\(evidence.sweep.id ?? 0) has none with a known entropy; give E as a number.")
        }
        o.fixedE = h
      }
      report = try FitCommand.analyse(evidence, o)
      sweepId = evidence.sweep.id
      source = FitCommand.provenance(evidence)
    } else {
      let runs = try FitCommand.loadRuns(
        path: options.csv, columns: options.columns, flopsColumn: flopsColumn)
      report = try FitCommand.analyse(runs, options)
      source = "\(runs.count) runs from \(URL(fileURLWithPath: options.csv).lastPathComponent)"
    }
    if let name = saveAs {
      let law = try FitCommand.storedLaw(
        name: name, report: report, options: options, source: source, now: now)
      try FitCommand.saveFits(report, sweepId: sweepId, store: store, now: now)
      try store.saveLaw(law, replacing: replace)
      report.savedLaw = name
    }
    if output.json {
      try JSONOutput.print(report)
      return
    }
    print(FitCommand.render(report), terminator: "")
    if let name = report.savedLaw {
      print(
        "\nSaved the Approach-3 law as '\(name)' in \(database.path); use it with "
          + "'scaleplan plan --compute 1e21 --law \(name) --db \(database.path)'.")
    }
    if output.explain { print(FitCommand.explanation(options).render(), terminator: "") }
  }

  /// Fits a stored sweep: Approach 1 on the validation-loss curves (interpolated and read at
  /// 1,500 FLOP values), Approach 2 on isoFLOP profiles (grouped runs, or interpolated along D for
  /// a grid), Approach 3 with the bootstrap, held-out check and reviewer warnings of
  /// `approach3Part`. With `approach == "all"`, Approaches 1 and 2 report a refusal instead of
  /// failing.
  /// - Throws: `FitError` from the fitters (too few runs, …).
  public static func analyse(_ ev: SweepEvidence, _ o: FitOptions) throws -> FitReport {
    var report = FitReport(nPoints: ev.observations.count)
    var info = SweepFitJSON(ev)
    let want = { (a: String) in o.approach == a || o.approach == "all" }
    if want("1") {
      do {
        // Hoffmann et al. 2022 §3.1: interpolated curves read at 1,500 log-spaced FLOP values.
        let r = try EnvelopeFit.fit(
          ev.interpolatedCurves(), bins: SweepEvidence.envelopeFLOPValues)
        report.approach1 = ExponentsJSON(
          a: r.a, b: r.b, points: r.points.count, computeRange: r.computeRange)
      } catch let e as FitError where o.approach == "all" {
        report.approach1 = ExponentsJSON(refused: e.description)
      }
    }
    if want("2") {
      do {
        let r = try ev.isoFLOP()
        report.approach2 = ExponentsJSON(
          a: r.result.a, b: r.result.b, points: r.vertices.count,
          computeRange: r.result.computeRange)
        info.approach2Profiles = r.method.rawValue
        info.approach2Refused = r.refused.map {
          RefusedBudgetJSON(compute: $0.compute, reason: $0.reason)
        }
      } catch let e as FitError where o.approach == "all" {
        report.approach2 = ExponentsJSON(refused: e.description)
      }
    }
    if o.fixedE != nil && o.fixedE == ev.corpusEntropy { info.fixedESource = "corpus_entropy" }
    try approach3Part(
      observations: ev.observations, compute: ev.compute,
      labels: ev.runs.map { Int($0.id ?? 0) }, o, into: &report)
    report.addAllocationWarnings()
    if let h = ev.corpusEntropy, let p = report.approach3, p.fixedE == nil {
      info.fittedEMinusEntropy = p.E - h
    }
    report.sweep = info
    return report
  }

  /// Provenance text of a sweep fit: sweep, runs, corpus.
  static func provenance(_ ev: SweepEvidence) -> String {
    var text =
      "sweep \(ev.sweep.id ?? 0) '\(ev.sweep.name)': \(ev.runs.count) finished runs"
      + " (\(ev.excluded.count) excluded)"
    if let c = ev.corpus { text += "; corpus " + corpusText(c) }
    if let h = ev.corpusEntropy {
      text += " (exact entropy \(Format.significant(h, digits: 5)) nats/byte)"
    }
    return text
  }

  /// A corpus in words.
  static func corpusText(_ c: CorpusDescription) -> String {
    switch c {
    case .synthetic(let k, let s, let seed):
      return "synthetic Zipf lexicon K = \(k), s = \(Format.number(s)), seed \(seed)"
    case .file(let path):
      return "file \(URL(fileURLWithPath: path).lastPathComponent)"
    }
  }

  /// The law to save from a report's Approach 3 (with its bootstrap, when run).
  /// - Throws: `FitInputError` when the report has no Approach-3 fit.
  public static func storedLaw(
    name: String, report: FitReport, options o: FitOptions, source: String, now: Date
  ) throws -> StoredLaw {
    guard let p = report.approach3 else {
      throw FitInputError("--save-as stores the Approach-3 law; use --approach 3 or all.")
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
    return StoredLaw(
      name: name, kind: "chinchilla", E: p.E, A: p.A, B: p.B, alpha: p.alpha, beta: p.beta,
      intervals: intervals, standardErrors: errors,
      correlation: report.approach3Bootstrap.flatMap(correlation),
      samples: report.approach3Bootstrap.flatMap(samples),
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

  /// Stores one fit record per approach in the report (JSON of that approach's result).
  static func saveFits(_ r: FitReport, sweepId: Int64?, store: RunStore, now: Date) throws {
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

  /// The lines printed above a sweep fit.
  static func sweepHeader(_ s: SweepFitJSON) -> String {
    var out = "Sweep \(s.id) '\(s.name)': \(s.runsFitted) finished runs fitted"
    if s.excluded.isEmpty {
      out += ", none excluded"
    } else {
      let parts = s.excluded.keys.sorted().map { "\(s.excluded[$0] ?? 0) \($0)" }
      out += ", \(s.excluded.values.reduce(0, +)) excluded (" + parts.joined(separator: ", ") + ")"
    }
    out += "\n"
    if let c = s.corpus { out += "corpus: \(c)\n" }
    if let h = s.corpusEntropy {
      out += "exact entropy H = \(Format.significant(h, digits: 5)) nats/byte"
      if let v = s.validationSampleEntropy {
        out += " (validation sample \(Format.significant(v, digits: 5)))"
      }
      out += "\n"
    }
    return out + "\n"
  }

  /// The notes printed after the approaches of a sweep fit.
  static func sweepNotes(_ s: SweepFitJSON) -> String {
    var out = ""
    if s.approach2Profiles == ProfileMethod.interpolated.rawValue {
      out +=
        "  (Approach 2 on a grid: isoFLOP profiles interpolated along D per size, "
        + "extended at most \(Format.number(GridProfiles.extrapolation))× beyond a size's runs)\n"
    }
    for r in s.approach2Refused ?? [] {
      out += "  Approach 2 budget \(Format.scientific(r.compute, digits: 3)) refused: \(r.reason)\n"
    }
    if let d = s.fittedEMinusEntropy, let h = s.corpusEntropy {
      out +=
        "Fitted E − H = \(Format.significant(d, digits: 3)) nats/byte "
        + "(\(Format.significant(100 * d / h, digits: 3)) % of H)\n"
    }
    if s.fixedESource == "corpus_entropy" {
      out += "E fixed at the corpus's exact entropy H.\n"
    }
    return out
  }
}

/// Where a sweep fit's runs came from (the `sweep` key of `fit --sweep --json`).
public struct SweepFitJSON: Encodable, Sendable {
  public var id: Int64
  public var name: String
  public var runsFitted: Int
  /// Excluded runs by reason: diverged, interrupted, running, too_short, no_loss.
  public var excluded: [String: Int]
  public var corpus: String?
  public var corpusEntropy: Double?
  public var validationSampleEntropy: Double?
  /// "grouped" (runs of one budget) or "interpolated" (a grid).
  public var approach2Profiles: String?
  public var approach2Refused: [RefusedBudgetJSON]?
  /// "corpus_entropy" when `--fixed-e entropy` was used.
  public var fixedESource: String?
  /// Free-E fit minus the exact entropy (synthetic corpus).
  public var fittedEMinusEntropy: Double?

  enum CodingKeys: String, CodingKey {
    case id, name, excluded, corpus
    case runsFitted = "runs_fitted"
    case corpusEntropy = "corpus_entropy"
    case validationSampleEntropy = "validation_sample_entropy"
    case approach2Profiles = "approach2_profiles"
    case approach2Refused = "approach2_refused"
    case fixedESource = "fixed_e_source"
    case fittedEMinusEntropy = "fitted_e_minus_entropy"
  }

  init(_ ev: SweepEvidence) {
    id = ev.sweep.id ?? 0
    name = ev.sweep.name
    runsFitted = ev.runs.count
    excluded = ev.excludedCounts
    corpus = ev.corpus.map(FitCommand.corpusText)
    corpusEntropy = ev.corpusEntropy
    validationSampleEntropy = ev.validationSampleEntropy
  }
}

/// An Approach-2 budget without an interior minimum.
public struct RefusedBudgetJSON: Encodable, Sendable {
  public var compute: Double
  public var reason: String
}
