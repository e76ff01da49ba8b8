// Serving cost of a language model: memory to hold it, roofline speed, dollars and energy.
// Memory: weights = N_total × bytes/param; KV cache per token = 2 (K and V) × n_layers ×
//   n_kv_heads × d_head × bytes (GQA-aware; Ainslie et al. 2023), × context × batch.
// Speed: forward FLOPs/token = 2·N + 2·n_layer·n_ctx·d_attn (Kaplan et al. 2020, Table 1; N here
//   is total active parameters, embeddings included). A decode step for a batch of B sequences
//   takes max(memory time, compute time), memory time = (active weight bytes + B·KV bytes read)
//   / (bandwidth × efficiency), compute time = B·FLOPs/token / (peak × MFU) (roofline; Williams et al. 2009).
//   Prefill is treated as compute-bound (batched over the prompt). MoE: memory from total parameters, FLOPs and
//   bytes read per token from active parameters.
// Money: $ = accelerator-hours × price / utilisation; energy = hours × watts × PUE (Patterson et al. 2021
//   method).

import Foundation

/// Errors from inference, fine-tuning and lifetime-allocation calculations; one sentence each.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
  case unknownPrecision(String)
  case badBits(Double)
  case notPositive(name: String, value: Double)
  case negative(name: String, value: Double)
  case fractionOutOfRange(name: String, value: Double)
  case incompleteArchitecture(String)
  case tooFewAccelerators(needed: Int, given: Int, bytes: Double, perAcceleratorGB: Double)
  case noPeak(accelerator: String, precision: String)
  case unreachableLoss(target: Double, floor: Double)
  case noPrice(accelerator: String)

  public var description: String {
    switch self {
    case .unknownPrecision(let text):
      return "Unknown precision '\(text)'; use one of "
        + Precision.allCases.map(\.rawValue).joined(separator: ", ")
        + ", or give --bits N for another width."
    case .badBits(let b):
      return "Bits per weight must be greater than 0 and at most 32, got \(Format.number(b))."
    case .notPositive(let name, let value):
      return "\(name) must be greater than zero, got \(Format.number(value))."
    case .negative(let name, let value):
      return "\(name) must not be negative, got \(Format.number(value))."
    case .fractionOutOfRange(let name, let value):
      return "\(name) must be a fraction greater than 0 and at most 1, got \(Format.number(value))."
    case .incompleteArchitecture(let what):
      return "The architecture is incomplete: \(what)."
    case .tooFewAccelerators(let needed, let given, let bytes, let gb):
      return "The model needs \(Format.si(bytes / 1e9)) GB, which takes \(needed) accelerators of "
        + "\(Format.number(gb)) GB, but only \(given) were given; raise --accelerators or use a "
        + "lower precision."
    case .noPeak(let acc, let p):
      return "The catalog lists no \(p) peak for '\(acc)'; choose another --precision or "
        + "accelerator."
    case .unreachableLoss(let target, let floor):
      return "Target loss \(Format.number(target)) is not above the law's irreducible loss "
        + "E = \(Format.number(floor)); choose a larger --target-loss."
    case .noPrice(let acc):
      return "No price per hour is known for '\(acc)'; give --price in US$ per accelerator-hour."
    }
  }
}

/// Checks `value > 0` and finite.
func requirePositiveInference(_ value: Double, _ name: String) throws {
  guard value.isFinite, value > 0 else {
    throw InferenceError.notPositive(name: name, value: value)
  }
}

/// Checks `0 < value ≤ 1`.
func requireFraction(_ value: Double, _ name: String) throws {
  guard value.isFinite, value > 0, value <= 1 else {
    throw InferenceError.fractionOutOfRange(name: name, value: value)
  }
}

// MARK: - Model shape

/// What the calculator needs to know about a model: sizes, and the architecture when known.
public struct ModelShape: Sendable, Equatable, Codable {
  /// Display name (catalog name or "175B params").
  public var name: String
  /// Total parameters (MoE: all experts); sets weight memory.
  public var params: Double
  /// Parameters active per token (equals `params` for dense models); sets FLOPs and bytes read.
  public var activeParams: Double
  public var layers: Int?
  public var dModel: Int?
  public var heads: Int?
  /// KV heads (grouped-query attention); nil means multi-head (= heads).
  public var kvHeads: Int?

  /// Creates a shape.
  ///
  /// - Throws: `InferenceError` for non-positive sizes, active > total, or kv-heads without heads.
  public init(
    params: Double, activeParams: Double? = nil, layers: Int? = nil, dModel: Int? = nil,
    heads: Int? = nil, kvHeads: Int? = nil, name: String? = nil
  ) throws {
    try requirePositiveInference(params, "--params")
    let active = activeParams ?? params
    try requirePositiveInference(active, "--active-params")
    guard active <= params * (1 + 1e-9) else {
      throw InferenceError.incompleteArchitecture(
        "active parameters (\(Format.si(active))) exceed total parameters (\(Format.si(params)))")
    }
    for (v, n) in [
      (layers, "--layers"), (dModel, "--d-model"), (heads, "--heads"),
      (kvHeads, "--kv-heads"),
    ] {
      if let v, v <= 0 { throw InferenceError.notPositive(name: n, value: Double(v)) }
    }
    if kvHeads != nil && heads == nil {
      throw InferenceError.incompleteArchitecture(
        "--kv-heads needs --heads to know the head dimension (d_model / heads)")
    }
    if let h = heads, let kv = kvHeads, kv > h {
      throw InferenceError.incompleteArchitecture("--kv-heads (\(kv)) exceeds --heads (\(h))")
    }
    self.params = params
    self.activeParams = active
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.kvHeads = kvHeads
    self.name = name ?? "\(Format.si(params)) params"
  }

  /// The shape of a catalog model.
  public init(_ model: NotableModel) {
    self.name = model.name
    self.params = model.params
    self.activeParams = min(model.activeParams, model.params)
    self.layers = model.layers
    self.dModel = model.dModel
    self.heads = model.heads
    self.kvHeads = model.kvHeads
  }

  /// True when layers and d_model are known (KV cache and attention FLOPs can be computed).
  public var hasArchitecture: Bool { layers != nil && dModel != nil }

  /// KV-cache bytes per token: 2 × layers × kv_heads × d_head × bytes, d_head = d_model / heads.
  ///
  /// Without head counts, multi-head attention is assumed (kv_heads × d_head = d_model).
  /// Returns nil when layers or d_model are unknown.
  public func kvCacheBytesPerToken(bytesPerValue: Double) -> Double? {
    guard let L = layers, let d = dModel else { return nil }
    var kvWidth = Double(d)
    if let h = heads, let kv = kvHeads { kvWidth = Double(d) / Double(h) * Double(kv) }
    return 2 * Double(L) * kvWidth * bytesPerValue
  }

  /// Forward FLOPs per token at context length `context` (Kaplan Table 1): 2·N_active plus
  /// 2·n_layer·n_ctx·d_attn when the architecture is known (d_attn = d_model).
  public func forwardFLOPsPerToken(context: Double) -> Double {
    var f = 2 * activeParams
    if let L = layers, let d = dModel { f += 2 * Double(L) * max(context, 0) * Double(d) }
    return f
  }
}

// MARK: - Workload and assumptions

/// Tokens per query and the number of sequences decoded together.
public struct InferenceWorkload: Sendable, Equatable, Codable {
  public var promptTokens: Double
  public var outputTokens: Double
  public var batch: Int

  /// Defaults: 70 prompt and 215 output tokens, the LMSys averages that Sardana and colleagues use as defaults
  /// (beyond-chinchilla repository, cost_optimal.py); batch 1.
  public static let defaultPromptTokens = 70.0
  public static let defaultOutputTokens = 215.0

  /// Creates a workload.
  ///
  /// - Throws: `InferenceError` for a negative token count, no tokens at all, or batch < 1.
  public init(promptTokens: Double, outputTokens: Double, batch: Int) throws {
    guard promptTokens.isFinite, promptTokens >= 0 else {
      throw InferenceError.negative(name: "--prompt", value: promptTokens)
    }
    guard outputTokens.isFinite, outputTokens >= 0 else {
      throw InferenceError.negative(name: "--output", value: outputTokens)
    }
    guard promptTokens + outputTokens > 0 else {
      throw InferenceError.notPositive(name: "--prompt plus --output", value: 0)
    }
    guard batch >= 1 else {
      throw InferenceError.notPositive(name: "--batch", value: Double(batch))
    }
    self.promptTokens = promptTokens
    self.outputTokens = outputTokens
    self.batch = batch
  }

  /// Mean context length seen by a decode step: prompt + output/2.
  public var meanDecodeContext: Double { promptTokens + outputTokens / 2 }
  /// Largest context held in the KV cache: prompt + output.
  public var maxContext: Double { promptTokens + outputTokens }
}

/// Efficiency, price and energy assumptions, each overridable; defaults come from
/// data/inference.csv when the CLI loads it, else from `InferenceAssumptions.standard`.
public struct InferenceAssumptions: Sendable, Equatable, Codable {
  /// Fraction of peak memory bandwidth a decode step achieves.
  public var bandwidthEfficiency: Double
  /// Model FLOPs utilisation of prefill (compute-bound).
  public var prefillMFU: Double
  /// Model FLOPs utilisation ceiling for decode when compute-bound.
  public var decodeMFU: Double
  /// Extra memory beyond weights + KV cache, as a fraction of them (activations, fragmentation).
  public var memoryOverheadFraction: Double
  /// Fraction of paid time the deployment is busy.
  public var utilisation: Double
  /// Data-centre power usage effectiveness.
  public var pue: Double
  /// Power per accelerator in watts; nil uses the accelerator's TDP.
  public var wattsPerAccelerator: Double?
  /// Price per accelerator-hour in US$; nil uses the catalog price.
  public var priceUSDPerHour: Double?
  /// Bits per KV-cache value (16 = BF16/FP16 cache).
  public var kvBits: Double
  /// Where `wattsPerAccelerator` comes from, for `--explain`.
  public var wattsSource: String = "given"

  public init(
    bandwidthEfficiency: Double, prefillMFU: Double, decodeMFU: Double,
    memoryOverheadFraction: Double, utilisation: Double, pue: Double,
    wattsPerAccelerator: Double? = nil, priceUSDPerHour: Double? = nil, kvBits: Double = 16
  ) {
    self.bandwidthEfficiency = bandwidthEfficiency
    self.prefillMFU = prefillMFU
    self.decodeMFU = decodeMFU
    self.memoryOverheadFraction = memoryOverheadFraction
    self.utilisation = utilisation
    self.pue = pue
    self.wattsPerAccelerator = wattsPerAccelerator
    self.priceUSDPerHour = priceUSDPerHour
    self.kvBits = kvBits
  }

  /// Built-in defaults, mirrored in data/inference.csv with their sources.
  ///
  /// Bandwidth efficiency 0.6 (assumption: about 60 % of the bandwidth bound; data/inference.csv),
  /// prefill and decode MFU 0.5 (Sardana et al. 2024 repository defaults for prefill),
  /// memory overhead 0 (weights + KV only, as GPTQ's one-GPU arithmetic), utilisation 1
  /// (assumption: fully busy), PUE 1.1 (Patterson et al. 2021 for GPT-3; LLaMA paper).
  public static let standard = InferenceAssumptions(
    bandwidthEfficiency: 0.6, prefillMFU: 0.5, decodeMFU: 0.5, memoryOverheadFraction: 0,
    utilisation: 1, pue: 1.1)

  /// Checks every field's domain.
  ///
  /// - Throws: `InferenceError` naming the flag.
  public func validate() throws {
    try requireFraction(bandwidthEfficiency, "--bandwidth-efficiency")
    try requireFraction(prefillMFU, "--prefill-mfu")
    try requireFraction(decodeMFU, "--decode-mfu")
    try requireFraction(utilisation, "--utilisation")
    guard memoryOverheadFraction.isFinite, memoryOverheadFraction >= 0 else {
      throw InferenceError.negative(name: "--memory-overhead", value: memoryOverheadFraction)
    }
    guard pue.isFinite, pue >= 1 else {
      throw InferenceError.notPositive(name: "--pue minus 1 (PUE is at least 1)", value: pue - 1)
    }
    if let w = wattsPerAccelerator { try requirePositiveInference(w, "--watts") }
    if let p = priceUSDPerHour { try requirePositiveInference(p, "--price") }
    guard kvBits.isFinite, kvBits > 0, kvBits <= 32 else { throw InferenceError.badBits(kvBits) }
  }
}

// MARK: - Roofline pieces

/// Memory and compute time of one decode step (seconds) on a replica.
///
/// memory = bytesRead / (bandwidth × efficiency); compute = FLOPs / (peak × MFU).
public func decodeStepTimes(
  bytesRead: Double, flops: Double, bandwidthBytesPerSecond: Double, peakFLOPS: Double,
  bandwidthEfficiency: Double, mfu: Double
) -> (memory: Double, compute: Double) {
  (bytesRead / (bandwidthBytesPerSecond * bandwidthEfficiency), flops / (peakFLOPS * mfu))
}

/// Accelerators needed to hold `bytes` on devices of `memoryGB` each (ceil, at least 1).
public func acceleratorsToHold(bytes: Double, memoryGB: Double) -> Int {
  max(1, saturatingInt((bytes / (memoryGB * 1e9)).rounded(.up)))
}

// MARK: - Estimate

/// Everything `cost infer` reports.
///
/// Bytes in bytes, times in seconds unless named ms, money in US$.
public struct InferenceEstimate: Sendable, Equatable, Codable {
  public var model: String
  public var accelerator: String
  public var format: String
  public var bytesPerParam: Double
  public var weightsBytes: Double
  /// Nil when the architecture is unknown (the KV cache is then excluded and `kvExcluded` is set).
  public var kvCacheBytesPerToken: Double?
  public var kvCacheBytes: Double
  public var kvExcluded: Bool
  public var totalMemoryBytes: Double
  public var acceleratorsToHold: Int
  public var fitsOnOne: Bool
  public var acceleratorsPerReplica: Int
  public var prefillFLOPsPerToken: Double
  public var decodeFLOPsPerToken: Double
  public var decodeMemoryMsPerStep: Double
  public var decodeComputeMsPerStep: Double
  /// Time per decode step = time between successive tokens of one sequence.
  public var decodeMsPerToken: Double
  public var decodeBound: String
  public var tokensPerSecondPerReplica: Double
  public var tokensPerSecondPerAccelerator: Double
  public var prefillSecondsPerQuery: Double
  public var latencySecondsPerQuery: Double
  /// Replica-seconds of paid time per query (prefill + share of decode steps) / utilisation.
  public var replicaSecondsPerQuery: Double
  public var priceUSDPerHour: Double?
  public var usdPerMillionInputTokens: Double?
  public var usdPerMillionOutputTokens: Double?
  public var usdPerMillionTokens: Double?
  public var usdPerQuery: Double?
  public var wattsPerAccelerator: Double?
  public var energyWhPerQuery: Double?
  public var assumptions: InferenceAssumptions
  public var workload: InferenceWorkload
  public var explanation: Explanation
}

/// Estimates memory, roofline speed, cost and energy of serving `model` in `format`.
///
/// - Parameters:
///   - acceleratorsPerReplica: accelerators per model copy; nil uses the fewest that hold it.
/// - Throws: `InferenceError` for bad assumptions, too few accelerators, or a missing peak.
public func estimateInference(
  model: ModelShape, format: WeightFormat, accelerator: Accelerator,
  workload: InferenceWorkload, assumptions: InferenceAssumptions = .standard,
  acceleratorsPerReplica: Int? = nil
) throws -> InferenceEstimate {
  try assumptions.validate()
  var ex = Explanation()
  let bpp = format.bytesPerParam
  let weights = model.params * bpp
  ex.add(
    ExplainedStep(
      quantity: "weights", formula: "N_total × (bits + scale bits) / 8",
      inputs: [
        ExplainedInput("N_total", Format.si(model.params), source: "input"),
        ExplainedInput("bits", Format.number(format.bits), source: format.name),
        ExplainedInput(
          "scale bits", Format.number(format.scaleOverheadBits),
          source: "quantisation constants (default 0; QLoRA §3: 0.5, or 0.127 double-quantised)"),
      ], result: "\(Format.si(weights / 1e9)) GB", source: "bytes per parameter: (bits + scale bits) / 8, definition"))

  let kvBytesPerValue = assumptions.kvBits / 8
  let kvPerToken = model.kvCacheBytesPerToken(bytesPerValue: kvBytesPerValue)
  let kvTotal = (kvPerToken ?? 0) * workload.maxContext * Double(workload.batch)
  if let kv = kvPerToken, let L = model.layers {
    let width = model.kvHeads.flatMap { kv in model.heads.map { (kv, $0) } }
    ex.add(
      ExplainedStep(
        quantity: "KV cache", formula: "2 × layers × kv_heads × d_head × bytes × context × batch",
        inputs: [
          ExplainedInput("layers", "\(L)", source: "architecture"),
          ExplainedInput(
            "kv_heads × d_head",
            width.map { "\($0.0) × \((model.dModel ?? 0) / $0.1)" } ?? "d_model (MHA)",
            source: "architecture"),
          ExplainedInput("bytes", Format.number(kvBytesPerValue), source: "KV cache bits / 8"),
          ExplainedInput("per token", "\(Format.si(kv)) B", source: "derived"),
          ExplainedInput("context", Format.si(workload.maxContext), source: "prompt + output"),
          ExplainedInput("batch", "\(workload.batch)", source: "input"),
        ], result: "\(Format.si(kvTotal / 1e9)) GB", source: "2 (K and V) per layer; GQA-aware (Ainslie et al. 2023)"))
  }
  let total = (weights + kvTotal) * (1 + assumptions.memoryOverheadFraction)
  let hold = acceleratorsToHold(bytes: total, memoryGB: accelerator.memoryGB)
  ex.add(
    ExplainedStep(
      quantity: "accelerators to hold", formula: "ceil((weights + KV) × (1 + overhead) / memory)",
      inputs: [
        ExplainedInput(
          "memory", "\(Format.number(accelerator.memoryGB)) GB", source: accelerator.source),
        ExplainedInput(
          "overhead", Format.number(assumptions.memoryOverheadFraction), source: "assumption"),
      ], result: "\(hold)", source: "GPTQ's one-GPU arithmetic (Frantar et al. 2022, §1)"))
  let n = acceleratorsPerReplica ?? hold
  guard n >= 1 else { throw InferenceError.notPositive(name: "--accelerators", value: Double(n)) }
  guard n >= hold else {
    throw InferenceError.tooFewAccelerators(
      needed: hold, given: n, bytes: total, perAcceleratorGB: accelerator.memoryGB)
  }

  let computePrecision = format.computePrecision(on: accelerator)
  guard let peakOne = accelerator.peakFLOPS(computePrecision) else {
    throw InferenceError.noPeak(accelerator: accelerator.id, precision: computePrecision.rawValue)
  }
  let nD = Double(n)
  let peak = peakOne * nD
  let bandwidth = accelerator.bandwidthTBps * 1e12 * nD
  let B = Double(workload.batch)

  let prefillFLOPs = model.forwardFLOPsPerToken(context: workload.promptTokens)
  let decodeFLOPs = model.forwardFLOPsPerToken(context: workload.meanDecodeContext)
  let activeWeightBytes = model.activeParams * bpp
  let kvRead = B * (kvPerToken ?? 0) * workload.meanDecodeContext
  let (memT, compT) = decodeStepTimes(
    bytesRead: activeWeightBytes + kvRead, flops: B * decodeFLOPs,
    bandwidthBytesPerSecond: bandwidth, peakFLOPS: peak,
    bandwidthEfficiency: assumptions.bandwidthEfficiency, mfu: assumptions.decodeMFU)
  let step = max(memT, compT)
  ex.add(
    ExplainedStep(
      quantity: "prefill FLOPs per token", formula: "2·N_active + 2·n_layer·n_ctx·d_attn",
      inputs: [
        ExplainedInput("N_active", Format.si(model.activeParams), source: "input"),
        ExplainedInput("n_ctx", Format.si(workload.promptTokens), source: "prompt tokens"),
      ], result: Format.scientific(prefillFLOPs), source: "Kaplan et al. 2020, Table 1"))
  ex.add(
    ExplainedStep(
      quantity: "decode step",
      formula:
        "max((active weight bytes + B·KV bytes read) / (n·BW·eff), B·FLOPs/token / (n·peak·MFU))",
      inputs: [
        ExplainedInput("B", "\(workload.batch)", source: "--batch"),
        ExplainedInput("n", "\(n)", source: "accelerators per replica"),
        ExplainedInput(
          "BW", "\(Format.number(accelerator.bandwidthTBps)) TB/s", source: accelerator.source),
        ExplainedInput(
          "eff", Format.number(assumptions.bandwidthEfficiency), source: "bandwidth efficiency"),
        ExplainedInput(
          "peak", "\(Format.si(peakOne / 1e12)) TFLOP/s \(computePrecision.rawValue)",
          source: accelerator.source),
        ExplainedInput("MFU", Format.number(assumptions.decodeMFU), source: "decode MFU"),
        ExplainedInput("memory time", "\(Format.number(memT * 1e3)) ms", source: "derived"),
        ExplainedInput("compute time", "\(Format.number(compT * 1e3)) ms", source: "derived"),
      ], result: "\(Format.number(step * 1e3)) ms", source: "roofline (Williams et al. 2009)"))

  let tpsReplica = B / step
  let prefillSecondsPerToken = prefillFLOPs / (peak * assumptions.prefillMFU)
  let prefillSeconds = workload.promptTokens * prefillSecondsPerToken
  let latency = prefillSeconds + workload.outputTokens * step
  let busySeconds = prefillSeconds + workload.outputTokens * step / B
  let paidSeconds = busySeconds / assumptions.utilisation

  let price = assumptions.priceUSDPerHour ?? accelerator.priceUSDPerHour
  var usdIn: Double?
  var usdOut: Double?
  var usdAll: Double?
  var usdQuery: Double?
  if let price {
    let replicaUSDPerSecond = price * nD / 3600 / assumptions.utilisation
    usdIn = prefillSecondsPerToken * replicaUSDPerSecond * 1e6
    usdOut = step / B * replicaUSDPerSecond * 1e6
    usdQuery = busySeconds * replicaUSDPerSecond
    usdAll =
      busySeconds * replicaUSDPerSecond / (workload.promptTokens + workload.outputTokens) * 1e6
    ex.add(
      ExplainedStep(
        quantity: "$ per query",
        formula: "(prefill s + output × step / B) × n × price / utilisation",
        inputs: [
          ExplainedInput(
            "price", "$\(Format.number(price))/h",
            source: assumptions.priceUSDPerHour != nil
              ? "--price"
              : (accelerator.priceSource ?? "catalog") + " " + (accelerator.priceDate ?? "")),
          ExplainedInput(
            "utilisation", Format.number(assumptions.utilisation), source: "assumption"),
          ExplainedInput(
            "prefill MFU", Format.number(assumptions.prefillMFU), source: "assumption"),
        ], result: Format.dollars(usdQuery ?? 0, digits: 3),
        source: "accelerator-time × price (definition)"))
  }
  let watts = assumptions.wattsPerAccelerator ?? accelerator.tdpWatts
  let energy = watts.map { paidSeconds * nD * $0 * assumptions.pue / 3600 }
  if let watts, let energy {
    ex.add(
      ExplainedStep(
        quantity: "energy per query", formula: "replica-seconds × n × watts × PUE / 3600",
        inputs: [
          ExplainedInput(
            "watts", Format.number(watts),
            source: assumptions.wattsPerAccelerator != nil ? assumptions.wattsSource : "TDP"),
          ExplainedInput("PUE", Format.number(assumptions.pue), source: "assumption"),
        ], result: "\(Format.number(energy)) Wh",
        source: "Patterson et al. 2021 method"))
  }

  return InferenceEstimate(
    model: model.name, accelerator: accelerator.id, format: format.name, bytesPerParam: bpp,
    weightsBytes: weights, kvCacheBytesPerToken: kvPerToken, kvCacheBytes: kvTotal,
    kvExcluded: kvPerToken == nil, totalMemoryBytes: total, acceleratorsToHold: hold,
    fitsOnOne: hold == 1, acceleratorsPerReplica: n, prefillFLOPsPerToken: prefillFLOPs,
    decodeFLOPsPerToken: decodeFLOPs, decodeMemoryMsPerStep: memT * 1e3,
    decodeComputeMsPerStep: compT * 1e3, decodeMsPerToken: step * 1e3,
    decodeBound: memT >= compT ? "memory" : "compute", tokensPerSecondPerReplica: tpsReplica,
    tokensPerSecondPerAccelerator: tpsReplica / nD, prefillSecondsPerQuery: prefillSeconds,
    latencySecondsPerQuery: latency, replicaSecondsPerQuery: paidSeconds, priceUSDPerHour: price,
    usdPerMillionInputTokens: usdIn, usdPerMillionOutputTokens: usdOut,
    usdPerMillionTokens: usdAll, usdPerQuery: usdQuery, wattsPerAccelerator: watts,
    energyWhPerQuery: energy, assumptions: assumptions, workload: workload, explanation: ex)
}

// MARK: - Query volume

/// A yearly serving bill from a query volume and a cost per query.
public struct ServingBill: Sendable, Equatable, Codable {
  public var queriesPerYear: Double
  /// Fraction of those queries served by the model.
  public var share: Double
  public var usdPerQuery: Double
  public var usdPerDay: Double
  public var usdPerYear: Double
}

/// $/year = queries/year × share × $/query; $/day = $/year / 365.
///
/// Morgan Stanley's $6B (as reported by Reuters, 22 Feb 2023): 3.3e12 × 0.5 × $0.00364 = $6.0B.
/// - Throws: `InferenceError` for non-positive volume or cost, or a share outside (0, 1].
public func servingBill(queriesPerYear: Double, share: Double = 1, usdPerQuery: Double) throws
  -> ServingBill
{
  try requirePositiveInference(queriesPerYear, "--queries-per-year")
  try requireFraction(share, "--share")
  try requirePositiveInference(usdPerQuery, "--usd-per-query")
  let year = queriesPerYear * share * usdPerQuery
  return ServingBill(
    queriesPerYear: queriesPerYear, share: share, usdPerQuery: usdPerQuery, usdPerDay: year / 365,
    usdPerYear: year)
}

// MARK: - Display

extension Format {
  /// Decimal gigabytes from 1 GB up, megabytes below: 3.5e10 → "35 GB", 8.7e8 → "870 MB".
  public static func gigabytesOrMegabytes(_ bytes: Double) -> String {
    bytes >= 1e9 || bytes == 0 ? "\(si(bytes / 1e9)) GB" : "\(si(bytes / 1e6)) MB"
  }

  /// Binary units for small per-token sizes: 327,680 → "320 KiB", 4.7e6 → "4.5 MiB".
  public static func binaryKiBOrMiB(_ bytes: Double) -> String {
    bytes >= 1_048_576
      ? "\(significant(bytes / 1_048_576, digits: 3)) MiB"
      : "\(significant(bytes / 1024, digits: 3)) KiB"
  }

  /// Dollars for per-query figures: `dollars` from one cent up, three significant digits below
  /// (no exponent): 0.000188 → "$0.000188".
  public static func smallDollars(_ value: Double) -> String {
    if abs(value) >= 0.01 || value == 0 { return dollars(value) }
    return "$" + significant(value, digits: 3)
  }
}
