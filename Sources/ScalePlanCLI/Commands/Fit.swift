// `scaleplan fit`: flags → `FitRequest` → `Engine.fit` (the use-case layer fits, as Hoffmann et
// al. 2022 §3 did, and saves) → table, JSON or explanation. The sweep parts of the table are in
// FitSweep.swift.

import ArgumentParser
import Foundation
import Planner
import UseCases

/// `scaleplan fit`.
public struct FitCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit L(N, D) = E + A/N^α + B/D^β and the allocation exponents to your runs.",
    discussion: """
      Reads one row per run from a CSV. Examples:
        scaleplan fit --csv runs.csv --columns params=N,tokens=D,loss=final_loss
        scaleplan fit --csv runs.csv --columns params=N,loss=L --flops-column C --approach all
        scaleplan fit --csv r.csv --columns params=N,tokens=D,loss=L --bootstrap 1000 --budget 1e21
      Approach 3 minimises the summed Huber loss (δ = 1e-3) of log-sum-exp predictions against log \
      losses with L-BFGS from Hoffmann's 4,500-start grid. Approach 2 groups runs by compute \
      (within 5 %) and fits a parabola per budget. Approach 1 takes the lowest loss per log-spaced \
      FLOP bin. With only a FLOP column, D = C/(6N).
      Stored sweeps and saved laws:
        scaleplan fit --sweep latest --approach all --bootstrap 1000 --save-as tiny-synthetic
        scaleplan fit --sweep 3 --fixed-e entropy      # E at the synthetic corpus's exact entropy
        scaleplan plan --compute 1e21 --law tiny-synthetic
      """)

  @OptionGroup public var output: OutputOptions

  @Option(help: "CSV file with one row per run.")
  public var csv: String?
  @Option(
    help:
      "Column mapping, e.g. params=N,tokens=D,loss=final_loss (keys: params, tokens, loss, flops).")
  public var columns: String?
  @Option(help: "Column with training FLOP C (D = C/(6N) when no tokens column is given).")
  public var flopsColumn: String?
  @Option(help: "Approach: 1, 2, 3 or all (default \(FitRequest.Defaults.approach)).")
  public var approach: String?
  @Option(help: "Bootstrap resamples for Approach 3 (0 = none, the default; 1000 is typical).")
  public var bootstrap: Int?
  @Option(help: "Random seed for the bootstrap (same seed, same output; default 0).")
  public var seed: UInt64?
  @Option(
    parsing: .unconditional,
    help: "Hold E fixed at this value, or 'entropy' for a synthetic sweep's exact entropy.")
  public var fixedE: String?
  @Option(help: "Held-out check: fit without the K runs of largest compute and predict them.")
  public var holdoutTop: Int?
  @Option(
    parsing: .unconditional,
    help: "Held-out check: fit on runs below this compute (FLOP) and predict the rest.")
  public var holdoutBelow: String?
  @Option(
    parsing: .unconditional,
    help: "Compute budget C (FLOP) for N*(C), D*(C) and the extrapolation warning.")
  public var budget: String?
  @Option(help: "Bootstrap interval percentiles, e.g. 2.5,97.5 (the default) or 10,90.")
  public var percentiles: String?
  @Option(
    help: "Initialisation grid: hoffmann (4,500 starts, the default), peer (7,776) or coarse (243).")
  public var grid: String?
  @Option(help: "Worker threads (default one per core; the result does not depend on it).")
  public var threads: Int?
  @Option(help: "Fit the finished runs of a stored sweep: an id, a name, or 'latest'.")
  public var sweep: String?
  @Option(help: "Save the Approach-3 law in the run database under this name (for --law NAME).")
  public var saveAs: String?
  @Flag(help: "With --save-as, overwrite a saved law of the same name.")
  public var replace = false
  @OptionGroup public var database: DatabaseOptions

  public init() {}

  /// The request these flags describe (numbers parsed, nothing defaulted).
  /// - Throws: `ValidationError` for text that is not a number.
  func request() throws -> FitRequest {
    var percentileList: [Double]? = nil
    if let text = percentiles {
      let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard parts.allSatisfy({ $0 != nil }) else {
        throw ValidationError(
          "--percentiles must be two numbers 0 < lower < upper < 100 such as 2.5,97.5, not "
            + "'\(text)'.")
      }
      percentileList = parts.compactMap { $0 }
    }
    let entropy = fixedE == "entropy"
    return FitRequest(
      csv: csv, columns: columns, flopsColumn: flopsColumn, sweep: sweep, approach: approach,
      bootstrap: bootstrap, seed: seed,
      fixedE: try fixedE.flatMap {
        $0 == "entropy" ? nil : try Quantity.parsePositive($0, name: "--fixed-e")
      },
      fixedEAtEntropy: entropy ? true : nil, holdoutTop: holdoutTop,
      holdoutBelow: try holdoutBelow.map {
        try Quantity.parsePositive($0, name: "--holdout-below")
      },
      budget: try budget.map { try Quantity.parsePositive($0, name: "--budget") },
      percentiles: percentileList, grid: grid, threads: threads, saveAs: saveAs,
      replace: replace ? true : nil)
  }

  public func validate() throws {
    let r = try request()
    try UsageCheck.run { try r.validate() }
  }

  public func run() throws {
    let engine = Engine(databasePath: database.db)
    let result = try engine.fit(try request())
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      return
    }
    print(FitCommand.render(result), terminator: "")
    if let name = result.savedLaw, let path = result.savedLawDatabase {
      print(
        "\nSaved the Approach-3 law as '\(name)' in \(path); use it with "
          + "'scaleplan plan --compute 1e21 --law \(name) --db \(path)'.")
    }
    if output.explain, let e = result.explanation { print(e.render(), terminator: "") }
  }

  /// The text rendering of a report.
  public static func render(_ r: FitResult) -> String {
    var out = r.sweep.map(sweepHeader) ?? "\(r.nPoints) runs\n\n"
    if let p = r.approach3 {
      out += "Approach 3: L(N, D) = E + A/N^α + B/D^β (summed Huber δ = 1e-3, \(p.starts) starts)\n"
      var t = TextTable(header: ["parameter", "estimate", "std. error", "interval"])
      let rows: [(String, String, Double)] = [
        ("E", "E", p.E), ("A", "A", p.A), ("B", "B", p.B), ("α", "alpha", p.alpha),
        ("β", "beta", p.beta), ("a = β/(α+β)", "a", p.a), ("b = α/(α+β)", "b", p.b),
      ]
      for (label, key, value) in rows {
        let isFixed = key == "E" && p.fixedE != nil
        let se =
          isFixed ? "-" : p.standardErrors?[key].map { Format.significant($0, digits: 3) } ?? "-"
        let iv =
          p.intervals?[key].map {
            "[\(Format.significant($0[0], digits: 4)), \(Format.significant($0[1], digits: 4))]"
          } ?? "-"
        let fixedNote = isFixed ? " (fixed)" : ""
        t.add([label, Format.significant(value, digits: 5) + fixedNote, se, iv])
      }
      out += t.render()
      out +=
        "objective \(Format.scientific(p.objective, digits: 6)); rms relative error "
        + "\(Format.significant(p.rmsRelativeErrorPercent, digits: 3)) %; "
        + "\(p.startsAtOptimum) of \(p.starts) starts reached the optimum\n"
      if let b = p.bootstrap {
        out +=
          "bootstrap: \(b.resamples) resamples (seed \(b.seed)), \(b.failed) failed, "
          + "percentiles \(Format.significant(b.percentiles[0], digits: 3))–"
          + "\(Format.significant(b.percentiles[1], digits: 3)), corr(α, β) = "
          + "\(Format.significant(b.alphaBetaCorrelation, digits: 3))\n"
      }
      if let o = p.optimal {
        var line =
          "at C = \(Format.scientific(o.compute)) FLOP: N* = \(Format.si(o.params)), "
          + "D* = \(Format.si(o.tokens))"
        if let n = p.intervals?["N_opt"], let d = p.intervals?["D_opt"] {
          line +=
            " (N* \(Format.si(n[0]))–\(Format.si(n[1])), D* \(Format.si(d[0]))–"
            + "\(Format.si(d[1])))"
        }
        out += line + "\n"
      }
      out += "\n"
    }
    for (name, e) in [
      ("Approach 1 (envelope)", r.approach1), ("Approach 2 (isoFLOP)", r.approach2),
    ] {
      guard let e else { continue }
      if let reason = e.refused {
        out += "\(name): refused — \(reason)\n"
      } else if let a = e.a, let b = e.b {
        out +=
          "\(name): N_opt ∝ C^\(Format.significant(a, digits: 3)), "
          + "D_opt ∝ C^\(Format.significant(b, digits: 3)) (\(e.points ?? 0) points)\n"
      }
    }
    if let s = r.sweep { out += sweepNotes(s) }
    if let h = r.holdout {
      out += "\nHeld-out check (\(h.count) runs predicted by a fit on the others):\n"
      var t = TextTable(header: [
        r.sweep == nil ? "line" : "run", "N", "D", "observed", "predicted", "error",
      ])
      for p in h {
        t.add([
          "\(p.line)", Format.si(p.params), Format.si(p.tokens),
          Format.significant(p.observed, digits: 4), Format.significant(p.predicted, digits: 4),
          Format.significant(p.relativeErrorPercent, digits: 3) + " %",
        ])
      }
      out += t.render()
    }
    if !r.warnings.isEmpty {
      out += "\nWarnings:\n" + r.warnings.map { "- \($0.message)\n" }.joined()
    }
    return out
  }
}

/// Turns the use-case layer's one-sentence refusals into ArgumentParser's validation errors, so
/// `validate()` prints them with the usage line as before.
enum UsageCheck {
  /// Runs `body`, rethrowing `RequestError.invalid` as `ValidationError`.
  static func run(_ body: () throws -> Void) throws {
    do { try body() } catch RequestError.invalid(let sentence) {
      throw ValidationError(sentence)
    }
  }
}
