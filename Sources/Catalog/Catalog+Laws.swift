// Loads data/laws.csv (published scaling laws) into `LawPreset`s. Each row names its kind
// (parametric, kaplan, allocation); errors point at file:line:column. The file is small and read
// once per command; `scaleplan plan` touches no database.

import Fitting
import Foundation
import Planner

/// Reads the laws catalog.
public enum LawCatalog {
  /// The catalog file name inside data/ (or a `--catalog` directory).
  public static let fileName = "laws.csv"

  /// Loads and validates every law, with the bootstrap refits of law-refits.csv attached to the
  /// laws they name (`LawRefitsCatalog`).
  /// - Throws: `CatalogError` with file, line and column for a malformed row.
  public static func load(_ files: CatalogFiles) throws -> [LawPreset] {
    try LawRefitsCatalog.attach(files, to: parse(files.table(fileName)))
  }

  /// A registry of the catalog's laws plus `extra` laws (for example fitted laws from the run store).
  /// - Throws: `CatalogError` for a malformed file, `LawError.duplicateLaw` for a name clash.
  public static func registry(_ files: CatalogFiles, extra: [LawPreset] = []) throws
    -> LawRegistry
  {
    try LawRegistry(presets: load(files), extra: extra)
  }

  /// Parses a laws table.
  /// - Throws: `CatalogError.malformed` / `.missingColumn`.
  public static func parse(_ t: CSVTable) throws -> [LawPreset] {
    var out: [LawPreset] = []
    var ids = Set<String>()
    for row in t.rows {
      let id = try t.string(row, "id")
      guard !id.isEmpty, !id.contains(" ") else {
        throw t.error(row, "id", "a law id must be a non-empty word without spaces.")
      }
      guard !ids.contains(id.lowercased()) else {
        throw t.error(row, "id", "law id '\(id)' appears twice.")
      }
      ids.insert(id.lowercased())
      let aliases = try t.string(row, "aliases").split(separator: ";").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
      func positive(_ name: String) throws -> Double {
        let v = try t.number(row, name)
        guard v > 0 else { throw t.error(row, name, "column '\(name)' must be positive.") }
        return v
      }
      func optionalPositive(_ name: String) throws -> Double? {
        guard let v = try t.optionalNumber(row, name) else { return nil }
        guard v > 0 else { throw t.error(row, name, "column '\(name)' must be positive.") }
        return v
      }
      func exponent(_ name: String) throws -> Double {
        let v = try t.number(row, name)
        guard v > 0, v < 1 else {
          throw t.error(row, name, "column '\(name)' must be between 0 and 1 exclusive.")
        }
        return v
      }
      func allocation() throws -> AllocationLaw {
        if let k = try optionalPositive("tokens_coefficient") {
          return AllocationLaw(
            tokensCoefficient: k, tokensExponent: try exponent("tokens_exponent"))
        }
        return AllocationLaw(
          paramsExponent: try exponent("params_exponent"),
          anchorFLOPs: try positive("anchor_flops"),
          anchorParams: try positive("anchor_params"))
      }
      let kind = try t.string(row, "kind")
      let law: ScalingLaw
      var uncertainty: ParametricUncertainty? = nil
      switch kind {
      case "parametric":
        law = .parametric(
          ParametricLaw(
            E: try positive("E"), A: try positive("A"), B: try positive("B"),
            alpha: try positive("alpha"), beta: try positive("beta")))
        let se = try ["E_se", "A_se", "B_se", "alpha_se", "beta_se"].map(optionalPositive)
        if se.allSatisfy({ $0 != nil }) {
          uncertainty = ParametricUncertainty(
            seE: se[0] ?? 0, seA: se[1] ?? 0, seB: se[2] ?? 0, seAlpha: se[3] ?? 0,
            seBeta: se[4] ?? 0, seParamsExponent: try optionalPositive("a_se"))
        } else if se.contains(where: { $0 != nil }) {
          throw t.error(
            row, "E_se", "give all five standard errors (E, A, B, alpha, beta) or none.")
        }
      case "kaplan":
        law = .kaplan(
          KaplanLaw(
            alphaN: try positive("alpha_N"), Nc: try positive("N_c"),
            alphaD: try positive("alpha_D"), Dc: try positive("D_c"), allocation: try allocation()))
      case "allocation":
        law = .allocation(try allocation())
      default:
        throw t.error(
          row, "kind", "kind must be parametric, kaplan or allocation, found '\(kind)'.")
      }
      out.append(
        LawPreset(
          id: id, aliases: aliases, law: law,
          provenance: LawProvenance(
            paper: try t.string(row, "paper"), location: try t.string(row, "location"),
            date: try t.string(row, "date"), source: try t.string(row, "source"),
            notes: try t.string(row, "notes")),
          uncertainty: uncertainty))
    }
    return out
  }
}
