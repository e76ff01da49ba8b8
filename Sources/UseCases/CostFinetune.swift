// `cost finetune`: memory, accelerators, time and dollars of full fine-tuning, LoRA and QLoRA
// (Dettmers et al. 2023 §1, §3; Hu et al. 2021; activations after Korthikanti et al. 2022).

import Catalog
import Foundation
import Planner

/// A model as `cost infer` and `cost finetune` take it: a catalog id and/or sizes, an optional
/// architecture. Explicit sizes override the catalog's.
public struct CostModelSpec: Codable, Sendable, Equatable {
  enum CodingKeys: String, CodingKey {
    case model
    case params
    case activeParams = "active_params"
    case architecture
  }

  /// Decodes a request in which any optional field, and any field with a default, may be
  /// missing (the JSON of the web API and of `Engine.answer`).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decodeIfPresent(String.self, forKey: .model)
    params = try c.decodeIfPresent(Double.self, forKey: .params)
    activeParams = try c.decodeIfPresent(Double.self, forKey: .activeParams)
    architecture = try c.decodeIfPresent(ArchitectureSpec.self, forKey: .architecture) ?? ArchitectureSpec()
  }

  /// A catalog model id (`--model`).
  public var model: String?
  /// Total parameters (`--params`; MoE: all experts).
  public var params: Double?
  /// Parameters active per token (`--active-params`; MoE), default the total.
  public var activeParams: Double?
  /// Layers, width, heads, KV heads (and for fine-tuning the MLP width and gating).
  public var architecture: ArchitectureSpec

  /// Creates a specification.
  public init(
    model: String? = nil, params: Double? = nil, activeParams: Double? = nil,
    architecture: ArchitectureSpec = ArchitectureSpec()
  ) {
    self.model = model
    self.params = params
    self.activeParams = activeParams
    self.architecture = architecture
  }

  /// True when neither a model nor a parameter count was given.
  public var isEmpty: Bool { model == nil && params == nil }

  /// Checks the given sizes (the catalog is consulted later).
  func validate() throws {
    if let p = params { try InputBounds.params.check(p, "--params") }
    if let a = activeParams { try InputBounds.params.check(a, "--active-params") }
    try architecture.checkBounds()
  }

  /// The model shape; catalog figures overridden by explicit fields. Also returns the catalog id.
  /// - Throws: `RequestError.invalid` without a model or params; `CatalogError` for an unknown id.
  func shape(_ catalog: () throws -> CatalogSet) throws -> (ModelShape, String?) {
    var base: NotableModel?
    if let id = model { base = try catalog().model(id) }
    guard let total = params ?? base?.params else {
      throw RequestError.invalid("Give --model ID or --params N (e.g. --params 175B).")
    }
    let active = activeParams ?? base.map { $0.activeParams == $0.params ? total : $0.activeParams }
    let a = architecture
    let shape = try withRequestErrors {
      try ModelShape(
        params: total, activeParams: active, layers: a.layers ?? base?.layers,
        dModel: a.dModel ?? base?.dModel, heads: a.heads ?? base?.heads,
        kvHeads: a.kvHeads ?? base?.kvHeads, name: base?.name)
    }
    return (shape, base?.id)
  }
}

/// The inputs of `cost finetune`.
public struct CostFinetuneRequest: Codable, Sendable, Equatable {
  enum CodingKeys: String, CodingKey {
    case model
    case method
    case rank
    case targets
    case masterWeights = "master_weights"
    case doubleQuantisation = "double_quantisation"
    case batch
    case sequence
    case checkpointing
    case gpu
    case accelerators
    case tokens
    case mfu
    case price
  }

  /// Decodes a request in which any optional field, and any field with a default, may be
  /// missing (the JSON of the web API and of `Engine.answer`).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decodeIfPresent(CostModelSpec.self, forKey: .model) ?? CostModelSpec()
    method = try c.decodeIfPresent(FineTuneMethod.self, forKey: .method) ?? .full
    rank = try c.decodeIfPresent(Int.self, forKey: .rank)
    targets = try c.decodeIfPresent(LoRATargets.self, forKey: .targets)
    masterWeights = try c.decodeIfPresent(Bool.self, forKey: .masterWeights) ?? false
    doubleQuantisation = try c.decodeIfPresent(Bool.self, forKey: .doubleQuantisation) ?? true
    batch = try c.decodeIfPresent(Int.self, forKey: .batch)
    sequence = try c.decodeIfPresent(Int.self, forKey: .sequence)
    checkpointing = try c.decodeIfPresent(Bool.self, forKey: .checkpointing) ?? true
    gpu = try c.decodeIfPresent(String.self, forKey: .gpu)
    accelerators = try c.decodeIfPresent(Int.self, forKey: .accelerators)
    tokens = try c.decodeIfPresent(Double.self, forKey: .tokens)
    mfu = try c.decodeIfPresent(Double.self, forKey: .mfu)
    price = try c.decodeIfPresent(Double.self, forKey: .price)
  }

  /// The model (`--model`, `--params`, `--layers`, `--d-model`, `--heads`, `--kv-heads`,
  /// `--d-ff` as `architecture.ffn`, `--gated` as `architecture.gated`).
  public var model: CostModelSpec
  /// full, lora or qlora (`--method`; default full).
  public var method: FineTuneMethod
  /// LoRA rank (`--rank`; default 8 for LoRA, 64 for QLoRA).
  public var rank: Int?
  /// Adapted matrices (`--targets`; default qv for LoRA, all for QLoRA).
  public var targets: LoRATargets?
  /// Full fine-tuning keeps an FP32 master copy, 16 bytes/param (`--master-weights`).
  public var masterWeights: Bool
  /// QLoRA double quantisation (off with `--no-double-quant`).
  public var doubleQuantisation: Bool
  /// Sequences per step (`--batch`; default 1) and tokens per sequence (`--sequence`; 512).
  public var batch: Int?
  public var sequence: Int?
  /// Gradient checkpointing (off with `--no-checkpointing`).
  public var checkpointing: Bool
  /// Accelerator id (`--gpu`); without one the result lists where it fits.
  public var gpu: String?
  /// Accelerators used (`--accelerators`; default the fewest that hold it).
  public var accelerators: Int?
  /// Fine-tuning tokens (`--tokens`), for FLOPs and time.
  public var tokens: Double?
  /// MFU for the time (`--mfu`; default data/inference.csv finetune_mfu).
  public var mfu: Double?
  /// US$ per accelerator-hour (`--price`; default the catalog price).
  public var price: Double?

  /// Creates a request; nil fields take the engine's defaults.
  public init(
    model: CostModelSpec, method: FineTuneMethod = .full, rank: Int? = nil,
    targets: LoRATargets? = nil, masterWeights: Bool = false, doubleQuantisation: Bool = true,
    batch: Int? = nil, sequence: Int? = nil, checkpointing: Bool = true, gpu: String? = nil,
    accelerators: Int? = nil, tokens: Double? = nil, mfu: Double? = nil, price: Double? = nil
  ) {
    self.model = model
    self.method = method
    self.rank = rank
    self.targets = targets
    self.masterWeights = masterWeights
    self.doubleQuantisation = doubleQuantisation
    self.batch = batch
    self.sequence = sequence
    self.checkpointing = checkpointing
    self.gpu = gpu
    self.accelerators = accelerators
    self.tokens = tokens
    self.mfu = mfu
    self.price = price
  }

  /// `--method` text to a method.
  /// - Throws: `RequestError.invalid` naming the accepted values.
  public static func method(parsing text: String) throws -> FineTuneMethod {
    guard let m = FineTuneMethod(rawValue: text.lowercased()) else {
      throw RequestError.invalid("Unknown --method '\(text)'; use full, lora or qlora.")
    }
    return m
  }

  /// `--targets` text to adapter targets.
  /// - Throws: `RequestError.invalid` naming the accepted values.
  public static func targets(parsing text: String) throws -> LoRATargets {
    guard let t = LoRATargets(rawValue: text.lowercased()) else {
      throw RequestError.invalid("Unknown --targets '\(text)'; use qv, attention or all.")
    }
    return t
  }

  /// Checks every range that needs no catalog.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    if model.isEmpty {
      throw RequestError.invalid("Give --model ID or --params N (e.g. --params 175B).")
    }
    try model.validate()
    for (value, flag, bound) in [
      (rank, "--rank", InputBounds.rank), (batch, "--batch", InputBounds.batch),
      (sequence, "--sequence", InputBounds.sequenceTokens),
      (accelerators, "--accelerators", InputBounds.accelerators),
    ] {
      if let value, value >= 1 { try bound.check(value, flag) }
    }
    for (value, flag, bound) in [
      (tokens, "--tokens", InputBounds.tokens), (price, "--price", InputBounds.pricePerHour),
    ] {
      if let value, value.isFinite, value > 0 { try bound.check(value, flag) }
    }
    try costCheck {
      if method != .full, let r = rank, r < 1 {
        throw InferenceError.notPositive(name: "--rank", value: Double(r))
      }
      if let b = batch, b < 1 { throw InferenceError.notPositive(name: "--batch", value: Double(b)) }
      if let s = sequence, s < 1 {
        throw InferenceError.notPositive(name: "--sequence", value: Double(s))
      }
      if let m = mfu {
        guard m.isFinite, m > 0, m <= 1 else {
          throw InferenceError.fractionOutOfRange(name: "--mfu", value: m)
        }
      }
      if let t = tokens, !(t.isFinite && t > 0) {
        throw InferenceError.notPositive(name: "--tokens", value: t)
      }
      if let p = price, !(p.isFinite && p > 0) {
        throw InferenceError.notPositive(name: "--price", value: p)
      }
      if let n = accelerators, n < 1 {
        throw InferenceError.notPositive(name: "--accelerators", value: Double(n))
      }
    }
  }
}

/// Everything `cost finetune` shows. The `--json` keys are method, memory_bytes, accelerator,
/// accelerators_needed, fits_on_one, fits_on, params, trainable_params, components,
/// flops_per_token, training_flops, hours, usd, architecture_assumed (null when unknown), plus
/// the display figures and defaults added here.
public struct CostFinetuneResult: Codable, Sendable, Explained {
  public var method: FineTuneMethod
  /// Model display name.
  public var modelName: String
  public var params: Double
  public var trainableParams: Double
  /// LoRA rank and targets used (nil for full fine-tuning).
  public var rank: Int?
  public var targets: LoRATargets?
  public var components: [MemoryComponent]
  public var memoryBytes: Double
  /// `memoryBytes` in GB (1e9 bytes).
  public var memoryGB: Double
  public var accelerator: String?
  /// Memory of the accelerator in GB, as the catalog gives it.
  public var acceleratorMemoryGB: Double?
  public var acceleratorsNeeded: Int?
  public var fitsOnOne: Bool?
  /// Without an accelerator: catalog accelerators that hold it alone.
  public var fitsOn: [String]
  public var flopsPerToken: Double
  public var trainingFLOPs: Double?
  public var hours: Double?
  /// MFU used for the time and its source.
  public var mfu: Double
  public var mfuSource: String
  /// Price used for `usd` and its source (nil without an accelerator or price).
  public var priceUSDPerHour: Double?
  public var priceSource: String?
  /// hours × accelerators × price.
  public var usd: Double?
  public var architectureAssumed: Bool
  /// How the layer shape was obtained.
  public var architectureNote: String
  public var batch: Int
  public var sequenceLength: Int
  public var checkpointing: Bool
  public var doubleQuantisation: Bool
  public var warnings: [String]
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case method, params, rank, targets, components, accelerator, hours, mfu, usd, batch
    case warnings, explanation, checkpointing
    case modelName = "model_name"
    case trainableParams = "trainable_params"
    case memoryBytes = "memory_bytes"
    case memoryGB = "memory_gb"
    case acceleratorMemoryGB = "accelerator_memory_gb"
    case acceleratorsNeeded = "accelerators_needed"
    case fitsOnOne = "fits_on_one"
    case fitsOn = "fits_on"
    case flopsPerToken = "flops_per_token"
    case trainingFLOPs = "training_flops"
    case mfuSource = "mfu_source"
    case priceUSDPerHour = "price_usd_per_hour"
    case priceSource = "price_source"
    case architectureAssumed = "architecture_assumed"
    case architectureNote = "architecture_note"
    case sequenceLength = "sequence_length"
    case doubleQuantisation = "double_quantisation"
  }

  /// Encodes every key, unknown figures as null.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(method, forKey: .method)
    try c.encode(modelName, forKey: .modelName)
    try c.encode(params, forKey: .params)
    try c.encode(trainableParams, forKey: .trainableParams)
    try c.encode(rank, forKey: .rank)
    try c.encode(targets, forKey: .targets)
    try c.encode(components, forKey: .components)
    try c.encode(memoryBytes, forKey: .memoryBytes)
    try c.encode(memoryGB, forKey: .memoryGB)
    try c.encode(accelerator, forKey: .accelerator)
    try c.encode(acceleratorMemoryGB, forKey: .acceleratorMemoryGB)
    try c.encode(acceleratorsNeeded, forKey: .acceleratorsNeeded)
    try c.encode(fitsOnOne, forKey: .fitsOnOne)
    try c.encode(fitsOn, forKey: .fitsOn)
    try c.encode(flopsPerToken, forKey: .flopsPerToken)
    try c.encode(trainingFLOPs, forKey: .trainingFLOPs)
    try c.encode(hours, forKey: .hours)
    try c.encode(mfu, forKey: .mfu)
    try c.encode(mfuSource, forKey: .mfuSource)
    try c.encode(priceUSDPerHour, forKey: .priceUSDPerHour)
    try c.encode(priceSource, forKey: .priceSource)
    try c.encode(usd, forKey: .usd)
    try c.encode(architectureAssumed, forKey: .architectureAssumed)
    try c.encode(architectureNote, forKey: .architectureNote)
    try c.encode(batch, forKey: .batch)
    try c.encode(sequenceLength, forKey: .sequenceLength)
    try c.encode(checkpointing, forKey: .checkpointing)
    try c.encode(doubleQuantisation, forKey: .doubleQuantisation)
    try c.encode(warnings, forKey: .warnings)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }
}

extension Engine {
  /// Fine-tuning memory, accelerators, time and dollars (`estimateFineTune`).
  /// - Throws: `RequestError` for a bad request; `CatalogError` for an unknown model or
  ///   accelerator.
  public func costFinetune(_ r: CostFinetuneRequest) throws -> CostFinetuneResult {
    try requireFinite(costFinetuneUnchecked(r), inputs: "--params, --tokens, --rank or --batch")
  }

  func costFinetuneUnchecked(_ r: CostFinetuneRequest) throws -> CostFinetuneResult {
    try r.validate()
    let files = try catalogFiles()
    var loaded: CatalogSet?
    func cat() throws -> CatalogSet {
      if let c = loaded { return c }
      let c = try CatalogSet.load(files: files)
      loaded = c
      return c
    }
    let (shape, _) = try r.model.shape(cat)
    let config = FineTuneConfig(
      method: r.method, rank: r.rank, targets: r.targets,
      fullBytesPerParam: r.masterWeights ? 16 : 12, doubleQuantisation: r.doubleQuantisation,
      batch: r.batch ?? 1, sequenceLength: r.sequence ?? 512,
      gradientCheckpointing: r.checkpointing)
    let layerShape = LayerShape(
      model: shape, dFF: r.model.architecture.ffn, gatedMLP: r.model.architecture.gated)
    let defaults = (try? InferenceCatalog.defaults(files: files)) ?? []
    let mfu = r.mfu ?? InferenceCatalog.value("finetune_mfu", in: defaults, fallback: 0.4)
    let mfuSource =
      r.mfu != nil
      ? "--mfu"
      : (defaults.contains { $0.quantity == "finetune_mfu" }
        ? "data/inference.csv finetune_mfu" : "built-in 0.4")
    let accelerator = try r.gpu.map { try cat().accelerator($0) }
    let est = try withRequestErrors {
      try estimateFineTune(
        model: shape, config: config, layerShape: layerShape, accelerator: accelerator,
        tokens: r.tokens, accelerators: r.accelerators, mfu: mfu)
    }
    let fitsOn: [String] =
      accelerator == nil
      ? ((try? cat().accelerators) ?? []).filter { $0.memoryGB * 1e9 >= est.memoryBytes }
        .map(\.id) : []
    var usd: Double?
    var price: Double?
    var priceSource: String?
    if let hours = est.hours, let acc = accelerator, let p = r.price ?? acc.priceUSDPerHour {
      let n = Double(r.accelerators ?? est.acceleratorsNeeded ?? 1)
      usd = hours * n * p
      price = p
      priceSource =
        r.price != nil
        ? "--price" : "catalog, \(acc.priceDate ?? "undated"): \(acc.priceSource ?? "")"
    }
    return CostFinetuneResult(
      method: r.method, modelName: shape.name, params: est.params,
      trainableParams: est.trainableParams, rank: r.method == .full ? nil : est.config.rank,
      targets: r.method == .full ? nil : est.config.targets, components: est.components,
      memoryBytes: est.memoryBytes, memoryGB: est.memoryBytes / 1e9, accelerator: est.accelerator,
      acceleratorMemoryGB: accelerator?.memoryGB, acceleratorsNeeded: est.acceleratorsNeeded,
      fitsOnOne: est.fitsOnOne, fitsOn: fitsOn, flopsPerToken: est.flopsPerToken,
      trainingFLOPs: est.trainingFLOPs, hours: est.hours, mfu: mfu, mfuSource: mfuSource,
      priceUSDPerHour: price, priceSource: priceSource, usd: usd,
      architectureAssumed: est.layerShape.assumed, architectureNote: est.layerShape.note,
      batch: config.batch, sequenceLength: config.sequenceLength,
      checkpointing: config.gradientCheckpointing, doubleQuantisation: config.doubleQuantisation,
      warnings: [], explanation: est.explanation)
  }
}
