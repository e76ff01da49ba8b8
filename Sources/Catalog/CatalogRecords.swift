// Full catalog rows, as read from data/*.csv: every figure with its tag, source, notes and the
// values of disagreeing sources. The Planner computes with the slimmer `Accelerator` and
// `NotableModel`; these records keep the provenance for `catalog show` and `--explain`.
// JSON keys are snake_case with units, as in the CSV headers.

import Planner

/// One row of accelerators.csv.
public struct AcceleratorRecord: Sendable, Encodable, Equatable {
  /// The value the Planner computes with (default price filled in from prices.csv).
  public var accelerator: Accelerator
  /// Other names accepted on the command line, e.g. `a100` for `a100-80gb`.
  public var aliases: [String]
  /// Average measured chip power in watts, where published (e.g. TPU v4, which has no TDP).
  public var measuredPowerWatts: Double?
  /// Provenance tag of the row (R, E, D, U).
  public var tag: String
  /// Columns whose values are unverified [U] inside an otherwise tagged row.
  public var unverified: [String]
  /// Values from sources that disagree with the defaults.
  public var alternatives: [Alternative]
  /// Free-text notes.
  public var notes: String
  /// The 1-based line of the row in its file.
  public var line: Int

  enum CodingKeys: String, CodingKey {
    case id, aliases, name, vendor, release, tag, unverified, alternatives, notes, line, source
    case memoryGB = "memory_gb"
    case bandwidthTBps = "bandwidth_tbps"
    case peakTFLOPS = "peak_tflops_dense"
    case tdpWatts = "tdp_w"
    case measuredPowerWatts = "measured_power_w"
    case priceUSDPerHour = "default_usd_per_chip_hour"
    case priceDate = "default_price_date"
    case priceSource = "default_price_source"
  }

  /// Encodes flat, snake_case keys with units; peaks keyed by precision (`bf16`, `fp8`, …).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    let a = accelerator
    try c.encode(a.id, forKey: .id)
    try c.encode(aliases, forKey: .aliases)
    try c.encode(a.name, forKey: .name)
    try c.encode(a.vendor, forKey: .vendor)
    try c.encode(a.release, forKey: .release)
    try c.encode(a.memoryGB, forKey: .memoryGB)
    try c.encode(a.bandwidthTBps, forKey: .bandwidthTBps)
    var peaks: [String: Double] = [:]
    for (p, v) in a.peakTFLOPS { peaks[p.rawValue] = v }
    try c.encode(peaks, forKey: .peakTFLOPS)
    try c.encodeIfPresent(a.tdpWatts, forKey: .tdpWatts)
    try c.encodeIfPresent(measuredPowerWatts, forKey: .measuredPowerWatts)
    try c.encodeIfPresent(a.priceUSDPerHour, forKey: .priceUSDPerHour)
    try c.encodeIfPresent(a.priceDate, forKey: .priceDate)
    try c.encodeIfPresent(a.priceSource, forKey: .priceSource)
    try c.encode(a.source, forKey: .source)
    try c.encode(tag, forKey: .tag)
    try c.encode(unverified, forKey: .unverified)
    try c.encode(alternatives, forKey: .alternatives)
    try c.encode(notes, forKey: .notes)
    try c.encode(line, forKey: .line)
  }

  /// The catalog id (same as `accelerator.id`).
  public var id: String { accelerator.id }

  /// Creates a record.
  public init(
    accelerator: Accelerator, aliases: [String], measuredPowerWatts: Double?, tag: String,
    unverified: [String], alternatives: [Alternative], notes: String, line: Int
  ) {
    self.accelerator = accelerator
    self.aliases = aliases
    self.measuredPowerWatts = measuredPowerWatts
    self.tag = tag
    self.unverified = unverified
    self.alternatives = alternatives
    self.notes = notes
    self.line = line
  }
}

/// One row of models.csv. Parameters may be undisclosed (nil), unlike `NotableModel`.
public struct ModelRecord: Sendable, Codable, Equatable {
  public var id: String
  public var aliases: [String]
  public var name: String
  public var organisation: String
  /// Release date as written in the source, e.g. "2020-05".
  public var date: String
  /// Total parameters (MoE: all experts); nil when undisclosed.
  public var params: Double?
  /// Parameters active per token; nil for dense models (then equal to `params`).
  public var activeParams: Double?
  public var paramsTag: String?
  /// Training tokens.
  public var tokens: Double?
  public var tokensTag: String?
  /// Training compute, FLOP.
  public var trainingFLOPs: Double?
  public var flopsTag: String?
  /// Hardware as described by the source.
  public var hardware: String
  /// The accelerators.csv id of the training hardware, when it is in the catalog.
  public var acceleratorID: String?
  public var acceleratorCount: Double?
  /// Accelerator-hours (chip-hours) of training.
  public var acceleratorHours: Double?
  public var hoursTag: String?
  /// A reported or estimated cost in US$; `costBasis` says what it covers.
  public var costUSD: Double?
  public var costBasis: String
  public var costTag: String?
  /// Training energy in MWh, where reported or estimated.
  public var energyMWh: Double?
  public var layers: Int?
  public var dModel: Int?
  public var heads: Int?
  public var kvHeads: Int?
  public var vocab: Int?
  public var context: Int?
  public var archTag: String?
  public var archSource: String
  public var source: String
  public var alternatives: [Alternative]
  public var notes: String
  /// The 1-based line of the row in its file.
  public var line: Int

  enum CodingKeys: String, CodingKey {
    case id, aliases, name, organisation, date, params, tokens, hardware, layers, heads, vocab
    case context, source, alternatives, notes, line
    case activeParams = "active_params"
    case paramsTag = "params_tag"
    case tokensTag = "tokens_tag"
    case trainingFLOPs = "training_flops"
    case flopsTag = "flops_tag"
    case acceleratorID = "accelerator_id"
    case acceleratorCount = "accelerator_count"
    case acceleratorHours = "accelerator_hours"
    case hoursTag = "hours_tag"
    case costUSD = "cost_usd"
    case costBasis = "cost_basis"
    case costTag = "cost_tag"
    case energyMWh = "energy_mwh"
    case dModel = "d_model"
    case kvHeads = "kv_heads"
    case archTag = "arch_tag"
    case archSource = "arch_source"
  }

  /// The Planner's view of this model, or nil when the parameter count is undisclosed.
  public var notableModel: NotableModel? {
    guard let params else { return nil }
    var tags: [String] = []
    if let t = paramsTag { tags.append("params [\(t)]") }
    if let t = tokensTag { tags.append("tokens [\(t)]") }
    if let t = flopsTag { tags.append("FLOPs [\(t)]") }
    let tagged = tags.isEmpty ? "" : " (" + tags.joined(separator: ", ") + ")"
    return NotableModel(
      id: id, name: name, organisation: organisation, date: date, params: params,
      activeParams: activeParams ?? params, tokens: tokens, trainingFLOPs: trainingFLOPs,
      layers: layers, dModel: dModel, heads: heads, kvHeads: kvHeads, vocab: vocab,
      context: context, source: source + tagged)
  }
}

/// One row of prices.csv: a dated rental price per chip-hour.
public struct PriceRecord: Sendable, Codable, Equatable {
  /// The accelerators.csv id (aliases resolved), or nil for chips not in the catalog.
  public var acceleratorID: String?
  public var offering: String
  /// US$ per chip-hour (midpoint for a published range).
  public var usdPerChipHour: Double
  public var rangeLow: Double?
  public var rangeHigh: Double?
  public var usdPerInstanceHour: Double?
  public var chipsPerInstance: Double?
  /// When the price applied, as written (e.g. "2024", "2023-07/2025-06").
  public var date: String
  /// list, range, estimate, superseded, reconstructed or assumption.
  public var status: String
  /// True for the one price per accelerator used when the user gives none.
  public var isDefault: Bool
  public var tag: String
  public var source: String
  public var notes: String
  public var line: Int

  enum CodingKeys: String, CodingKey {
    case offering, date, status, tag, source, notes, line
    case acceleratorID = "accelerator_id"
    case usdPerChipHour = "usd_per_chip_hour"
    case rangeLow = "range_low"
    case rangeHigh = "range_high"
    case usdPerInstanceHour = "usd_per_instance_hour"
    case chipsPerInstance = "chips_per_instance"
    case isDefault = "default"
  }
}

/// One row of energy.csv: a value of an energy, power or carbon quantity from one source.
public struct EnergyRecord: Sendable, Codable, Equatable {
  /// What is measured, e.g. `pue`, `electricity_usd_per_kwh`, `grid_co2_kg_per_kwh`.
  public var quantity: String
  /// Which estimate, e.g. `industry-average-2023`.
  public var variant: String
  public var value: Double
  public var unit: String
  public var isDefault: Bool
  public var tag: String
  public var source: String
  public var notes: String
  public var line: Int

  enum CodingKeys: String, CodingKey {
    case quantity, variant, value, unit, tag, source, notes, line
    case isDefault = "default"
  }
}
