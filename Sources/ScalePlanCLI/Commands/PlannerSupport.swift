// Shared pieces of `plan`, `loss` and `cost train`: law registry, catalog access, energy
// defaults, quantity parsing.

import ArgumentParser
import Catalog
import Foundation
import Lab
import RunStore
import Planner

/// The law used when `--law` is not given, and why.
enum DefaultLaw {
  static let id = "epoch2024"
  static let why =
    "epoch2024 is the default: the best-supported fit (refit with standard errors, agrees with "
    + "Hoffmann's approaches 1 and 2); hoffmann2022 reproduces the paper's printed numbers."
}

/// Errors of CLI lookups; one sentence each.
enum LookupError: Error, CustomStringConvertible {
  case noPrice(String)
  case noPeak(String, String)
  case modelWithoutTokens(String)

  var description: String {
    switch self {
    case .noPrice(let id):
      return "The catalog has no price for '\(id)'; pass --price in US$ per accelerator-hour."
    case .noPeak(let id, let precision):
      return "The catalog has no \(precision) peak for '\(id)'; choose another --precision."
    case .modelWithoutTokens(let id):
      return "Model '\(id)' has no known training-token count; give --params and --tokens instead."
    }
  }
}

/// Catalog access for the planner commands.
///
/// Laws come from data/laws.csv; accelerators, models and energy defaults from the `Catalog`
/// (data/accelerators.csv, models.csv, prices.csv, energy.csv), loaded only when a command needs
/// them.
enum CatalogBridge {
  /// The laws registry (data/laws.csv or a `--catalog` override), plus laws saved by
  /// `scaleplan fit --save-as` in the run database. The database is read only when `--db` is given
  /// or when `name` is not a published preset, so planning with presets never touches SQLite.
  static func laws(_ options: CatalogOptions, name: String? = nil, db: String? = nil) throws
    -> LawRegistry
  {
    let files = try options.files()
    let base = try LawCatalog.registry(files)
    let wantsSaved = db != nil || (name.map { (try? base.law(named: $0)) == nil } ?? false)
    guard wantsSaved else { return base }
    let path = db ?? RunStore.defaultPath()
    guard FileManager.default.fileExists(atPath: path) else {
      if db != nil { throw ValidationError("--db '\(path)' does not exist.") }
      return base
    }
    let saved = try SavedLaws.presets(in: try RunStore(path: path))
    return try LawCatalog.registry(files, extra: saved)
  }

  /// The accelerator, model and energy catalogs.
  static func catalog(_ options: CatalogOptions) throws -> Catalog {
    try Catalog.load(files: options.files())
  }

  /// Energy defaults from energy.csv: server overhead (server_overhead_factor ×
  /// average_draw_factor), PUE and grid intensity, each with its source for `--explain`.
  static func energyDefaults(_ catalog: Catalog) throws
    -> (overhead: Double, pue: Double, grid: Double, sources: [ExplainedInput])
  {
    let factor = try catalog.energyDefault("server_overhead_factor")
    let draw = try catalog.energyDefault("average_draw_factor")
    let pue = try catalog.energyDefault("pue")
    let grid = try catalog.energyDefault("grid_co2_kg_per_kwh")
    return (
      factor.value * draw.value, pue.value, grid.value,
      [
        ExplainedInput("server overhead", Format.number(factor.value), source: factor.source),
        ExplainedInput("average draw", Format.number(draw.value), source: draw.source),
        ExplainedInput("PUE", Format.number(pue.value), source: pue.source),
        ExplainedInput("grid", Format.number(grid.value) + " kg/kWh", source: grid.source),
      ]
    )
  }
}

/// Parses an optional positive quantity flag (`70B`, `1.4T`, `3e23`).
func positiveQuantity(_ text: String?, _ name: String) throws -> Double? {
  guard let text else { return nil }
  return try Quantity.parsePositive(text, name: name)
}

/// Dense peak FLOP/s of an accelerator at a precision.
func peak(_ a: Accelerator, _ precision: Precision) throws -> Double {
  guard let p = a.peakFLOPS(precision) else {
    throw LookupError.noPeak(a.id, precision.rawValue)
  }
  return p
}

/// The precision whose peak `peak(_:_:)` actually uses (bf16 falls back to fp16 and back).
func effectivePrecision(_ a: Accelerator, _ precision: Precision) -> Precision {
  if a.peakTFLOPS[precision] != nil { return precision }
  switch precision {
  case .bf16 where a.peakTFLOPS[.fp16] != nil: return .fp16
  case .fp16 where a.peakTFLOPS[.bf16] != nil: return .bf16
  default: return precision
  }
}

extension Precision: ExpressibleByArgument {}
