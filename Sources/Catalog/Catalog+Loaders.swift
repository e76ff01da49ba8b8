// Per-file loaders for the four core catalogs. Each reads one CSV, checks every cell (numbers,
// signs, required cells, tags, duplicate ids, references to accelerators.csv) and throws the
// first problem as "file:line:column: reason". They can be called on their own (lazily) or
// through `CatalogSet.load`.

import Foundation
import Planner

extension CatalogSet {
  // MARK: - accelerators.csv

  static let acceleratorColumns = [
    "id", "aliases", "name", "vendor", "release", "memory_gb", "bandwidth_tbps", "fp32_tflops",
    "tf32_tflops", "bf16_tflops", "fp16_tflops", "fp8_tflops", "int8_tops", "tdp_w",
    "measured_power_w", "tag", "unverified", "source", "alternatives", "notes",
  ]

  /// Peak columns and the precision each holds (dense TFLOP/s; TOPS for int8).
  static let peakColumns: [(String, Precision)] = [
    ("fp32_tflops", .fp32), ("tf32_tflops", .tf32), ("bf16_tflops", .bf16),
    ("fp16_tflops", .fp16), ("fp8_tflops", .fp8), ("int8_tops", .int8),
  ]

  /// Loads and checks accelerators.csv (prices not yet attached).
  /// - Throws: `CatalogError` for the first malformed cell, duplicate id/alias or missing column.
  public static func loadAccelerators(files: CatalogFiles) throws -> [AcceleratorRecord] {
    try parseAccelerators(files.table(acceleratorsFile))
  }

  /// Checks and converts a parsed accelerators table.
  /// - Throws: `CatalogError` for the first malformed cell, duplicate id/alias or missing column.
  public static func parseAccelerators(_ t: CSVTable) throws -> [AcceleratorRecord] {
    try t.requireColumns(acceleratorColumns)
    var names = NameRegistry(kind: "accelerator")
    var out: [AcceleratorRecord] = []
    for row in t.rows {
      let id = try t.identifier(row, "id")
      try names.claim(id, t, row, "id")
      let aliases = try t.list(row, "aliases").map { $0.lowercased() }
      for a in aliases { try names.claim(a, t, row, "aliases") }
      var peaks: [Precision: Double] = [:]
      for (column, precision) in peakColumns {
        if let v = try t.optionalPositive(row, column) { peaks[precision] = v }
      }
      guard !peaks.isEmpty else {
        throw t.error(row, "bf16_tflops", "the row gives no peak throughput in any precision.")
      }
      let unverified = try t.list(row, "unverified")
      for u in unverified where !t.header.contains(u) {
        throw t.error(row, "unverified", "'\(u)' is not a column of \(t.file).")
      }
      let accelerator = Accelerator(
        id: id, name: try t.required(row, "name"), vendor: try t.required(row, "vendor"),
        release: try t.required(row, "release"), memoryGB: try t.positive(row, "memory_gb"),
        bandwidthTBps: try t.positive(row, "bandwidth_tbps"), peakTFLOPS: peaks,
        tdpWatts: try t.optionalPositive(row, "tdp_w"), priceUSDPerHour: nil, priceDate: nil,
        priceSource: nil, source: try t.required(row, "source"))
      out.append(
        AcceleratorRecord(
          accelerator: accelerator, aliases: aliases,
          measuredPowerWatts: try t.optionalPositive(row, "measured_power_w"),
          tag: try t.tag(row, "tag", required: true) ?? "", unverified: unverified,
          alternatives: try t.alternatives(row, "alternatives"), notes: try t.string(row, "notes"),
          line: row.line))
    }
    return out
  }

  // MARK: - prices.csv

  static let priceColumns = [
    "accelerator_id", "offering", "usd_per_chip_hour", "range_low", "range_high",
    "usd_per_instance_hour", "chips_per_instance", "date", "status", "default", "tag", "source",
    "notes",
  ]
  static let priceStatuses = [
    "list", "range", "estimate", "superseded", "reconstructed", "assumption",
  ]

  /// Loads and checks prices.csv against the given accelerators.
  /// - Parameter accelerators: ids that `accelerator_id` may name; nil skips that check.
  /// - Throws: `CatalogError` for the first malformed cell, unknown accelerator id or a second
  ///   default for the same accelerator.
  public static func loadPrices(files: CatalogFiles, accelerators: AcceleratorIndex?) throws
    -> [PriceRecord]
  {
    try parsePrices(files.table(pricesFile), accelerators: accelerators)
  }

  /// Checks and converts a parsed prices table.
  /// - Throws: as `loadPrices`.
  public static func parsePrices(_ t: CSVTable, accelerators: AcceleratorIndex?) throws
    -> [PriceRecord]
  {
    try t.requireColumns(priceColumns)
    var out: [PriceRecord] = []
    var defaults: Set<String> = []
    for row in t.rows {
      var id: String? = nil
      if let raw = try t.optionalString(row, "accelerator_id") {
        if let accelerators {
          guard let resolved = accelerators.resolve(raw) else {
            throw t.error(
              row, "accelerator_id",
              "unknown accelerator '\(raw)'; use an id from accelerators.csv ("
                + accelerators.known.joined(separator: ", ") + ") or leave it empty.")
          }
          id = resolved
        } else {
          id = raw.lowercased()
        }
      }
      let price = try t.positive(row, "usd_per_chip_hour")
      let low = try t.optionalPositive(row, "range_low")
      let high = try t.optionalPositive(row, "range_high")
      if (low == nil) != (high == nil) {
        throw t.error(
          row, low == nil ? "range_low" : "range_high",
          "give both range_low and range_high, or neither.")
      }
      if let low, let high, !(low <= price && price <= high) {
        throw t.error(
          row, "usd_per_chip_hour",
          "usd_per_chip_hour must lie between range_low and range_high.")
      }
      let status = try t.required(row, "status").lowercased()
      guard priceStatuses.contains(status) else {
        throw t.error(
          row, "status",
          "status must be one of \(priceStatuses.joined(separator: ", ")), found '\(status)'.")
      }
      let isDefault = try t.flag(row, "default")
      if isDefault {
        guard let id else {
          throw t.error(row, "default", "a default price needs an accelerator_id.")
        }
        guard defaults.insert(id).inserted else {
          throw t.error(row, "default", "'\(id)' already has a default price on an earlier row.")
        }
      }
      out.append(
        PriceRecord(
          acceleratorID: id, offering: try t.required(row, "offering"), usdPerChipHour: price,
          rangeLow: low, rangeHigh: high,
          usdPerInstanceHour: try t.optionalPositive(row, "usd_per_instance_hour"),
          chipsPerInstance: try t.optionalCount(row, "chips_per_instance").map(Double.init),
          date: try t.required(row, "date"), status: status, isDefault: isDefault,
          tag: try t.tag(row, "tag", required: true) ?? "", source: try t.required(row, "source"),
          notes: try t.string(row, "notes"), line: row.line))
    }
    return out
  }

  // MARK: - models.csv

  static let modelColumns = [
    "id", "aliases", "name", "organisation", "date", "params", "active_params", "params_tag",
    "tokens", "tokens_tag", "training_flops", "flops_tag", "hardware", "accelerator_id",
    "accelerator_count", "accelerator_hours", "hours_tag", "cost_usd", "cost_basis", "cost_tag",
    "energy_mwh", "layers", "d_model", "heads", "kv_heads", "vocab", "context", "arch_tag",
    "arch_source", "source", "alternatives", "notes",
  ]

  /// Loads and checks models.csv.
  /// - Parameter accelerators: ids that `accelerator_id` may name; nil skips that check.
  /// - Throws: `CatalogError` for the first malformed cell, duplicate id/alias, inconsistent
  ///   architecture or unknown accelerator id.
  public static func loadModels(files: CatalogFiles, accelerators: AcceleratorIndex?) throws
    -> [ModelRecord]
  {
    try parseModels(files.table(modelsFile), accelerators: accelerators)
  }

  /// Checks and converts a parsed models table.
  /// - Throws: as `loadModels`.
  public static func parseModels(_ t: CSVTable, accelerators: AcceleratorIndex?) throws
    -> [ModelRecord]
  {
    try t.requireColumns(modelColumns)
    var names = NameRegistry(kind: "model")
    var out: [ModelRecord] = []
    for row in t.rows {
      let id = try t.identifier(row, "id")
      try names.claim(id, t, row, "id")
      let aliases = try t.list(row, "aliases").map { $0.lowercased() }
      for a in aliases { try names.claim(a, t, row, "aliases") }
      /// A value and its tag: the tag is required when the value is present.
      func tagged(_ value: String, _ tag: String) throws -> (Double?, String?) {
        let v = try t.optionalPositive(row, value)
        let g = try t.tag(row, tag, required: v != nil)
        return (v, g)
      }
      let (params, paramsTag) = try tagged("params", "params_tag")
      let active = try t.optionalPositive(row, "active_params")
      if let active {
        guard let params, active <= params else {
          throw t.error(row, "active_params", "active_params must not exceed params.")
        }
      }
      let (tokens, tokensTag) = try tagged("tokens", "tokens_tag")
      let (flops, flopsTag) = try tagged("training_flops", "flops_tag")
      let (hours, hoursTag) = try tagged("accelerator_hours", "hours_tag")
      let (cost, costTag) = try tagged("cost_usd", "cost_tag")
      var acceleratorID: String? = nil
      if let raw = try t.optionalString(row, "accelerator_id") {
        if let accelerators {
          guard let resolved = accelerators.resolve(raw) else {
            throw t.error(
              row, "accelerator_id",
              "unknown accelerator '\(raw)'; use an id from accelerators.csv ("
                + accelerators.known.joined(separator: ", ") + ") or leave it empty.")
          }
          acceleratorID = resolved
        } else {
          acceleratorID = raw.lowercased()
        }
      }
      let layers = try t.optionalCount(row, "layers")
      let dModel = try t.optionalCount(row, "d_model")
      let heads = try t.optionalCount(row, "heads")
      let kvHeads = try t.optionalCount(row, "kv_heads")
      if let kvHeads, let heads, heads % kvHeads != 0 {
        throw t.error(row, "kv_heads", "heads (\(heads)) must be a multiple of kv_heads.")
      }
      if let dModel, let heads, dModel % heads != 0 {
        throw t.error(row, "d_model", "d_model (\(dModel)) must be a multiple of heads (\(heads)).")
      }
      let vocab = try t.optionalCount(row, "vocab")
      let context = try t.optionalCount(row, "context")
      let hasArch = [layers, dModel, heads, kvHeads, vocab, context].contains { $0 != nil }
      let archTag = try t.tag(row, "arch_tag", required: hasArch)
      out.append(
        ModelRecord(
          id: id, aliases: aliases, name: try t.required(row, "name"),
          organisation: try t.required(row, "organisation"), date: try t.required(row, "date"),
          params: params, activeParams: active, paramsTag: paramsTag, tokens: tokens,
          tokensTag: tokensTag, trainingFLOPs: flops, flopsTag: flopsTag,
          hardware: try t.string(row, "hardware"), acceleratorID: acceleratorID,
          acceleratorCount: try t.optionalPositive(row, "accelerator_count"),
          acceleratorHours: hours, hoursTag: hoursTag, costUSD: cost,
          costBasis: try t.string(row, "cost_basis"), costTag: costTag,
          energyMWh: try t.optionalPositive(row, "energy_mwh"), layers: layers, dModel: dModel,
          heads: heads, kvHeads: kvHeads, vocab: vocab, context: context, archTag: archTag,
          archSource: try t.string(row, "arch_source"), source: try t.required(row, "source"),
          alternatives: try t.alternatives(row, "alternatives"), notes: try t.string(row, "notes"),
          line: row.line))
    }
    return out
  }

  // MARK: - energy.csv

  static let energyColumns = [
    "quantity", "variant", "value", "unit", "default", "tag", "source", "notes",
  ]

  /// Loads and checks energy.csv.
  /// - Throws: `CatalogError` for the first malformed cell, a duplicate (quantity, variant), or a
  ///   quantity with more than one default (a quantity may have none, e.g. measured powers).
  public static func loadEnergy(files: CatalogFiles) throws -> [EnergyRecord] {
    try parseEnergy(files.table(energyFile))
  }

  /// Checks and converts a parsed energy table.
  /// - Throws: as `loadEnergy`.
  public static func parseEnergy(_ t: CSVTable) throws -> [EnergyRecord] {
    try t.requireColumns(energyColumns)
    var out: [EnergyRecord] = []
    var seen: Set<String> = []
    var defaults: [String: Int] = [:]
    for row in t.rows {
      let quantity = try t.identifier(row, "quantity")
      let variant = try t.identifier(row, "variant")
      guard seen.insert(quantity + "/" + variant).inserted else {
        throw t.error(row, "variant", "'\(quantity)' already has a variant '\(variant)'.")
      }
      let isDefault = try t.flag(row, "default")
      if isDefault {
        if let first = defaults[quantity] {
          throw t.error(
            row, "default", "'\(quantity)' already has a default value on line \(first).")
        }
        defaults[quantity] = row.line
      }
      let value = try t.positive(row, "value")
      // PUE is facility energy over IT energy (ISO/IEC 30134-2:2016, §6), and the server
      // overhead multiplies the accelerators' power by the rest of the server: neither is below 1.
      if ["pue", "server_overhead_factor"].contains(quantity), value < 1 {
        throw t.error(
          row, "value",
          "\(quantity) must be at least 1 (it multiplies the accelerators' energy), found "
            + "\(Format.significant(value, digits: 6)).")
      }
      out.append(
        EnergyRecord(
          quantity: quantity, variant: variant, value: value,
          unit: try t.required(row, "unit"), isDefault: isDefault,
          tag: try t.tag(row, "tag", required: true) ?? "", source: try t.required(row, "source"),
          notes: try t.string(row, "notes"), line: row.line))
    }
    return out
  }
}

/// Ids and aliases seen so far in one file, to report duplicates at the second occurrence.
struct NameRegistry {
  let kind: String
  var lines: [String: Int] = [:]

  init(kind: String) { self.kind = kind }

  mutating func claim(_ name: String, _ t: CSVTable, _ row: CSVTable.Row, _ column: String)
    throws
  {
    if let first = lines[name] {
      throw t.error(
        row, column,
        "\(kind) name '\(name)' is already used on line \(first); ids and aliases must be unique.")
    }
    lines[name] = row.line
  }
}

extension CSVTable {
  /// A required lowercase identifier: letters, digits, '.', '-' and '_'.
  /// - Throws: `CatalogError.malformed` if empty or containing other characters.
  func identifier(_ row: Row, _ name: String) throws -> String {
    let text = try required(row, name).lowercased()
    guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
    else {
      throw error(
        row, name, "'\(text)' is not a valid \(name): use letters, digits, '-', '.' and '_' only.")
    }
    return text
  }
}
