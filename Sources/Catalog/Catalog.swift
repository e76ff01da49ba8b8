// The catalogs in data/ as one value: accelerators, notable models, dated prices and energy
// assumptions, with case-insensitive lookups by id or alias. Loading checks every cell and
// reports the first bad one as "file:line:column: reason". Every row names its source; see
// data/README.md for the columns, units and tags, and data/references.csv for the papers.

import Foundation
import Planner

/// The loaded catalogs (bundled data/, overridden file by file by a user's `--catalog DIR`).
public struct CatalogSet: Sendable {
  /// Catalog file names, in load order (prices and models refer to accelerators).
  public static let acceleratorsFile = "accelerators.csv"
  public static let modelsFile = "models.csv"
  public static let pricesFile = "prices.csv"
  public static let energyFile = "energy.csv"

  /// Accelerators with their default price filled in, in file order.
  public let acceleratorRecords: [AcceleratorRecord]
  /// Notable models, in file order (including those with undisclosed parameters).
  public let modelRecords: [ModelRecord]
  /// Dated prices, in file order.
  public let prices: [PriceRecord]
  /// Energy, power, electricity-price and grid-carbon values, in file order.
  public let energy: [EnergyRecord]

  /// The Planner's accelerator values, in file order.
  public var accelerators: [Accelerator] { acceleratorRecords.map(\.accelerator) }
  /// The Planner's model values: every model whose parameter count is published, in file order.
  public var models: [NotableModel] { modelRecords.compactMap(\.notableModel) }

  /// Builds a catalog from already-loaded records (tests, or callers assembling their own).
  public init(
    acceleratorRecords: [AcceleratorRecord], modelRecords: [ModelRecord], prices: [PriceRecord],
    energy: [EnergyRecord]
  ) {
    self.acceleratorRecords = acceleratorRecords
    self.modelRecords = modelRecords
    self.prices = prices
    self.energy = energy
  }

  /// Loads and checks all four catalog files.
  /// - Parameter files: where the files come from; defaults to the bundled catalogs.
  /// - Throws: `CatalogError` — the first malformed cell as `file:line:column: reason`, a missing
  ///   file or column, or missing bundled catalogs.
  public static func load(files: CatalogFiles? = nil) throws -> CatalogSet {
    let files = try files ?? CatalogFiles()
    let bare = try loadAccelerators(files: files)
    let ids = AcceleratorIndex(bare)
    let prices = try loadPrices(files: files, accelerators: ids)
    let models = try loadModels(files: files, accelerators: ids)
    let energy = try loadEnergy(files: files)
    return CatalogSet(
      acceleratorRecords: withDefaultPrices(bare, prices), modelRecords: models, prices: prices,
      energy: energy)
  }

  // MARK: - Lookups

  /// The accelerator with this id or alias (case-insensitive; `A100` → `a100-80gb`).
  /// - Throws: `CatalogError.unknownEntry` listing the known ids.
  public func accelerator(_ name: String) throws -> Accelerator {
    try acceleratorRecord(name).accelerator
  }

  /// The full accelerators.csv row for an id or alias.
  /// - Throws: `CatalogError.unknownEntry` listing the known ids.
  public func acceleratorRecord(_ name: String) throws -> AcceleratorRecord {
    let keys = acceleratorRecords.map { [$0.id] + $0.aliases }
    guard let i = Self.match(name, keys) else {
      throw CatalogError.unknownEntry(
        kind: "accelerator", name: name, known: acceleratorRecords.map(\.id))
    }
    return acceleratorRecords[i]
  }

  /// The notable model with this id or alias (case-insensitive; `gpt-3` → `gpt3`).
  /// - Throws: `CatalogError.unknownEntry` listing the known ids, or `.missingValue` when the
  ///   model's parameter count is undisclosed (e.g. Gemini Ultra).
  public func model(_ name: String) throws -> NotableModel {
    let record = try modelRecord(name)
    guard let model = record.notableModel else {
      throw CatalogError.missingValue(kind: "model", name: record.id, field: "parameter count")
    }
    return model
  }

  /// The full models.csv row for an id or alias.
  /// - Throws: `CatalogError.unknownEntry` listing the known ids.
  public func modelRecord(_ name: String) throws -> ModelRecord {
    let keys = modelRecords.map { [$0.id] + $0.aliases }
    guard let i = Self.match(name, keys) else {
      throw CatalogError.unknownEntry(kind: "model", name: name, known: modelRecords.map(\.id))
    }
    return modelRecords[i]
  }

  /// The default price of an accelerator (id or alias), or nil when the catalog has none.
  /// - Throws: `CatalogError.unknownEntry` for an unknown accelerator.
  public func defaultPrice(for accelerator: String) throws -> PriceRecord? {
    let id = try acceleratorRecord(accelerator).id
    return prices.first { $0.acceleratorID == id && $0.isDefault }
  }

  /// Every price row of an accelerator (id or alias), in file order.
  /// - Throws: `CatalogError.unknownEntry` for an unknown accelerator.
  public func prices(for accelerator: String) throws -> [PriceRecord] {
    let id = try acceleratorRecord(accelerator).id
    return prices.filter { $0.acceleratorID == id }
  }

  /// The default value of an energy quantity (`pue`, `server_overhead_factor`,
  /// `average_draw_factor`, `server_power_w`, `electricity_usd_per_kwh`, `grid_co2_kg_per_kwh`).
  /// - Throws: `CatalogError.unknownEntry` listing the known quantities, or `.missingValue` for a
  ///   quantity without a default (`measured_power_w` lists observations only).
  public func energyDefault(_ quantity: String) throws -> EnergyRecord {
    let q = quantity.lowercased()
    guard energy.contains(where: { $0.quantity == q }) else {
      throw CatalogError.unknownEntry(
        kind: "energy quantity", name: quantity, known: energyQuantities)
    }
    guard let r = energy.first(where: { $0.quantity == q && $0.isDefault }) else {
      throw CatalogError.missingValue(kind: "energy quantity", name: q, field: "default value")
    }
    return r
  }

  /// A named variant of an energy quantity, e.g. `("pue", "industry-average-2023")`.
  /// - Throws: `CatalogError.unknownEntry` listing the known variants of that quantity.
  public func energyValue(_ quantity: String, variant: String) throws -> EnergyRecord {
    let q = quantity.lowercased()
    let v = variant.lowercased()
    let rows = energy.filter { $0.quantity == q }
    guard !rows.isEmpty else {
      throw CatalogError.unknownEntry(
        kind: "energy quantity", name: quantity, known: energyQuantities)
    }
    guard let r = rows.first(where: { $0.variant == v }) else {
      throw CatalogError.unknownEntry(
        kind: "\(q) variant", name: variant, known: rows.map(\.variant))
    }
    return r
  }

  /// The distinct energy quantities, in file order.
  public var energyQuantities: [String] {
    var seen: [String] = []
    for r in energy where !seen.contains(r.quantity) { seen.append(r.quantity) }
    return seen
  }

  /// Index of the entry whose id or alias matches `name`: first exactly (ignoring case), then
  /// ignoring '-', '_', '.' and spaces when that leaves exactly one candidate.
  static func match(_ name: String, _ keys: [[String]]) -> Int? {
    let n = name.trimmingCharacters(in: .whitespaces).lowercased()
    if let i = keys.firstIndex(where: { $0.contains { $0.lowercased() == n } }) { return i }
    func compact(_ s: String) -> String {
      String(s.lowercased().filter { !"-_. ".contains($0) })
    }
    let c = compact(n)
    let hits = keys.indices.filter { keys[$0].contains { compact($0) == c } }
    return hits.count == 1 ? hits[0] : nil
  }

  /// Fills each accelerator's default price, date and source from prices.csv.
  static func withDefaultPrices(_ records: [AcceleratorRecord], _ prices: [PriceRecord])
    -> [AcceleratorRecord]
  {
    records.map { r in
      var r = r
      if let p = prices.first(where: { $0.acceleratorID == r.id && $0.isDefault }) {
        r.accelerator.priceUSDPerHour = p.usdPerChipHour
        r.accelerator.priceDate = p.date
        r.accelerator.priceSource = "\(p.offering) — \(p.source) [\(p.tag)]"
      }
      return r
    }
  }
}

/// Accelerator ids and aliases, for checking references from prices.csv and models.csv.
public struct AcceleratorIndex: Sendable {
  let keys: [[String]]
  let ids: [String]

  /// Indexes loaded accelerator rows.
  public init(_ records: [AcceleratorRecord]) {
    keys = records.map { [$0.id] + $0.aliases }
    ids = records.map(\.id)
  }

  /// The canonical id for an id or alias, or nil if unknown.
  public func resolve(_ name: String) -> String? {
    CatalogSet.match(name, keys).map { ids[$0] }
  }

  /// Known canonical ids.
  public var known: [String] { ids }
}
