// Value types for catalog rows (accelerators, notable models). The Catalog module reads them from
// data/*.csv; the Planner only computes with them. Units are in the property names.

/// Numeric formats an accelerator can run, and weights can be stored in.
public enum Precision: String, Sendable, Codable, CaseIterable {
  case fp32, tf32, bf16, fp16, fp8, int8, int4, nf4, int3

  /// Bits per stored weight (before quantisation scales).
  public var bits: Double {
    switch self {
    case .fp32, .tf32: return 32
    case .bf16, .fp16: return 16
    case .fp8, .int8: return 8
    case .int4, .nf4: return 4
    case .int3: return 3
    }
  }
}

/// One accelerator (GPU/TPU/…): dense peak throughput by precision, memory, bandwidth, power.
public struct Accelerator: Sendable, Codable, Equatable {
  /// Catalog key typed on the command line, e.g. `h100`, `a100-80gb`, `v100`.
  public var id: String
  /// Display name, e.g. "NVIDIA H100 SXM".
  public var name: String
  public var vendor: String
  /// Release as written in the source, e.g. "2022" or "2020-11".
  public var release: String
  /// Accelerator memory in GB (1e9 bytes).
  public var memoryGB: Double
  /// Memory bandwidth in TB/s (1e12 bytes/s).
  public var bandwidthTBps: Double
  /// Dense (no 2:4 sparsity) peak, TFLOP/s (or TOPS for integer formats), by precision.
  public var peakTFLOPS: [Precision: Double]
  /// Thermal design power per chip, watts.
  public var tdpWatts: Double?
  /// Default on-demand price per chip-hour in US$, with its date and source.
  public var priceUSDPerHour: Double?
  public var priceDate: String?
  public var priceSource: String?
  /// Where the specification figures come from.
  public var source: String

  public init(
    id: String, name: String, vendor: String, release: String, memoryGB: Double,
    bandwidthTBps: Double, peakTFLOPS: [Precision: Double], tdpWatts: Double?,
    priceUSDPerHour: Double?, priceDate: String?, priceSource: String?, source: String
  ) {
    self.id = id
    self.name = name
    self.vendor = vendor
    self.release = release
    self.memoryGB = memoryGB
    self.bandwidthTBps = bandwidthTBps
    self.peakTFLOPS = peakTFLOPS
    self.tdpWatts = tdpWatts
    self.priceUSDPerHour = priceUSDPerHour
    self.priceDate = priceDate
    self.priceSource = priceSource
    self.source = source
  }

  /// Dense peak in FLOP/s for a precision; bf16 and fp16 share a figure when one is missing.
  public func peakFLOPS(_ precision: Precision) -> Double? {
    if let t = peakTFLOPS[precision] { return t * 1e12 }
    switch precision {
    case .bf16: return peakTFLOPS[.fp16].map { $0 * 1e12 }
    case .fp16: return peakTFLOPS[.bf16].map { $0 * 1e12 }
    default: return nil
    }
  }
}

/// A notable model from the literature with its reported or estimated size and training data.
public struct NotableModel: Sendable, Codable, Equatable {
  /// Catalog key, e.g. `gpt3`, `chinchilla`, `llama2-70b`.
  public var id: String
  public var name: String
  public var organisation: String
  public var date: String
  /// Total parameters (MoE: all experts).
  public var params: Double
  /// Parameters active per token (equals `params` for dense models).
  public var activeParams: Double
  /// Training tokens, if known.
  public var tokens: Double?
  /// Training compute in FLOP, if reported or estimated.
  public var trainingFLOPs: Double?
  /// Architecture, when published (for KV cache and exact FLOP accounting).
  public var layers: Int?
  public var dModel: Int?
  public var heads: Int?
  public var kvHeads: Int?
  public var vocab: Int?
  public var context: Int?
  /// Where the figures come from, with tags ([R] reported, [E] estimate, [D] derived).
  public var source: String

  public init(
    id: String, name: String, organisation: String, date: String, params: Double,
    activeParams: Double, tokens: Double?, trainingFLOPs: Double?, layers: Int?, dModel: Int?,
    heads: Int?, kvHeads: Int?, vocab: Int?, context: Int?, source: String
  ) {
    self.id = id
    self.name = name
    self.organisation = organisation
    self.date = date
    self.params = params
    self.activeParams = activeParams
    self.tokens = tokens
    self.trainingFLOPs = trainingFLOPs
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.kvHeads = kvHeads
    self.vocab = vocab
    self.context = context
    self.source = source
  }
}
