// Memory and time for fine-tuning: full (mixed-precision AdamW), LoRA and QLoRA.
// Full, per parameter: 2 bytes 16-bit weights + 2 gradients + 8 FP32 Adam moments = 12 bytes —
//   the accounting behind QLoRA's "> 780 GB" for 65B (65e9 × 12 = 780 GB before activations;
//   Dettmers et al. 2023, arXiv 2305.14314, §1). ZeRO (Rajbhandari et al. 2020) adds
//   a 4-byte FP32 master copy: 16 bytes ([U]); selectable, not the default, because the
//   default should reproduce the paper's own statement.
// LoRA (Hu et al. 2021): each adapted d_in × d_out matrix gains r·(d_in + d_out) trainable
//   parameters (2·r·d for d × d); base frozen in 16 bits. QLoRA: base in NF4 (4 bits) plus
//   quantisation constants 0.5 bits/param, or 0.127 with double quantisation (QLoRA §3); BF16
//   adapters with FP32 Adam states; paged optimiser (states may spill to CPU — counted on device
//   here, a conservative choice). Guanaco setting: r = 64 on all linear layers (QLoRA App., via
//   secondary notes [U]). Trainable parameters, 12 bytes each (weights 2 + grads 2 + Adam 8).
// Activations (estimate): per layer sbh(34 + 5as/h) bytes without recomputation; with full
//   recomputation (gradient checkpointing) 2sbh per layer plus one layer's full set
//   (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models").
// Time: full 6·N per token (Kaplan 2020 Table 1). LoRA/QLoRA ≈ 4·N + 6·N_trainable per token:
//   the frozen base still runs forward (2N) and back-propagates activation gradients (2N) but
//   skips weight gradients (2N) — an estimate derived here from Kaplan's 2N + 4N split.

import Foundation

/// Fine-tuning methods.
public enum FineTuneMethod: String, Sendable, Codable, CaseIterable {
  case full, lora, qlora
}

/// Which weight matrices of each layer get LoRA adapters.
public enum LoRATargets: String, Sendable, Codable, CaseIterable {
  /// W_q and W_v only (Hu et al. 2021's GPT-3 experiments).
  case qv
  /// W_q, W_k, W_v, W_o.
  case attention
  /// Every linear layer: attention plus the MLP (QLoRA's setting).
  case all
}

/// Layer dimensions used for adapters and activations; `assumed` marks inferred values.
public struct LayerShape: Sendable, Equatable, Codable {
  public var layers: Int
  public var dModel: Int
  public var heads: Int
  public var dFF: Int
  /// Gated MLP (SwiGLU: three matrices) or plain (two matrices).
  public var gatedMLP: Bool
  /// True when layers/d_model were inferred from the parameter count.
  public var assumed: Bool
  public var note: String

  /// Aspect ratio d_model / n_layer assumed when only a parameter count is given: 128, as in
  /// GPT-3 175B (12288/96) and LLaMA-7B (4096/32) — an assumption, not a law.
  public static let assumedAspectRatio = 128.0
  /// Head dimension assumed when heads are unknown.
  public static let assumedHeadDim = 128

  /// Uses the model's architecture when known, else infers layers and d_model from
  /// N ≈ 12·n_layer·d_model² (Kaplan Table 1) with d_model = 128·n_layer.
  public init(model: ModelShape, dFF: Int? = nil, gatedMLP: Bool = false) {
    if let L = model.layers, let d = model.dModel {
      layers = L
      dModel = d
      heads = model.heads ?? max(1, d / Self.assumedHeadDim)
      assumed = false
      note = "architecture given"
    } else {
      let L = pow(model.params / (12 * Self.assumedAspectRatio * Self.assumedAspectRatio), 1.0 / 3)
      layers = max(1, saturatingInt(L.rounded()))
      dModel = max(1, saturatingInt((Self.assumedAspectRatio * L).rounded()))
      heads = max(1, dModel / Self.assumedHeadDim)
      assumed = true
      note =
        "architecture not given: n_layer and d_model inferred from N = 12·n_layer·d_model² with "
        + "d_model = 128·n_layer (assumption)"
    }
    self.gatedMLP = gatedMLP
    self.dFF = dFF ?? (gatedMLP ? saturatingInt((Double(dModel) * 8 / 3).rounded()) : saturatingInt(4 * Double(dModel)))
  }

  /// LoRA trainable parameters: layers × r × Σ (d_in + d_out) over adapted matrices.
  ///
  /// Attention matrices are taken as d × d (GQA's narrower K/V projections are not modelled).
  public func loraParams(rank: Int, targets: LoRATargets) -> Double {
    let d = Double(dModel)
    let f = Double(dFF)
    var perLayer: Double
    switch targets {
    case .qv: perLayer = 2 * (d + d)
    case .attention: perLayer = 4 * (d + d)
    case .all: perLayer = 4 * (d + d) + (gatedMLP ? 3 : 2) * (d + f)
    }
    perLayer *= Double(rank)
    return Double(layers) * perLayer
  }

  /// Activation bytes for `batch` sequences of `sequence` tokens (Korthikanti and colleagues, 2022).
  public func activationBytes(batch: Int, sequence: Int, checkpointing: Bool) -> Double {
    let s = Double(sequence)
    let b = Double(batch)
    let h = Double(dModel)
    let a = Double(heads)
    let full = s * b * h * (34 + 5 * a * s / h)
    if checkpointing { return Double(layers) * 2 * s * b * h + full }
    return Double(layers) * full
  }
}

/// Settings of a fine-tuning run.
public struct FineTuneConfig: Sendable, Equatable, Codable {
  public var method: FineTuneMethod
  /// LoRA rank r (LoRA and QLoRA).
  public var rank: Int
  public var targets: LoRATargets
  /// Bytes per parameter for full fine-tuning: 12 (default, QLoRA's accounting) or 16 (ZeRO, with
  /// an FP32 master copy).
  public var fullBytesPerParam: Double
  /// QLoRA double quantisation of the NF4 constants.
  public var doubleQuantisation: Bool
  public var batch: Int
  public var sequenceLength: Int
  public var gradientCheckpointing: Bool

  /// Defaults per method: LoRA r = 8 on W_q, W_v (small ranks on W_q, W_v as in the LoRA paper);
  /// QLoRA r = 64 on all linear layers with double quantisation (Guanaco setting); batch 1 of
  /// 512 tokens with gradient checkpointing (assumption).
  public init(
    method: FineTuneMethod, rank: Int? = nil, targets: LoRATargets? = nil,
    fullBytesPerParam: Double = 12, doubleQuantisation: Bool = true, batch: Int = 1,
    sequenceLength: Int = 512, gradientCheckpointing: Bool = true
  ) {
    self.method = method
    self.rank = rank ?? (method == .qlora ? 64 : 8)
    self.targets = targets ?? (method == .qlora ? .all : .qv)
    self.fullBytesPerParam = fullBytesPerParam
    self.doubleQuantisation = doubleQuantisation
    self.batch = batch
    self.sequenceLength = sequenceLength
    self.gradientCheckpointing = gradientCheckpointing
  }
}

/// One line of the memory breakdown.
public struct MemoryComponent: Sendable, Equatable, Codable {
  public var name: String
  public var bytes: Double
  public var note: String
}

/// Memory and time of a fine-tuning run.
public struct FineTuneEstimate: Sendable, Equatable, Codable {
  public var method: FineTuneMethod
  public var params: Double
  public var trainableParams: Double
  public var components: [MemoryComponent]
  public var memoryBytes: Double
  public var accelerator: String?
  public var acceleratorsNeeded: Int?
  public var fitsOnOne: Bool?
  public var flopsPerToken: Double
  public var tokens: Double?
  public var trainingFLOPs: Double?
  public var hours: Double?
  public var layerShape: LayerShape
  public var config: FineTuneConfig
  public var explanation: Explanation
}

/// Estimates fine-tuning memory (and time for `tokens` when given an accelerator).
///
/// - Parameters:
///   - accelerators: accelerators used for the time estimate; nil uses the fewest that hold it.
///   - mfu: model FLOPs utilisation for the time estimate (default 0.4: middle of the 30–50 %
///     typical range reported by Chowdhery et al. 2022 Table 3 and Dubey et al. 2024 — an assumption).
/// - Throws: `InferenceError` for a non-positive rank, batch, sequence, tokens or MFU.
public func estimateFineTune(
  model: ModelShape, config: FineTuneConfig, layerShape: LayerShape? = nil,
  accelerator: Accelerator? = nil, tokens: Double? = nil, accelerators: Int? = nil,
  mfu: Double = 0.4
) throws -> FineTuneEstimate {
  if config.method != .full {
    guard config.rank >= 1 else {
      throw InferenceError.notPositive(name: "--rank", value: Double(config.rank))
    }
  }
  guard config.batch >= 1 else {
    throw InferenceError.notPositive(name: "--batch", value: Double(config.batch))
  }
  guard config.sequenceLength >= 1 else {
    throw InferenceError.notPositive(name: "--sequence", value: Double(config.sequenceLength))
  }
  guard config.fullBytesPerParam.isFinite, config.fullBytesPerParam > 0 else {
    throw InferenceError.notPositive(name: "bytes per parameter", value: config.fullBytesPerParam)
  }
  try requireFraction(mfu, "--mfu")
  if let tokens { try requirePositiveInference(tokens, "--tokens") }

  let shape = layerShape ?? LayerShape(model: model)
  let N = model.params
  var parts: [MemoryComponent] = []
  var trainable = N
  var ex = Explanation()
  switch config.method {
  case .full:
    let master = config.fullBytesPerParam - 12
    parts.append(MemoryComponent(name: "weights (16-bit)", bytes: 2 * N, note: "2 bytes/param"))
    parts.append(MemoryComponent(name: "gradients (16-bit)", bytes: 2 * N, note: "2 bytes/param"))
    parts.append(
      MemoryComponent(name: "Adam moments (FP32)", bytes: 8 * N, note: "2 × 4 bytes/param"))
    if master > 0 {
      parts.append(
        MemoryComponent(
          name: "FP32 master weights", bytes: master * N, note: "ZeRO accounting [U]"))
    }
  case .lora, .qlora:
    trainable = shape.loraParams(rank: config.rank, targets: config.targets)
    if config.method == .lora {
      parts.append(
        MemoryComponent(name: "frozen base (16-bit)", bytes: 2 * N, note: "2 bytes/param"))
    } else {
      let constants =
        config.doubleQuantisation
        ? NF4Constants.doubleQuantisedBits : NF4Constants.singleQuantisedBits
      parts.append(
        MemoryComponent(
          name: "frozen base (NF4)", bytes: N * (4 + constants) / 8,
          note: "(4 + \(Format.significant(constants, digits: 3))) bits/param, QLoRA §3"))
    }
    parts.append(
      MemoryComponent(
        name: "adapters + grads + Adam", bytes: 12 * trainable,
        note: "\(Format.si(trainable)) trainable × 12 bytes"
          + (config.method == .qlora ? "; paged optimiser counted on device" : "")))
  }
  let act = shape.activationBytes(
    batch: config.batch, sequence: config.sequenceLength,
    checkpointing: config.gradientCheckpointing)
  parts.append(
    MemoryComponent(
      name: "activations (estimate)", bytes: act,
      note: "batch \(config.batch) × \(config.sequenceLength) tokens, "
        + (config.gradientCheckpointing ? "checkpointed" : "no recomputation")
        + "; Korthikanti et al. 2022"))
  let memory = parts.reduce(0) { $0 + $1.bytes }
  ex.add(
    ExplainedStep(
      quantity: "\(config.method.rawValue) fine-tuning memory",
      formula: parts.map(\.name).joined(separator: " + "),
      inputs: parts.map {
        ExplainedInput($0.name, "\(Format.si($0.bytes / 1e9)) GB", source: $0.note)
      }
        + [
          ExplainedInput("layer shape", "\(shape.layers) × d \(shape.dModel)", source: shape.note)
        ],
      result: "\(Format.si(memory / 1e9)) GB",
      source: "QLoRA (Dettmers et al. 2023) §1, §3; LoRA (Hu et al. 2021)"))

  let flopsPerToken = config.method == .full ? 6 * N : 4 * model.activeParams + 6 * trainable
  ex.add(
    ExplainedStep(
      quantity: "FLOPs per token",
      formula: config.method == .full ? "6·N" : "4·N + 6·N_trainable (estimate)",
      inputs: [ExplainedInput("N", Format.si(N), source: "input")],
      result: Format.scientific(flopsPerToken),
      source: "Kaplan et al. 2020 Table 1 (6N split 2N + 4N)"))

  var needed: Int?
  var fits: Bool?
  var flops: Double?
  var hours: Double?
  if let acc = accelerator {
    let hold = acceleratorsToHold(bytes: memory, memoryGB: acc.memoryGB)
    needed = hold
    fits = hold == 1
    let n = accelerators ?? hold
    guard n >= hold else {
      throw InferenceError.tooFewAccelerators(
        needed: hold, given: n, bytes: memory, perAcceleratorGB: acc.memoryGB)
    }
    if let tokens {
      guard let peak = acc.peakFLOPS(.bf16) else {
        throw InferenceError.noPeak(accelerator: acc.id, precision: "bf16")
      }
      let f = flopsPerToken * tokens
      flops = f
      hours = f / (Double(n) * peak * mfu) / 3600
      ex.add(
        ExplainedStep(
          quantity: "wall-clock", formula: "FLOPs/token × D / (n × peak × MFU)",
          inputs: [
            ExplainedInput("D", Format.si(tokens), source: "--tokens"),
            ExplainedInput("n", "\(n)", source: "accelerators"),
            ExplainedInput("peak", "\(Format.si(peak / 1e12)) TFLOP/s bf16", source: acc.source),
            ExplainedInput("MFU", Format.number(mfu), source: "assumption (30–50% range: Chowdhery et al. 2022 Table 3; Dubey et al. 2024)"),
          ], result: "\(Format.number(hours ?? 0)) h", source: "definition of MFU (Chowdhery et al. 2022, PaLM, App. B)"))
    }
  } else if let tokens {
    flops = flopsPerToken * tokens
  }
  return FineTuneEstimate(
    method: config.method, params: N, trainableParams: trainable, components: parts,
    memoryBytes: memory, accelerator: accelerator?.id, acceleratorsNeeded: needed,
    fitsOnOne: fits, flopsPerToken: flopsPerToken, tokens: tokens, trainingFLOPs: flops,
    hours: hours, layerShape: shape, config: config, explanation: ex)
}
