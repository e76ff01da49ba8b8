// The use-case layer: one entry point per question the product answers. Every face (the CLI,
// the notebooks, the web calculator) builds a request, calls a method of `Engine`, and renders the
// result it gets back. A result carries its numbers, its warnings and its explanation as data, and
// the JSON it encodes to is both `--json` and the web API.

import Catalog
import Foundation
import Lab
import Planner
import RunStore

/// Where the engine finds its catalogs and its run database. Cheap to create; every method loads
/// what it needs when it is called, so a face may keep one `Engine` or make one per request.
public struct Engine: Sendable {
  /// A directory of catalog files that override the bundled ones file by file (`--catalog DIR`).
  public var catalogDirectory: String?
  /// The run database (`--db PATH`). When nil, methods that need one use
  /// `RunDatabase.defaultPath()`, and law look-ups read it only for names that are not published.
  public var databasePath: String?

  /// Creates an engine over the bundled catalogs (or `catalogDirectory`) and a run database.
  public init(catalogDirectory: String? = nil, databasePath: String? = nil) {
    self.catalogDirectory = catalogDirectory
    self.databasePath = databasePath
  }

  /// The resolver for catalog files.
  /// - Throws: `CatalogError.missingDirectory` when `catalogDirectory` does not exist.
  public func catalogFiles() throws -> CatalogFiles {
    try CatalogFiles(overrideDirectory: catalogDirectory)
  }

  /// The accelerator, model, price and energy catalogs.
  public func catalog() throws -> CatalogSet { try CatalogSet.load(files: catalogFiles()) }

  /// The law registry: data/laws.csv (or its override) plus the laws saved by `fit --save-as` in
  /// the run database. The database is read only when `databasePath` is given or when `name` is
  /// not a published law, so planning with published laws never touches SQLite.
  /// - Throws: `RequestError.missingDatabase` when an explicit `databasePath` does not exist.
  public func laws(named name: String? = nil) throws -> LawRegistry {
    let files = try catalogFiles()
    let base = try LawCatalog.registry(files)
    let wantsSaved =
      databasePath != nil || (name.map { (try? base.law(named: $0)) == nil } ?? false)
    guard wantsSaved else { return base }
    let path = databasePath ?? RunDatabase.defaultPath()
    guard FileManager.default.fileExists(atPath: path) else {
      if databasePath != nil { throw RequestError.missingDatabase(path) }
      return base
    }
    let saved = try SavedLaws.presets(in: try RunDatabase(path: path, mode: .readOnly))
    return try LawCatalog.registry(files, extra: saved)
  }

  /// The law `name` (or the default law) from `laws(named:)`.
  public func law(named name: String?) throws -> LawPreset {
    try laws(named: name).law(named: name ?? DefaultLaw.id)
  }
}

/// The law used when a request names none, and why.
public enum DefaultLaw {
  /// Law id.
  public static let id = "epoch2024"
  /// One sentence for the table header.
  public static let why =
    "epoch2024 is the default: the best-supported fit (refit with standard errors, agrees with "
    + "Hoffmann's approaches 1 and 2); hoffmann2022 reproduces the paper's printed numbers."
}

/// Energy defaults from data/energy.csv: server overhead (server_overhead_factor ×
/// average_draw_factor), PUE and grid intensity, each with its source for the explanation.
public struct EnergyDefaults: Sendable, Equatable {
  /// Server power over chip TDP, average draw included.
  public var overhead: Double
  /// Data-centre power usage effectiveness.
  public var pue: Double
  /// Grid intensity, kg CO2 per kWh.
  public var grid: Double
  /// The four catalog values with their sources.
  public var sources: [ExplainedInput]

  /// Reads the defaults from a loaded catalog.
  /// - Throws: `CatalogError` when energy.csv lacks a default.
  public init(_ catalog: CatalogSet) throws {
    let factor = try catalog.energyDefault("server_overhead_factor")
    let draw = try catalog.energyDefault("average_draw_factor")
    let pue = try catalog.energyDefault("pue")
    let grid = try catalog.energyDefault("grid_co2_kg_per_kwh")
    overhead = factor.value * draw.value
    self.pue = pue.value
    self.grid = grid.value
    sources = [
      ExplainedInput("server overhead", Format.number(factor.value), source: factor.source),
      ExplainedInput("average draw", Format.number(draw.value), source: draw.source),
      ExplainedInput("PUE", Format.number(pue.value), source: pue.source),
      ExplainedInput("grid", Format.number(grid.value) + " kg/kWh", source: grid.source),
    ]
  }
}

extension Accelerator {
  /// Dense peak FLOP/s at `precision`, bf16 and fp16 standing in for each other.
  /// - Throws: `RequestError.noPeak` when the catalog has neither.
  public func peak(at precision: Precision) throws -> Double {
    guard let p = peakFLOPS(precision) else { throw RequestError.noPeak(id, precision.rawValue) }
    return p
  }

  /// The precision whose peak `peak(at:)` actually uses (bf16 falls back to fp16 and back).
  public func effectivePrecision(_ precision: Precision) -> Precision {
    if peakTFLOPS[precision] != nil { return precision }
    switch precision {
    case .bf16 where peakTFLOPS[.fp16] != nil: return .fp16
    case .fp16 where peakTFLOPS[.bf16] != nil: return .bf16
    default: return precision
    }
  }
}
