// Loads data/law-refits.csv: bootstrap refits (E, A, B, α, β) of a preset law, made by the
// project's own fitter (`scaleplan catalog refits`), one row per resample. They are attached to
// the preset's uncertainty as samples, so the planner's intervals for that law are percentiles
// over real refits instead of independent normals over published standard errors (which ignore
// the A–α and B–β correlation; Besiroglu et al. 2024 §3 publish SEs from such a bootstrap, but not
// the refits themselves). Errors point at file:line:column.

import Fitting
import Foundation
import Planner

/// Reads the law-refits catalog and attaches it to the laws it names.
public enum LawRefitsCatalog {
  /// The catalog file name inside data/ (or a `--catalog` directory).
  public static let fileName = "law-refits.csv"

  /// Columns of the file, in order.
  public static let columns = ["law", "resample", "E", "A", "B", "alpha", "beta", "source"]

  /// Fewest refits a law needs for percentile intervals (the planner's `usableSamples` floor).
  public static let minimumRefits = 10

  /// Most refits a law may carry: bounds the work of every interval.
  public static let maximumRefits = 20_000

  /// One law's refits as read from the file.
  public struct Refits: Sendable, Equatable {
    /// Law id as written in the file.
    public var law: String
    /// Resample numbers (the bootstrap's PRNG streams), one per row.
    public var resamples: [Int]
    /// (E, A, B, α, β) per row.
    public var rows: [[Double]]
    /// The `source` cell of the law's first row.
    public var source: String
  }

  /// Parses a refits table: every law's rows, in file order.
  /// - Throws: `CatalogError` at file:line:column for a missing column, an empty law, a resample
  ///   that is not a whole number or repeats, a non-positive or non-finite value, a law with fewer
  ///   than `minimumRefits` or more than `maximumRefits` rows.
  public static func parse(_ t: CSVTable) throws -> [Refits] {
    try t.requireColumns(columns)
    var out: [Refits] = []
    var index: [String: Int] = [:]
    var seen: [String: Set<Int>] = [:]
    var firstRow: [String: CSVTable.Row] = [:]
    for row in t.rows {
      let law = try t.required(row, "law").lowercased()
      let r = try t.number(row, "resample")
      guard r >= 0, r == r.rounded(), r < 1e9 else {
        throw t.error(row, "resample", "column 'resample' must be a whole number from 0 to 999,999,999.")
      }
      let resample = Int(r)
      guard seen[law, default: []].insert(resample).inserted else {
        throw t.error(row, "resample", "resample \(resample) of law '\(law)' appears twice.")
      }
      let values = try ["E", "A", "B", "alpha", "beta"].map { try t.positive(row, $0) }
      let k: Int
      if let existing = index[law] {
        k = existing
      } else {
        k = out.count
        index[law] = k
        firstRow[law] = row
        out.append(Refits(law: law, resamples: [], rows: [], source: try t.string(row, "source")))
      }
      guard out[k].rows.count < maximumRefits else {
        throw t.error(
          row, "law", "law '\(law)' has more than \(maximumRefits) refits; keep at most that many.")
      }
      out[k].resamples.append(resample)
      out[k].rows.append(values)
    }
    for refits in out where refits.rows.count < minimumRefits {
      if let row = firstRow[refits.law] {
        throw t.error(
          row, "law",
          "law '\(refits.law)' has \(refits.rows.count) refits; percentile intervals need at least "
            + "\(minimumRefits).")
      }
    }
    return out
  }

  /// `presets` with the refits of `files`' law-refits.csv attached to the laws they name (as
  /// `ParametricUncertainty.samples`; a law without standard errors gets the refits' own standard
  /// deviations). Refits naming a law that is not among `presets` are an error when the user
  /// supplied the file (`--catalog`), and are ignored in the embedded catalog (whose laws a user's
  /// laws.csv may replace).
  /// - Throws: `CatalogError` for a malformed file, a law that is unknown (user file) or not
  ///   parametric.
  /// A catalog with no law-refits.csv at all (neither the user's directory nor an embedded copy
  /// holds one) leaves the laws as they are: their intervals then come from published SEs.
  public static func attach(_ files: CatalogFiles, to presets: [LawPreset]) throws -> [LawPreset] {
    guard files.isOverridden(fileName) || files.embedded?[fileName] != nil else { return presets }
    let table = try files.table(fileName)
    return try attach(table, to: presets, strict: files.isOverridden(fileName))
  }

  /// `attach(_:to:)` for an already parsed table; `strict` refuses refits of unknown laws.
  public static func attach(_ table: CSVTable, to presets: [LawPreset], strict: Bool) throws
    -> [LawPreset]
  {
    var out = presets
    let all = try parse(table)
    for refits in all {
      let row = table.rows.first { (try? table.string($0, "law").lowercased()) == refits.law }
      guard let k = out.firstIndex(where: { $0.id.lowercased() == refits.law }) else {
        if strict, let row {
          throw table.error(
            row, "law",
            "law '\(refits.law)' is not in laws.csv; known: "
              + presets.map(\.id).joined(separator: ", ") + ".")
        }
        continue
      }
      guard case .parametric = out[k].law else {
        if let row {
          throw table.error(
            row, "law",
            "law '\(refits.law)' is not of the form E + A/N^α + B/D^β, so refits do not apply.")
        }
        continue
      }
      var uncertainty = out[k].uncertainty ?? standardDeviations(refits.rows)
      uncertainty.samples = refits.rows
      uncertainty.samplesOrigin =
        "\(fileName), made by `scaleplan catalog refits`"
        + (refits.source.isEmpty ? "" : ": \(refits.source)")
      out[k].uncertainty = uncertainty
    }
    return out
  }

  /// Standard errors of (E, A, B, α, β) as the refits' sample standard deviations.
  static func standardDeviations(_ rows: [[Double]]) -> ParametricUncertainty {
    let n = Double(rows.count)
    let sd = (0..<5).map { j -> Double in
      let mean = rows.reduce(0) { $0 + $1[j] } / n
      let ss = rows.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) }
      return (ss / max(n - 1, 1)).squareRoot()
    }
    return ParametricUncertainty(seE: sd[0], seA: sd[1], seB: sd[2], seAlpha: sd[3], seBeta: sd[4])
  }
}
