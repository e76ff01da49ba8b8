// `cost infer`: memory to hold a model, roofline decode speed, dollars per token and per query,
// energy, and a yearly bill from a query volume; or the bill alone from a given $ per query.

import Catalog
import Foundation
import Planner

/// The inputs of `cost infer`. Either a model (with `gpu`) or, for the bill alone, a given
/// `usdPerQuery` with a query volume.
public struct CostInferRequest: Codable, Sendable, Equatable {
  enum CodingKeys: String, CodingKey {
    case model
    case precision
    case bits
    case scaleBits = "scale_bits"
    case kvBits = "kv_bits"
    case gpu
    case accelerators
    case prompt
    case output
    case batch
    case queriesPerDay = "queries_per_day"
    case queriesPerYear = "queries_per_year"
    case share
    case usdPerQuery = "usd_per_query"
    case price
    case bandwidthEfficiency = "bandwidth_efficiency"
    case prefillMFU = "prefill_mfu"
    case decodeMFU = "decode_mfu"
    case memoryOverhead = "memory_overhead"
    case utilisation
    case pue
    case watts
  }

  /// Decodes a request in which any optional field, and any field with a default, may be
  /// missing (the JSON of the web API and of `Engine.answer`).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decodeIfPresent(CostModelSpec.self, forKey: .model) ?? CostModelSpec()
    precision = try c.decodeIfPresent(Precision.self, forKey: .precision)
    bits = try c.decodeIfPresent(Double.self, forKey: .bits)
    scaleBits = try c.decodeIfPresent(Double.self, forKey: .scaleBits)
    kvBits = try c.decodeIfPresent(Double.self, forKey: .kvBits)
    gpu = try c.decodeIfPresent(String.self, forKey: .gpu)
    accelerators = try c.decodeIfPresent(Int.self, forKey: .accelerators)
    prompt = try c.decodeIfPresent(Double.self, forKey: .prompt)
    output = try c.decodeIfPresent(Double.self, forKey: .output)
    batch = try c.decodeIfPresent(Int.self, forKey: .batch)
    queriesPerDay = try c.decodeIfPresent(Double.self, forKey: .queriesPerDay)
    queriesPerYear = try c.decodeIfPresent(Double.self, forKey: .queriesPerYear)
    share = try c.decodeIfPresent(Double.self, forKey: .share)
    usdPerQuery = try c.decodeIfPresent(Double.self, forKey: .usdPerQuery)
    price = try c.decodeIfPresent(Double.self, forKey: .price)
    bandwidthEfficiency = try c.decodeIfPresent(Double.self, forKey: .bandwidthEfficiency)
    prefillMFU = try c.decodeIfPresent(Double.self, forKey: .prefillMFU)
    decodeMFU = try c.decodeIfPresent(Double.self, forKey: .decodeMFU)
    memoryOverhead = try c.decodeIfPresent(Double.self, forKey: .memoryOverhead)
    utilisation = try c.decodeIfPresent(Double.self, forKey: .utilisation)
    pue = try c.decodeIfPresent(Double.self, forKey: .pue)
    watts = try c.decodeIfPresent(Double.self, forKey: .watts)
  }

  /// The model served (`--model`, `--params`, `--active-params`, architecture flags).
  public var model: CostModelSpec
  /// Weight precision (`--precision`; default bf16), or any bit width (`--bits`).
  public var precision: Precision?
  public var bits: Double?
  /// Quantisation-constant bits per weight (`--scale-bits`; default 0).
  public var scaleBits: Double?
  /// Bits per cached K/V value (`--kv-bits`; default data/inference.csv).
  public var kvBits: Double?
  /// Accelerator id (`--gpu`) and accelerators per replica (`--accelerators`).
  public var gpu: String?
  public var accelerators: Int?
  /// Prompt and output tokens per query, sequences decoded together (`--prompt`, `--output`,
  /// `--batch`).
  public var prompt: Double?
  public var output: Double?
  public var batch: Int?
  /// Query volume (`--queries-per-day` or `--queries-per-year`), the share served (`--share`),
  /// and a given cost per query (`--usd-per-query`).
  public var queriesPerDay: Double?
  public var queriesPerYear: Double?
  public var share: Double?
  public var usdPerQuery: Double?
  /// Overrides of the serving assumptions (defaults: data/inference.csv, data/energy.csv).
  public var price: Double?
  public var bandwidthEfficiency: Double?
  public var prefillMFU: Double?
  public var decodeMFU: Double?
  public var memoryOverhead: Double?
  public var utilisation: Double?
  public var pue: Double?
  public var watts: Double?

  /// Creates a request; nil fields take the engine's defaults.
  public init(
    model: CostModelSpec = CostModelSpec(), precision: Precision? = nil, bits: Double? = nil,
    scaleBits: Double? = nil, kvBits: Double? = nil, gpu: String? = nil,
    accelerators: Int? = nil, prompt: Double? = nil, output: Double? = nil, batch: Int? = nil,
    queriesPerDay: Double? = nil, queriesPerYear: Double? = nil, share: Double? = nil,
    usdPerQuery: Double? = nil, price: Double? = nil, bandwidthEfficiency: Double? = nil,
    prefillMFU: Double? = nil, decodeMFU: Double? = nil, memoryOverhead: Double? = nil,
    utilisation: Double? = nil, pue: Double? = nil, watts: Double? = nil
  ) {
    self.model = model
    self.precision = precision
    self.bits = bits
    self.scaleBits = scaleBits
    self.kvBits = kvBits
    self.gpu = gpu
    self.accelerators = accelerators
    self.prompt = prompt
    self.output = output
    self.batch = batch
    self.queriesPerDay = queriesPerDay
    self.queriesPerYear = queriesPerYear
    self.share = share
    self.usdPerQuery = usdPerQuery
    self.price = price
    self.bandwidthEfficiency = bandwidthEfficiency
    self.prefillMFU = prefillMFU
    self.decodeMFU = decodeMFU
    self.memoryOverhead = memoryOverhead
    self.utilisation = utilisation
    self.pue = pue
    self.watts = watts
  }

  /// `--precision` text to a precision.
  /// - Throws: `RequestError.invalid` listing the accepted values.
  public static func precision(parsing text: String) throws -> Precision {
    let key = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let p = Precision(rawValue: key) else {
      throw RequestError.invalid(InferenceError.unknownPrecision(text).description)
    }
    return p
  }

  /// True when only the bill is asked for (a given $ per query and no model).
  public var billOnly: Bool { usdPerQuery != nil && model.isEmpty }

  /// Queries per year from either volume field.
  public var yearlyQueries: Double? { queriesPerYear ?? queriesPerDay.map { $0 * 365 } }

  /// Checks partners, contradictions and ranges.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    if queriesPerYear != nil && queriesPerDay != nil {
      throw RequestError.invalid("Give --queries-per-day or --queries-per-year, not both.")
    }
    if billOnly {
      if yearlyQueries == nil {
        throw RequestError.invalid(
          "--usd-per-query needs --queries-per-year or --queries-per-day.")
      }
    } else {
      if model.isEmpty {
        throw RequestError.invalid("Give --model ID or --params N (e.g. --params 175B).")
      }
      try model.validate()
      if gpu == nil {
        throw RequestError.invalid("Give --gpu ID (e.g. --gpu h100); see `scaleplan catalog`.")
      }
      if bits != nil && precision != nil {
        throw RequestError.invalid("Give --precision or --bits, not both.")
      }
    }
    for (value, flag, bound) in [
      (prompt, "--prompt", InputBounds.sequenceTokens),
      (output, "--output", InputBounds.sequenceTokens),
      (price, "--price", InputBounds.pricePerHour), (watts, "--watts", InputBounds.watts),
      (queriesPerYear, "--queries-per-year", InputBounds.queriesPerYear),
      (queriesPerDay, "--queries-per-day", InputBounds.queriesPerYear),
      (usdPerQuery, "--usd-per-query", InputBounds.usdPerQuery),
    ] {
      if let value, value.isFinite, value > 0 { try bound.check(value, flag) }
    }
    if let batch, batch > 0 { try InputBounds.batch.check(batch, "--batch") }
    if let n = accelerators, n > 0 { try InputBounds.accelerators.check(n, "--accelerators") }
    try costCheck {
      if let b = bits { _ = try WeightFormat(bits: b, scaleOverheadBits: scaleBits ?? 0) }
      if let s = scaleBits, !(s.isFinite && s >= 0) { throw InferenceError.badBits(s) }
      _ = try InferenceWorkload(
        promptTokens: prompt ?? InferenceWorkload.defaultPromptTokens,
        outputTokens: output ?? InferenceWorkload.defaultOutputTokens, batch: batch ?? 1)
      for (v, name) in [
        (bandwidthEfficiency, "--bandwidth-efficiency"), (prefillMFU, "--prefill-mfu"),
        (decodeMFU, "--decode-mfu"), (utilisation, "--utilisation"), (share, "--share"),
      ] {
        if let v, !(v.isFinite && v > 0 && v <= 1) {
          throw InferenceError.fractionOutOfRange(name: name, value: v)
        }
      }
      if let m = memoryOverhead, !(m.isFinite && m >= 0) {
        throw InferenceError.negative(name: "--memory-overhead", value: m)
      }
      if let p = pue, !(p.isFinite && p >= 1) {
        throw InferenceError.notPositive(name: "--pue minus 1 (PUE is at least 1)", value: p - 1)
      }
      if let k = kvBits, !(k.isFinite && k > 0 && k <= 32) { throw InferenceError.badBits(k) }
      for (v, name) in [
        (watts, "--watts"), (price, "--price"), (queriesPerYear, "--queries-per-year"),
        (queriesPerDay, "--queries-per-day"), (usdPerQuery, "--usd-per-query"),
      ] {
        if let v, !(v.isFinite && v > 0) { throw InferenceError.notPositive(name: name, value: v) }
      }
      if let n = accelerators, n < 1 {
        throw InferenceError.notPositive(name: "--accelerators", value: Double(n))
      }
    }
  }
}

/// A yearly serving bill.
public struct CostInferBill: Codable, Sendable, Equatable {
  public var queriesPerYear: Double
  /// queries per year / 365.
  public var queriesPerDay: Double
  public var share: Double
  public var usdPerQuery: Double
  /// "--usd-per-query" or "estimated".
  public var usdPerQuerySource: String
  public var usdPerDay: Double
  public var usdPerYear: Double

  enum CodingKeys: String, CodingKey {
    case share
    case queriesPerYear = "queries_per_year"
    case queriesPerDay = "queries_per_day"
    case usdPerQuery = "usd_per_query"
    case usdPerQuerySource = "usd_per_query_source"
    case usdPerDay = "usd_per_day"
    case usdPerYear = "usd_per_year"
  }
}

/// One published quality measurement shown beside a quantized model.
public struct CostInferQuality: Codable, Sendable, Equatable {
  public var model: String
  public var method: String
  public var bits: Double
  public var metric: String
  public var dataset: String
  public var value: Double
  /// "paper, table".
  public var source: String
  public var paper: String
  public var table: String
  /// The 16-bit baseline row (not a quantized one).
  public var baseline: Bool
  /// The model group the row belongs to (one block of the table each).
  public var group: String
}

/// The serving figures of `cost infer` with a model; keys are `--json`'s.
public struct CostInferServing: Codable, Sendable, Equatable {
  public var model: String
  public var accelerator: String
  public var acceleratorName: String
  public var acceleratorMemoryGB: Double
  public var precision: String
  public var bytesPerParam: Double
  public var weightsBytes: Double
  public var kvCacheBytesPerToken: Double?
  /// Null when the architecture is unknown.
  public var kvCacheBytes: Double?
  public var kvCacheExcluded: Bool
  public var totalMemoryBytes: Double
  public var acceleratorsToHold: Int
  public var acceleratorsPerReplica: Int
  public var fitsOnOne: Bool
  public var prefillFLOPsPerToken: Double
  public var decodeMsPerToken: Double
  public var decodeMemoryMs: Double
  public var decodeComputeMs: Double
  public var decodeBound: String
  public var tokensPerSecond: Double
  public var tokensPerSecondPerAccelerator: Double
  public var latencySecondsPerQuery: Double
  public var usdPerMillionTokens: Double?
  public var usdPerMillionInputTokens: Double?
  public var usdPerMillionOutputTokens: Double?
  public var usdPerQuery: Double?
  public var energyWhPerQuery: Double?
  /// Largest context held in the KV cache (prompt + output).
  public var maxContext: Double
  public var quality: [CostInferQuality]
  public var assumptions: Assumptions
  /// Where the price, PUE and power come from.
  public var priceSource: String?
  public var pueSource: String
  public var powerSource: String

  /// The assumptions used, each a default (data/inference.csv, data/energy.csv) or a flag.
  public struct Assumptions: Codable, Sendable, Equatable {
    public var priceUSDPerHour: Double?
    public var utilisation: Double
    public var pue: Double
    public var wattsPerAccelerator: Double?
    public var bandwidthEfficiency: Double
    public var prefillMFU: Double
    public var decodeMFU: Double
    public var memoryOverhead: Double
    public var kvBits: Double
    public var promptTokens: Double
    public var outputTokens: Double
    public var batch: Int

    enum CodingKeys: String, CodingKey {
      case utilisation, pue, batch
      case priceUSDPerHour = "price_usd_per_hour"
      case wattsPerAccelerator = "watts_per_accelerator"
      case bandwidthEfficiency = "bandwidth_efficiency"
      case prefillMFU = "prefill_mfu"
      case decodeMFU = "decode_mfu"
      case memoryOverhead = "memory_overhead"
      case kvBits = "kv_bits"
      case promptTokens = "prompt_tokens"
      case outputTokens = "output_tokens"
    }

    /// Encodes every key, unknown values as null.
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(priceUSDPerHour, forKey: .priceUSDPerHour)
      try c.encode(utilisation, forKey: .utilisation)
      try c.encode(pue, forKey: .pue)
      try c.encode(wattsPerAccelerator, forKey: .wattsPerAccelerator)
      try c.encode(bandwidthEfficiency, forKey: .bandwidthEfficiency)
      try c.encode(prefillMFU, forKey: .prefillMFU)
      try c.encode(decodeMFU, forKey: .decodeMFU)
      try c.encode(memoryOverhead, forKey: .memoryOverhead)
      try c.encode(kvBits, forKey: .kvBits)
      try c.encode(promptTokens, forKey: .promptTokens)
      try c.encode(outputTokens, forKey: .outputTokens)
      try c.encode(batch, forKey: .batch)
    }
  }

  enum CodingKeys: String, CodingKey {
    case model, accelerator, precision, quality, assumptions
    case acceleratorName = "accelerator_name"
    case acceleratorMemoryGB = "accelerator_memory_gb"
    case bytesPerParam = "bytes_per_param"
    case weightsBytes = "weights_bytes"
    case kvCacheBytesPerToken = "kv_cache_bytes_per_token"
    case kvCacheBytes = "kv_cache_bytes"
    case kvCacheExcluded = "kv_cache_excluded"
    case totalMemoryBytes = "total_memory_bytes"
    case acceleratorsToHold = "accelerators_to_hold"
    case acceleratorsPerReplica = "accelerators_per_replica"
    case fitsOnOne = "fits_on_one"
    case prefillFLOPsPerToken = "prefill_flops_per_token"
    case decodeMsPerToken = "decode_ms_per_token"
    case decodeMemoryMs = "decode_memory_ms"
    case decodeComputeMs = "decode_compute_ms"
    case decodeBound = "decode_bound"
    case tokensPerSecond = "tokens_per_second"
    case tokensPerSecondPerAccelerator = "tokens_per_second_per_accelerator"
    case latencySecondsPerQuery = "latency_seconds_per_query"
    case usdPerMillionTokens = "usd_per_million_tokens"
    case usdPerMillionInputTokens = "usd_per_million_input_tokens"
    case usdPerMillionOutputTokens = "usd_per_million_output_tokens"
    case usdPerQuery = "usd_per_query"
    case energyWhPerQuery = "energy_wh_per_query"
    case maxContext = "max_context"
    case priceSource = "price_source"
    case pueSource = "pue_source"
    case powerSource = "power_source"
  }

  /// Encodes every key, unknown figures as null.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(model, forKey: .model)
    try c.encode(accelerator, forKey: .accelerator)
    try c.encode(acceleratorName, forKey: .acceleratorName)
    try c.encode(acceleratorMemoryGB, forKey: .acceleratorMemoryGB)
    try c.encode(precision, forKey: .precision)
    try c.encode(bytesPerParam, forKey: .bytesPerParam)
    try c.encode(weightsBytes, forKey: .weightsBytes)
    try c.encode(kvCacheBytesPerToken, forKey: .kvCacheBytesPerToken)
    try c.encode(kvCacheBytes, forKey: .kvCacheBytes)
    try c.encode(kvCacheExcluded, forKey: .kvCacheExcluded)
    try c.encode(totalMemoryBytes, forKey: .totalMemoryBytes)
    try c.encode(acceleratorsToHold, forKey: .acceleratorsToHold)
    try c.encode(acceleratorsPerReplica, forKey: .acceleratorsPerReplica)
    try c.encode(fitsOnOne, forKey: .fitsOnOne)
    try c.encode(prefillFLOPsPerToken, forKey: .prefillFLOPsPerToken)
    try c.encode(decodeMsPerToken, forKey: .decodeMsPerToken)
    try c.encode(decodeMemoryMs, forKey: .decodeMemoryMs)
    try c.encode(decodeComputeMs, forKey: .decodeComputeMs)
    try c.encode(decodeBound, forKey: .decodeBound)
    try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
    try c.encode(tokensPerSecondPerAccelerator, forKey: .tokensPerSecondPerAccelerator)
    try c.encode(latencySecondsPerQuery, forKey: .latencySecondsPerQuery)
    try c.encode(usdPerMillionTokens, forKey: .usdPerMillionTokens)
    try c.encode(usdPerMillionInputTokens, forKey: .usdPerMillionInputTokens)
    try c.encode(usdPerMillionOutputTokens, forKey: .usdPerMillionOutputTokens)
    try c.encode(usdPerQuery, forKey: .usdPerQuery)
    try c.encode(energyWhPerQuery, forKey: .energyWhPerQuery)
    try c.encode(maxContext, forKey: .maxContext)
    try c.encode(quality, forKey: .quality)
    try c.encode(assumptions, forKey: .assumptions)
    try c.encode(priceSource, forKey: .priceSource)
    try c.encode(pueSource, forKey: .pueSource)
    try c.encode(powerSource, forKey: .powerSource)
  }
}

/// Everything `cost infer` shows. With a model, the JSON is the serving figures' keys plus
/// usd_per_day and usd_per_year (null without a volume) and the bill as `bill`; for the bill
/// alone, the bill's keys (queries_per_year, share, usd_per_query, usd_per_day, usd_per_year).
public struct CostInferResult: Codable, Sendable, Explained {
  /// Nil for the bill alone.
  public var serving: CostInferServing?
  /// Nil without a query volume.
  public var bill: CostInferBill?
  public var warnings: [String]
  public var explanation: Explanation?

  enum ExtraKeys: String, CodingKey {
    case bill, warnings, explanation
    case usdPerDay = "usd_per_day"
    case usdPerYear = "usd_per_year"
    case weightsBytes = "weights_bytes"
  }

  /// Creates a result.
  public init(
    serving: CostInferServing?, bill: CostInferBill?, warnings: [String] = [],
    explanation: Explanation?
  ) {
    self.serving = serving
    self.bill = bill
    self.warnings = warnings
    self.explanation = explanation
  }

  /// Decodes either shape.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: ExtraKeys.self)
    if c.contains(.weightsBytes) {
      serving = try CostInferServing(from: decoder)
      bill = try c.decodeIfPresent(CostInferBill.self, forKey: .bill)
    } else {
      serving = nil
      bill = try CostInferBill(from: decoder)
    }
    warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    explanation = try c.decodeIfPresent(Explanation.self, forKey: .explanation)
  }

  /// Encodes the shape described above.
  public func encode(to encoder: Encoder) throws {
    if let serving {
      try serving.encode(to: encoder)
      var c = encoder.container(keyedBy: ExtraKeys.self)
      try c.encode(bill?.usdPerDay, forKey: .usdPerDay)
      try c.encode(bill?.usdPerYear, forKey: .usdPerYear)
      try c.encode(bill, forKey: .bill)
    } else if let bill {
      try bill.encode(to: encoder)
    }
    var c = encoder.container(keyedBy: ExtraKeys.self)
    try c.encode(warnings, forKey: .warnings)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }
}

extension Engine {
  /// Serving cost: memory, roofline speed, dollars and energy (`estimateInference`), and the
  /// yearly bill; or the bill alone from a given $ per query.
  /// - Throws: `RequestError` for a bad request or too few accelerators; `CatalogError` for an
  ///   unknown model or accelerator.
  public func costInfer(_ r: CostInferRequest) throws -> CostInferResult {
    try requireFinite(costInferUnchecked(r), inputs: "--params, --prompt, --output, --batch or the query volume")
  }

  func costInferUnchecked(_ r: CostInferRequest) throws -> CostInferResult {
    try r.validate()
    if r.billOnly, let qpy = r.yearlyQueries, let given = r.usdPerQuery {
      let bill = try Self.bill(qpy, share: r.share ?? 1, usdPerQuery: given, source: "--usd-per-query")
      let ex = Explanation([
        ExplainedStep(
          quantity: "$ per year", formula: "queries/year × share × $/query",
          inputs: [
            ExplainedInput("queries/year", Format.si(qpy), source: "--queries-per-year or × 365"),
            ExplainedInput("share", Format.number(bill.share), source: "--share"),
            ExplainedInput(
              "$/query", "$" + Format.significant(given, digits: 4), source: "--usd-per-query"),
          ], result: Format.dollars(bill.usdPerYear), source: "definition")
      ])
      return CostInferResult(serving: nil, bill: bill, explanation: ex)
    }
    let files = try catalogFiles()
    let cat = try CatalogSet.load(files: files)
    let (shape, modelID) = try r.model.shape { cat }
    guard let gpuID = r.gpu else {
      throw RequestError.invalid("Give --gpu ID (e.g. --gpu h100); see `scaleplan catalog`.")
    }
    let accelerator = try cat.accelerator(gpuID)
    let format = try withRequestErrors {
      try r.bits.map { try WeightFormat(bits: $0, scaleOverheadBits: r.scaleBits ?? 0) }
        ?? WeightFormat(r.precision ?? .bf16, scaleOverheadBits: r.scaleBits ?? 0)
    }
    let workload = try withRequestErrors {
      try InferenceWorkload(
        promptTokens: r.prompt ?? InferenceWorkload.defaultPromptTokens,
        outputTokens: r.output ?? InferenceWorkload.defaultOutputTokens, batch: r.batch ?? 1)
    }
    let defaults = (try? InferenceCatalog.defaults(files: files)) ?? []
    // One energy type for training and serving: the serving power factor is EnergyDefaults'
    // overhead (server factor × average draw); without energy.csv defaults, TDP and PUE 1.1.
    let energy = try? EnergyDefaults(cat)
    let pueSource =
      energy != nil
      ? "data/energy.csv default (\((try? cat.energyDefault("pue"))?.variant ?? ""))"
      : "built-in default (Patterson et al. 2021)"
    var powerSource = "TDP"
    if energy != nil, let s = try? cat.energyDefault("server_overhead_factor"),
      let d = try? cat.energyDefault("average_draw_factor")
    {
      powerSource =
        "TDP × server overhead \(Format.number(s.value)) × average draw \(Format.number(d.value))"
        + " (data/energy.csv defaults)"
    }
    var a = InferenceCatalog.assumptions(from: defaults)
    a.bandwidthEfficiency = r.bandwidthEfficiency ?? a.bandwidthEfficiency
    a.prefillMFU = r.prefillMFU ?? a.prefillMFU
    a.decodeMFU = r.decodeMFU ?? a.decodeMFU
    a.memoryOverheadFraction = r.memoryOverhead ?? a.memoryOverheadFraction
    a.utilisation = r.utilisation ?? a.utilisation
    a.pue = r.pue ?? energy?.pue ?? InferenceAssumptions.standard.pue
    a.kvBits = r.kvBits ?? a.kvBits
    a.priceUSDPerHour = r.price
    a.wattsPerAccelerator = r.watts ?? accelerator.tdpWatts.map { $0 * (energy?.overhead ?? 1) }
    a.wattsSource = r.watts != nil ? "--watts" : powerSource
    let est = try withRequestErrors {
      try estimateInference(
        model: shape, format: format, accelerator: accelerator, workload: workload,
        assumptions: a, acceleratorsPerReplica: r.accelerators)
    }
    let quantRows = (try? InferenceCatalog.quantization(files: files)) ?? []
    let groups =
      format.bits < 16
      ? quantRows.quality(modelID: modelID, params: shape.params, bits: format.bits) : []
    let quality = groups.flatMap { g in
      (g.baseline.map { ($0, true) } + g.quantized.map { ($0, false) }).map { m, base in
        CostInferQuality(
          model: m.model, method: m.method, bits: m.bits, metric: m.metric, dataset: m.dataset,
          value: m.value, source: "\(m.paper), \(m.table)", paper: m.paper, table: m.table,
          baseline: base, group: g.model)
      }
    }
    var bill: CostInferBill?
    if let qpy = r.yearlyQueries {
      guard let perQuery = r.usdPerQuery ?? est.usdPerQuery else {
        throw RequestError.invalid(InferenceError.noPrice(accelerator: accelerator.id).description)
      }
      bill = try Self.bill(
        qpy, share: r.share ?? 1, usdPerQuery: perQuery,
        source: r.usdPerQuery != nil ? "--usd-per-query" : "estimated")
    }
    let priceSource: String? =
      est.priceUSDPerHour == nil
      ? nil
      : (r.price != nil
        ? "--price"
        : "\(accelerator.priceSource ?? "catalog"), \(accelerator.priceDate ?? "undated")")
    let serving = CostInferServing(
      model: est.model, accelerator: est.accelerator, acceleratorName: accelerator.name,
      acceleratorMemoryGB: accelerator.memoryGB, precision: est.format,
      bytesPerParam: est.bytesPerParam, weightsBytes: est.weightsBytes,
      kvCacheBytesPerToken: est.kvCacheBytesPerToken,
      kvCacheBytes: est.kvExcluded ? nil : est.kvCacheBytes, kvCacheExcluded: est.kvExcluded,
      totalMemoryBytes: est.totalMemoryBytes, acceleratorsToHold: est.acceleratorsToHold,
      acceleratorsPerReplica: est.acceleratorsPerReplica, fitsOnOne: est.fitsOnOne,
      prefillFLOPsPerToken: est.prefillFLOPsPerToken, decodeMsPerToken: est.decodeMsPerToken,
      decodeMemoryMs: est.decodeMemoryMsPerStep, decodeComputeMs: est.decodeComputeMsPerStep,
      decodeBound: est.decodeBound, tokensPerSecond: est.tokensPerSecondPerReplica,
      tokensPerSecondPerAccelerator: est.tokensPerSecondPerAccelerator,
      latencySecondsPerQuery: est.latencySecondsPerQuery,
      usdPerMillionTokens: est.usdPerMillionTokens,
      usdPerMillionInputTokens: est.usdPerMillionInputTokens,
      usdPerMillionOutputTokens: est.usdPerMillionOutputTokens, usdPerQuery: est.usdPerQuery,
      energyWhPerQuery: est.energyWhPerQuery, maxContext: est.workload.maxContext,
      quality: quality,
      assumptions: CostInferServing.Assumptions(
        priceUSDPerHour: est.priceUSDPerHour, utilisation: est.assumptions.utilisation,
        pue: est.assumptions.pue, wattsPerAccelerator: est.wattsPerAccelerator,
        bandwidthEfficiency: est.assumptions.bandwidthEfficiency,
        prefillMFU: est.assumptions.prefillMFU, decodeMFU: est.assumptions.decodeMFU,
        memoryOverhead: est.assumptions.memoryOverheadFraction, kvBits: est.assumptions.kvBits,
        promptTokens: est.workload.promptTokens, outputTokens: est.workload.outputTokens,
        batch: est.workload.batch),
      priceSource: priceSource, pueSource: r.pue != nil ? "--pue" : pueSource,
      powerSource: r.watts != nil ? "--watts" : powerSource)
    return CostInferResult(serving: serving, bill: bill, explanation: est.explanation)
  }

  static func bill(_ qpy: Double, share: Double, usdPerQuery: Double, source: String) throws
    -> CostInferBill
  {
    let b = try withRequestErrors {
      try servingBill(queriesPerYear: qpy, share: share, usdPerQuery: usdPerQuery)
    }
    return CostInferBill(
      queriesPerYear: b.queriesPerYear, queriesPerDay: b.queriesPerYear / 365, share: b.share,
      usdPerQuery: b.usdPerQuery, usdPerQuerySource: source, usdPerDay: b.usdPerDay,
      usdPerYear: b.usdPerYear)
  }
}
