// `cost train`: accelerator-hours, wall-clock, dollars, energy, CO2 and memory of a training run
// given as FLOPs, as N and D (C = 6ND, Kaplan et al. 2020 Table 1), as a catalog model, or as an
// architecture and D (C = (6N + attention)·D, with Hoffmann et al. 2022 App. F as a cross-check).

import Catalog
import Foundation
import Planner

/// A transformer's shape as a request gives it; every field is optional so a face passes only
/// what the user typed. `cost train` needs layers, d_model, heads and vocab; `cost infer` and
/// `cost finetune` use what is there (layers, d_model, heads, kv-heads; finetune also ffn/gated).
public struct ArchitectureSpec: Codable, Sendable, Equatable {
  enum CodingKeys: String, CodingKey {
    case layers
    case dModel = "d_model"
    case heads
    case kvHeads = "kv_heads"
    case ffn
    case vocab
    case context
    case untied
    case gated
    case experts
    case activeExperts = "active_experts"
  }

  /// Decodes a request in which any optional field, and any field with a default, may be
  /// missing (the JSON of the web API and of `Engine.answer`).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    layers = try c.decodeIfPresent(Int.self, forKey: .layers)
    dModel = try c.decodeIfPresent(Int.self, forKey: .dModel)
    heads = try c.decodeIfPresent(Int.self, forKey: .heads)
    kvHeads = try c.decodeIfPresent(Int.self, forKey: .kvHeads)
    ffn = try c.decodeIfPresent(Int.self, forKey: .ffn)
    vocab = try c.decodeIfPresent(Int.self, forKey: .vocab)
    context = try c.decodeIfPresent(Int.self, forKey: .context)
    untied = try c.decodeIfPresent(Bool.self, forKey: .untied) ?? false
    gated = try c.decodeIfPresent(Bool.self, forKey: .gated) ?? false
    experts = try c.decodeIfPresent(Int.self, forKey: .experts)
    activeExperts = try c.decodeIfPresent(Int.self, forKey: .activeExperts)
  }

  /// Transformer layers (`--layers`).
  public var layers: Int?
  /// Model width (`--d-model`).
  public var dModel: Int?
  /// Attention heads (`--heads`).
  public var heads: Int?
  /// Key/value heads for grouped-query attention (`--kv-heads`; default = heads).
  public var kvHeads: Int?
  /// FFN hidden size per expert (`--ffn` / `--d-ff`; default 4·d_model, 8/3·d_model gated).
  public var ffn: Int?
  /// Vocabulary size (`--vocab`).
  public var vocab: Int?
  /// Context length (`--context`; default 2048 in `cost train`).
  public var context: Int?
  /// Output head not tied to the embeddings (`--untied`).
  public var untied: Bool
  /// Gated (SwiGLU) FFN with three matrices (`--gated`).
  public var gated: Bool
  /// MoE experts per layer (`--experts`; default 1).
  public var experts: Int?
  /// MoE experts active per token (`--active-experts`; default 1).
  public var activeExperts: Int?

  /// Creates a specification; nil fields were not given.
  public init(
    layers: Int? = nil, dModel: Int? = nil, heads: Int? = nil, kvHeads: Int? = nil,
    ffn: Int? = nil, vocab: Int? = nil, context: Int? = nil, untied: Bool = false,
    gated: Bool = false, experts: Int? = nil, activeExperts: Int? = nil
  ) {
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.kvHeads = kvHeads
    self.ffn = ffn
    self.vocab = vocab
    self.context = context
    self.untied = untied
    self.gated = gated
    self.experts = experts
    self.activeExperts = activeExperts
  }

  /// Checks each given size against `TransformerArchitecture`'s upper bounds (positive, and far
  /// beyond any published model), before any of them is multiplied.
  /// - Throws: `RequestError.invalid` naming the flag and the bound.
  public func checkBounds() throws {
    typealias T = TransformerArchitecture
    for (v, flag, limit) in [
      (layers, "--layers", T.maxLayers), (dModel, "--d-model", T.maxWidth),
      (heads, "--heads", T.maxHeads), (kvHeads, "--kv-heads", T.maxHeads),
      (ffn, "--ffn", T.maxFFN), (vocab, "--vocab", T.maxVocab), (context, "--context", T.maxContext),
      (experts, "--experts", T.maxExperts), (activeExperts, "--active-experts", T.maxExperts),
    ] {
      guard let v else { continue }
      try InputBound(limit: Double(limit), reason: "a bound far beyond any published model")
        .check(v, flag)
    }
  }

  /// True when a size that selects `cost train`'s architecture mode was given (context and the
  /// two switches alone do not).
  public var selectsArchitecture: Bool {
    layers != nil || dModel != nil || heads != nil || vocab != nil || kvHeads != nil
      || ffn != nil || experts != nil || activeExperts != nil
  }

  /// Context used by `cost train` when none is given.
  public static let defaultTrainingContext = 2048

  /// The Planner architecture; nil unless layers, d_model, heads and vocab are all given.
  public var transformer: TransformerArchitecture? {
    guard let layers, let dModel, let heads, let vocab else { return nil }
    return TransformerArchitecture(
      layers: layers, dModel: dModel, heads: heads, kvHeads: kvHeads, ffnSize: ffn, vocab: vocab,
      context: context ?? Self.defaultTrainingContext, tiedEmbeddings: !untied, gatedFFN: gated,
      experts: experts ?? 1, activeExperts: activeExperts ?? 1)
  }
}

/// Runs a Planner check and turns its error into `RequestError.invalid` with the same sentence.
func costCheck(_ body: () throws -> Void) throws {
  do { try body() } catch let e as QuantityError {
    throw RequestError.invalid(e.description)
  } catch let e as InferenceError {
    throw RequestError.invalid(e.description)
  }
}

/// The inputs of `cost train`: exactly one of `flops`, `params` with `tokens`, `model`, or an
/// architecture with `tokens`; the accelerator, and optional overrides of every default.
public struct CostTrainRequest: Codable, Sendable, Equatable {
  enum CodingKeys: String, CodingKey {
    case flops
    case params
    case tokens
    case model
    case gpu
    case mfu
    case price
    case gpus
    case watts
    case pue
    case serverOverhead = "server_overhead"
    case grid
    case precision
    case architecture
  }

  /// Decodes a request in which any optional field, and any field with a default, may be
  /// missing (the JSON of the web API and of `Engine.answer`).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    flops = try c.decodeIfPresent(Double.self, forKey: .flops)
    params = try c.decodeIfPresent(Double.self, forKey: .params)
    tokens = try c.decodeIfPresent(Double.self, forKey: .tokens)
    model = try c.decodeIfPresent(String.self, forKey: .model)
    gpu = try c.decode(String.self, forKey: .gpu)
    mfu = try c.decodeIfPresent(Double.self, forKey: .mfu)
    price = try c.decodeIfPresent(Double.self, forKey: .price)
    gpus = try c.decodeIfPresent(Int.self, forKey: .gpus)
    watts = try c.decodeIfPresent(Double.self, forKey: .watts)
    pue = try c.decodeIfPresent(Double.self, forKey: .pue)
    serverOverhead = try c.decodeIfPresent(Double.self, forKey: .serverOverhead)
    grid = try c.decodeIfPresent(Double.self, forKey: .grid)
    precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? .bf16
    architecture = try c.decodeIfPresent(ArchitectureSpec.self, forKey: .architecture)
  }

  /// Training compute in FLOPs (`--flops`).
  public var flops: Double?
  /// Total parameters (`--params`).
  public var params: Double?
  /// Training tokens (`--tokens`).
  public var tokens: Double?
  /// A catalog model (`--model`): its reported FLOPs, else 6·N_active·D.
  public var model: String?
  /// Accelerator id (`--gpu`).
  public var gpu: String
  /// Model FLOPs utilisation (`--mfu`; default `TrainingDefaults.mfu`).
  public var mfu: Double?
  /// US$ per accelerator-hour (`--price`; default the catalog's dated price).
  public var price: Double?
  /// Cluster size for wall-clock time (`--gpus`).
  public var gpus: Int?
  /// Chip power in watts (`--watts`; default the catalog's TDP).
  public var watts: Double?
  /// Data-centre PUE (`--pue`; default data/energy.csv).
  public var pue: Double?
  /// Server power over chip TDP incl. average draw (`--server-overhead`; default data/energy.csv).
  public var serverOverhead: Double?
  /// Grid intensity, kg CO2 per kWh (`--grid`; default data/energy.csv).
  public var grid: Double?
  /// Training precision for the peak (`--precision`; default bf16).
  public var precision: Precision
  /// Architecture mode (`--layers`, `--d-model`, ...); nil or empty when not given.
  public var architecture: ArchitectureSpec?

  /// Creates a request; nil fields take the engine's defaults.
  public init(
    flops: Double? = nil, params: Double? = nil, tokens: Double? = nil, model: String? = nil,
    gpu: String, mfu: Double? = nil, price: Double? = nil, gpus: Int? = nil,
    watts: Double? = nil, pue: Double? = nil, serverOverhead: Double? = nil,
    grid: Double? = nil, precision: Precision = .bf16, architecture: ArchitectureSpec? = nil
  ) {
    self.flops = flops
    self.params = params
    self.tokens = tokens
    self.model = model
    self.gpu = gpu
    self.mfu = mfu
    self.price = price
    self.gpus = gpus
    self.watts = watts
    self.pue = pue
    self.serverOverhead = serverOverhead
    self.grid = grid
    self.precision = precision
    self.architecture = architecture
  }

  /// True when the architecture selects architecture mode.
  public var architectureGiven: Bool { architecture?.selectsArchitecture ?? false }

  /// Checks the mode, the partners and every range.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    let modes = [flops != nil, params != nil, architectureGiven, model != nil].filter { $0 }.count
    if modes != 1 {
      throw RequestError.invalid(
        "Give exactly one of --flops, --params with --tokens, --model, or an architecture with "
          + "--tokens.")
    }
    if model != nil && tokens != nil {
      throw RequestError.invalid(
        "--model brings its own token count; drop --tokens or use --params.")
    }
    if (params != nil || architectureGiven) && tokens == nil {
      throw RequestError.invalid(
        "--params and an architecture need --tokens (e.g. --tokens 300B).")
    }
    if flops != nil && tokens != nil {
      throw RequestError.invalid(
        "--flops already fixes the compute; drop --tokens or give --params.")
    }
    if architectureGiven && architecture?.transformer == nil {
      throw RequestError.invalid(
        "An architecture needs at least --layers, --d-model, --heads and --vocab.")
    }
    if let gpus, gpus <= 0 {
      throw RequestError.invalid("--gpus must be a positive whole number, got \(gpus).")
    }
    if let gpus { try InputBounds.accelerators.check(gpus, "--gpus") }
    try architecture?.checkBounds()
    for (value, flag, bound) in [
      (flops, "--flops", InputBounds.flops), (params, "--params", InputBounds.params),
      (tokens, "--tokens", InputBounds.tokens), (price, "--price", InputBounds.pricePerHour),
      (watts, "--watts", InputBounds.watts),
    ] {
      if let value { try bound.check(value, flag) }
    }
    try costCheck {
      for (v, name) in [
        (flops, "--flops"), (params, "--params"), (tokens, "--tokens"), (mfu, "--mfu"),
        (price, "--price"), (watts, "--watts"), (pue, "--pue"),
        (serverOverhead, "--server-overhead"), (grid, "--grid"),
      ] {
        if let v { try requirePositive(v, name) }
      }
      if let mfu { try requireRange(mfu, "--mfu", 0, 1) }
      if let pue { try requireRange(pue, "--pue", 1, 10) }
      if let grid { try requireRange(grid, "--grid", 0, 10) }
      if architectureGiven, let arch = architecture?.transformer { try arch.validate() }
    }
  }
}

/// Everything `cost train` shows. JSON keys are `--json`'s: flops, accelerator_hours,
/// wall_clock_days, cost_usd, energy_kwh, co2_kg, memory_bytes, min_accelerators (null when an
/// input is unknown), plus the display figures and the defaults used with their sources.
public struct CostTrainResult: Codable, Sendable, Explained {
  /// Training compute used for the cost, FLOPs.
  public var flops: Double
  /// How `flops` was obtained: "given", "catalog", "6·N_active·D", "6·N·D" or "architecture".
  public var computeMethod: String
  /// Hoffmann et al. 2022 App. F count (architecture mode only; a cross-check, not used).
  public var appendixFFlops: Double?
  /// `appendixFFlops / flops`.
  public var appendixFRatio: Double?
  /// Accelerator-hours H = C / (peak × MFU × 3600).
  public var acceleratorHours: Double
  /// H / 8766 (hours in a Julian year).
  public var acceleratorYears: Double
  /// Accelerator id and the precision whose peak was used, e.g. "v100 fp16".
  public var acceleratorName: String
  /// Peak FLOP/s used.
  public var peakFLOPS: Double
  /// MFU used and where it comes from ("--mfu" or the default's source).
  public var mfu: Double
  public var mfuSource: String
  /// Cluster size and wall-clock days (nil without `gpus`).
  public var clusterSize: Int?
  public var wallClockDays: Double?
  /// Price per accelerator-hour used, its source, and the cost (nil without a price).
  public var pricePerHour: Double?
  public var priceSource: String
  public var costUSD: Double?
  /// Chip watts, server overhead, PUE and grid intensity used, each with its source.
  public var watts: Double?
  public var wattsSource: String
  public var serverOverhead: Double
  public var serverOverheadSource: String
  public var pue: Double
  public var pueSource: String
  public var gridKgCO2PerKWh: Double
  public var gridSource: String
  /// Energy in kWh and CO2 in kg and tonnes (nil without chip power).
  public var energyKWh: Double?
  public var co2Kg: Double?
  public var co2Tonnes: Double?
  /// Training memory (16 B/param Adam states, plus activations of one sequence when an
  /// architecture was given) and the fewest accelerators that hold it.
  public var memoryBytes: Double?
  public var memoryIncludesActivations: Bool
  public var memoryNote: String?
  public var minAccelerators: Int?
  /// Memory of one accelerator in GB (1e9 bytes), as the catalog gives it.
  public var acceleratorMemoryGB: Double
  public var warnings: [String]
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case flops, mfu, pue, watts, warnings, explanation
    case computeMethod = "compute_method"
    case appendixFFlops = "appendix_f_flops"
    case appendixFRatio = "appendix_f_ratio"
    case acceleratorHours = "accelerator_hours"
    case acceleratorYears = "accelerator_years"
    case acceleratorName = "accelerator_name"
    case peakFLOPS = "peak_flops"
    case mfuSource = "mfu_source"
    case clusterSize = "cluster_size"
    case wallClockDays = "wall_clock_days"
    case pricePerHour = "price_usd_per_hour"
    case priceSource = "price_source"
    case costUSD = "cost_usd"
    case wattsSource = "watts_source"
    case serverOverhead = "server_overhead"
    case serverOverheadSource = "server_overhead_source"
    case pueSource = "pue_source"
    case gridKgCO2PerKWh = "grid_kg_co2_per_kwh"
    case gridSource = "grid_source"
    case energyKWh = "energy_kwh"
    case co2Kg = "co2_kg"
    case co2Tonnes = "co2_tonnes"
    case memoryBytes = "memory_bytes"
    case memoryIncludesActivations = "memory_includes_activations"
    case memoryNote = "memory_note"
    case minAccelerators = "min_accelerators"
    case acceleratorMemoryGB = "accelerator_memory_gb"
  }

  /// Encodes every key, unknown figures as null (scripts rely on the keys being present).
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(flops, forKey: .flops)
    try c.encode(computeMethod, forKey: .computeMethod)
    try c.encode(appendixFFlops, forKey: .appendixFFlops)
    try c.encode(appendixFRatio, forKey: .appendixFRatio)
    try c.encode(acceleratorHours, forKey: .acceleratorHours)
    try c.encode(acceleratorYears, forKey: .acceleratorYears)
    try c.encode(acceleratorName, forKey: .acceleratorName)
    try c.encode(peakFLOPS, forKey: .peakFLOPS)
    try c.encode(mfu, forKey: .mfu)
    try c.encode(mfuSource, forKey: .mfuSource)
    try c.encode(clusterSize, forKey: .clusterSize)
    try c.encode(wallClockDays, forKey: .wallClockDays)
    try c.encode(pricePerHour, forKey: .pricePerHour)
    try c.encode(priceSource, forKey: .priceSource)
    try c.encode(costUSD, forKey: .costUSD)
    try c.encode(watts, forKey: .watts)
    try c.encode(wattsSource, forKey: .wattsSource)
    try c.encode(serverOverhead, forKey: .serverOverhead)
    try c.encode(serverOverheadSource, forKey: .serverOverheadSource)
    try c.encode(pue, forKey: .pue)
    try c.encode(pueSource, forKey: .pueSource)
    try c.encode(gridKgCO2PerKWh, forKey: .gridKgCO2PerKWh)
    try c.encode(gridSource, forKey: .gridSource)
    try c.encode(energyKWh, forKey: .energyKWh)
    try c.encode(co2Kg, forKey: .co2Kg)
    try c.encode(co2Tonnes, forKey: .co2Tonnes)
    try c.encode(memoryBytes, forKey: .memoryBytes)
    try c.encode(memoryIncludesActivations, forKey: .memoryIncludesActivations)
    try c.encode(memoryNote, forKey: .memoryNote)
    try c.encode(minAccelerators, forKey: .minAccelerators)
    try c.encode(acceleratorMemoryGB, forKey: .acceleratorMemoryGB)
    try c.encode(warnings, forKey: .warnings)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }
}

extension Engine {
  /// Costs a training run: compute from the request's mode, then hours, wall-clock, dollars,
  /// energy, CO2 and memory on the accelerator (`estimateTrainingCost`).
  /// - Throws: `RequestError` for a bad request or a missing peak; `CatalogError` for an unknown
  ///   accelerator or model.
  public func costTrain(_ r: CostTrainRequest) throws -> CostTrainResult {
    try requireFinite(costTrainUnchecked(r), inputs: "--flops, --params, --tokens or --price, or a larger --mfu")
  }

  func costTrainUnchecked(_ r: CostTrainRequest) throws -> CostTrainResult {
    try r.validate()
    let cat = try catalog()
    let acc = try cat.accelerator(r.gpu)
    let energy = try EnergyDefaults(cat)
    let catalogPriceSource = "catalog, \(acc.priceDate ?? "undated"): \(acc.priceSource ?? "")"
    var setup = TrainingSetup(
      acceleratorName: "\(acc.id) \(acc.effectivePrecision(r.precision).rawValue)",
      peakFLOPS: try acc.peak(at: r.precision), mfu: r.mfu ?? TrainingDefaults.mfu,
      pricePerHour: r.price ?? acc.priceUSDPerHour, chipWatts: r.watts ?? acc.tdpWatts,
      serverOverhead: r.serverOverhead ?? energy.overhead, pue: r.pue ?? energy.pue,
      gridKgCO2PerKWh: r.grid ?? energy.grid, clusterSize: r.gpus,
      memoryBytesPerAccelerator: acc.memoryGB * 1e9)
    setup.priceSource = r.price != nil ? "--price" : catalogPriceSource

    var c: Double
    var method: String
    var memory: TrainingMemory? = nil
    var pre: [ExplainedStep] = []
    var exact: Double? = nil
    if let f = r.flops {
      c = f
      method = "given"
    } else if let id = r.model {
      let m = try cat.model(id)
      if let reported = m.trainingFLOPs {
        c = reported
        method = "catalog"
        pre.append(
          ExplainedStep(
            quantity: "training compute", formula: "catalog value",
            inputs: [ExplainedInput("model", m.id, source: m.source)],
            result: Format.scientific(c) + " FLOPs", source: "data/models.csv"))
      } else {
        guard let d = m.tokens else { throw RequestError.modelWithoutTokens(m.id) }
        c = 6 * m.activeParams * d
        method = "6·N_active·D"
        pre.append(
          ExplainedStep(
            quantity: "training compute", formula: "C = 6·N_active·D",
            inputs: [
              ExplainedInput("N_active", Format.si(m.activeParams), source: m.source),
              ExplainedInput("D", Format.si(d), source: m.source),
            ], result: Format.scientific(c) + " FLOPs",
            source: "Kaplan et al. 2020 Table 1 with the active parameters of a mixture of experts"))
      }
      memory = .adamMixedPrecision(totalParams: m.params)
    } else if let n = r.params, let d = r.tokens {
      c = 6 * n * d
      method = "6·N·D"
      memory = .adamMixedPrecision(totalParams: n)
      pre.append(
        ExplainedStep(
          quantity: "training compute", formula: "C = 6·N·D",
          inputs: [
            ExplainedInput("N", Format.si(n), source: "--params"),
            ExplainedInput("D", Format.si(d), source: "--tokens"),
          ], result: Format.scientific(c) + " FLOPs",
          source: "Kaplan et al. 2020 Table 1 (activations not included in memory: no architecture)"
        ))
    } else if let arch = r.architecture?.transformer, let d = r.tokens {
      c = arch.trainingFLOPsPerToken * d
      method = "architecture"
      memory = .adamMixedPrecision(
        totalParams: arch.totalParams, activationBytes: arch.activationBytesPerSequence)
      pre.append(
        ExplainedStep(
          quantity: "training compute",
          formula: "C = (6·N_active,non-emb + 6·n_layer·n_ctx·d_attn)·D",
          inputs: [
            ExplainedInput("N total", Format.si(arch.totalParams), source: "architecture"),
            ExplainedInput(
              "N active non-emb", Format.si(arch.activeNonEmbeddingParams), source: "architecture"),
            ExplainedInput(
              "attention/token", Format.scientific(arch.attentionTrainingFLOPsPerToken),
              source: "architecture"),
            ExplainedInput("D", Format.si(d), source: "--tokens"),
          ], result: Format.scientific(c) + " FLOPs", source: "Kaplan et al. 2020 Table 1"))
      let perToken = arch.appendixFTrainingFLOPsPerSequence() / Double(arch.context)
      exact = perToken * d
      pre.append(
        ExplainedStep(
          quantity: "cross-check: exact count", formula: "Hoffmann App. F per sequence / n_ctx × D",
          inputs: [
            ExplainedInput("per token", Format.scientific(perToken), source: "architecture")
          ],
          result: Format.scientific(perToken * d)
            + " FLOPs (\(Format.significant(perToken * d / c)) "
            + "× the Kaplan count)",
          source: "Hoffmann et al. 2022 App. F (embeddings and logits included; not used for cost)")
      )
    } else {
      // validate() admits no other combination.
      throw RequestError.invalid(
        "Give exactly one of --flops, --params with --tokens, --model, or an architecture with "
          + "--tokens.")
    }
    let estimate = try withRequestErrors {
      try estimateTrainingCost(flops: c, setup: setup, memory: memory)
    }
    var ex = estimate.explanation
    ex.steps.insert(contentsOf: pre, at: 0)
    ex.add(
      ExplainedStep(
        quantity: "energy defaults", formula: "overhead = server factor × average draw",
        inputs: energy.sources,
        result: "overhead \(Format.number(energy.overhead)), PUE "
          + "\(Format.number(energy.pue)), grid \(Format.number(energy.grid)) kg/kWh",
        source: "data/energy.csv defaults (override with --server-overhead, --pue, --grid)"))
    let energySource = "data/energy.csv default"
    return CostTrainResult(
      flops: estimate.flops, computeMethod: method, appendixFFlops: exact,
      appendixFRatio: exact.map { $0 / c }, acceleratorHours: estimate.acceleratorHours,
      acceleratorYears: estimate.acceleratorHours / Self.hoursPerYear,
      acceleratorName: setup.acceleratorName, peakFLOPS: setup.peakFLOPS, mfu: setup.mfu,
      mfuSource: r.mfu != nil ? "--mfu" : TrainingDefaults.mfuShortSource,
      clusterSize: r.gpus, wallClockDays: estimate.wallClockDays,
      pricePerHour: setup.pricePerHour, priceSource: setup.priceSource,
      costUSD: estimate.costUSD, watts: setup.chipWatts,
      wattsSource: r.watts != nil ? "--watts" : "catalog TDP (\(acc.source))",
      serverOverhead: setup.serverOverhead,
      serverOverheadSource: r.serverOverhead != nil ? "--server-overhead" : energySource,
      pue: setup.pue, pueSource: r.pue != nil ? "--pue" : energySource,
      gridKgCO2PerKWh: setup.gridKgCO2PerKWh, gridSource: r.grid != nil ? "--grid" : energySource,
      energyKWh: estimate.energyKWh, co2Kg: estimate.co2Kg,
      co2Tonnes: estimate.co2Kg.map { $0 / 1000 }, memoryBytes: estimate.memoryBytes,
      memoryIncludesActivations: memory?.activationBytes != nil,
      memoryNote: estimate.memoryBytes == nil
        ? nil
        : (memory?.activationBytes == nil
          ? "16 B/param; activations not included"
          : "16 B/param + activations (1 sequence, no recomputation)"),
      minAccelerators: estimate.minAccelerators, acceleratorMemoryGB: acc.memoryGB,
      warnings: [], explanation: ex)
  }

  /// Hours in a Julian year (365.25 × 24), for accelerator-years.
  public static let hoursPerYear = 8766.0
}

/// Runs a Planner computation, turning its one-sentence errors into `RequestError.invalid`.
func withRequestErrors<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let e as QuantityError {
    throw RequestError.invalid(e.description)
  } catch let e as InferenceError {
    throw RequestError.invalid(e.description)
  }
}
