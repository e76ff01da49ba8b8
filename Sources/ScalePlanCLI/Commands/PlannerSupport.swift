// Shared pieces of `plan`, `loss` and `cost train`: law registry, catalog access, energy
// defaults, quantity parsing.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Lab
import RunStore
import Planner

/// Forwarders to the use-case layer while commands move onto it.
typealias LookupError = RequestError

/// Catalog access for the planner commands (forwards to `Engine`).
enum CatalogBridge {
  static func laws(_ options: CatalogOptions, name: String? = nil, db: String? = nil) throws
    -> LawRegistry
  {
    try Engine(catalogDirectory: options.catalog, databasePath: db).laws(named: name)
  }

  static func catalog(_ options: CatalogOptions) throws -> CatalogSet {
    try Engine(catalogDirectory: options.catalog).catalog()
  }

  static func energyDefaults(_ catalog: CatalogSet) throws
    -> (overhead: Double, pue: Double, grid: Double, sources: [ExplainedInput])
  {
    let e = try UseCases.EnergyDefaults(catalog)
    return (e.overhead, e.pue, e.grid, e.sources)
  }
}

/// Parses an optional positive quantity flag (`70B`, `1.4T`, `3e23`).
func positiveQuantity(_ text: String?, _ name: String) throws -> Double? {
  guard let text else { return nil }
  return try Quantity.parsePositive(text, name: name)
}

/// Dense peak FLOP/s of an accelerator at a precision.
func peak(_ a: Accelerator, _ precision: Precision) throws -> Double { try a.peak(at: precision) }

/// The precision whose peak `peak(_:_:)` actually uses.
func effectivePrecision(_ a: Accelerator, _ precision: Precision) -> Precision {
  a.effectivePrecision(precision)
}

extension Precision: ExpressibleByArgument {}
