// Weight storage formats and published quality of quantized models.
// Bytes per parameter = (bits + scale-overhead bits) / 8: FP32 4, BF16/FP16 2, FP8/INT8 1,
// INT4/NF4 0.5, 3-bit 0.375 (definitions). Quantisation scales are
// an explicit option, default 0 (GPTQ's 175B-in-65.6 GB arithmetic, Frantar et al. 2022, counts weights
// only). QLoRA §3 (Dettmers et al. 2023, arXiv 2305.14314): block-wise NF4 with 64-weight blocks
// and FP32 constants costs 32/64 = 0.5 extra bits per weight; double quantisation cuts that to
// 8/64 + 32/(64·256) = 0.127 bits, a saving of 0.373 bits per parameter.
// Quality figures come only from data/quantization.csv (published measurements); no penalty model.

import Foundation

/// How weights are stored: bits per weight plus per-weight overhead of quantisation constants.
public struct WeightFormat: Sendable, Equatable, Codable {
  /// Name as shown to the user, such as `bf16`, `int3`, `5-bit`.
  public var name: String
  /// Bits per stored weight, before quantisation constants (0 < bits ≤ 32).
  public var bits: Double
  /// Extra bits per weight spent on quantisation scales/zero points (default 0).
  public var scaleOverheadBits: Double
  /// The catalog precision this format corresponds to, if any (for peak FLOP/s look-ups).
  public var precision: Precision?

  /// Creates a format from a bit width.
  ///
  /// - Throws: `InferenceError.badBits` unless 0 < bits ≤ 32 and overhead ≥ 0.
  public init(bits: Double, scaleOverheadBits: Double = 0, name: String? = nil) throws {
    guard bits.isFinite, bits > 0, bits <= 32 else { throw InferenceError.badBits(bits) }
    guard scaleOverheadBits.isFinite, scaleOverheadBits >= 0 else {
      throw InferenceError.badBits(scaleOverheadBits)
    }
    self.bits = bits
    self.scaleOverheadBits = scaleOverheadBits
    self.name = name ?? "\(Format.significant(bits, digits: 3))-bit"
    self.precision = nil
  }

  /// The format of a catalog precision, optionally with quantisation-constant overhead.
  public init(_ precision: Precision, scaleOverheadBits: Double = 0) {
    self.name = precision.rawValue
    self.bits = precision.bits
    self.scaleOverheadBits = max(0, scaleOverheadBits)
    self.precision = precision
  }

  /// Bytes per parameter, including quantisation constants.
  public var bytesPerParam: Double { (bits + scaleOverheadBits) / 8 }

  /// Parses `fp32`, `bf16`, `fp16`, `fp8`, `int8`, `int4`, `nf4`, `int3` (case-insensitive).
  ///
  /// - Throws: `InferenceError.unknownPrecision` naming the accepted values.
  public static func parse(_ text: String, scaleOverheadBits: Double = 0) throws -> WeightFormat {
    let key = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let p = Precision(rawValue: key) else { throw InferenceError.unknownPrecision(text) }
    return WeightFormat(p, scaleOverheadBits: scaleOverheadBits)
  }

  /// The precision whose peak FLOP/s bounds matrix multiplies with these weights.
  ///
  /// Weight-only formats below 8 bits are dequantised to 16-bit for the multiply (GPTQ §5,
  /// QLoRA §3), so they compute at the BF16 rate; FP8/INT8 use their own rate when the
  /// accelerator lists one, else BF16.
  public func computePrecision(on accelerator: Accelerator) -> Precision {
    switch precision {
    case .fp32?: return .fp32
    case .tf32?: return .tf32
    case .fp8?, .int8?:
      if let p = precision, accelerator.peakFLOPS(p) != nil { return p }
      return .bf16
    default: return .bf16
    }
  }
}

/// QLoRA §3: quantisation-constant overhead of NF4 with 64-weight blocks, in bits per weight.
public enum NF4Constants {
  /// FP32 absmax per 64-weight block: 32/64 = 0.5 bits per weight.
  public static let singleQuantisedBits = 32.0 / 64.0
  /// Double quantisation: 8/64 + 32/(64·256) ≈ 0.127 bits per weight.
  public static let doubleQuantisedBits = 8.0 / 64.0 + 32.0 / (64.0 * 256.0)
  /// Saving from double quantisation: ≈ 0.373 bits per parameter (QLoRA §3).
  public static var doubleQuantisationSavingBits: Double {
    singleQuantisedBits - doubleQuantisedBits
  }
}

/// One published quality measurement of a (possibly quantized) model.
public struct QuantizationMeasurement: Sendable, Equatable, Codable {
  /// Model measured, such as `opt-175b`.
  public var model: String
  /// Total parameters of the measured model (used to match `--params` queries).
  public var params: Double
  /// Quantisation method, such as `fp16` (baseline), `gptq`, `rtn`.
  public var method: String
  /// Bits per weight (16 for the baseline).
  public var bits: Double
  /// Metric name, such as `perplexity`.
  public var metric: String
  /// Evaluation data set, such as `WikiText2`.
  public var dataset: String
  /// Measured value.
  public var value: Double
  /// Paper, table, date and source note.
  public var paper: String
  public var table: String
  public var date: String
  public var source: String

  public init(
    model: String, params: Double, method: String, bits: Double, metric: String,
    dataset: String, value: Double, paper: String, table: String, date: String, source: String
  ) {
    self.model = model
    self.params = params
    self.method = method
    self.bits = bits
    self.metric = metric
    self.dataset = dataset
    self.value = value
    self.paper = paper
    self.table = table
    self.date = date
    self.source = source
  }
}

/// Published measurements for a model at a bit width, with the 16-bit baseline beside them.
public struct QuantizationQuality: Sendable, Equatable, Codable {
  public var model: String
  public var baseline: [QuantizationMeasurement]
  public var quantized: [QuantizationMeasurement]
}

extension Array where Element == QuantizationMeasurement {
  /// Published measurements at `bits` (with 16-bit baselines) for a model id or parameter count.
  ///
  /// Matches `modelID` first; when it is nil or unmatched, any model whose parameter count is
  /// within `tolerance` (relative) of `params`. Empty when nothing matches; never extrapolates.
  public func quality(modelID: String?, params: Double, bits: Double, tolerance: Double = 0.02)
    -> [QuantizationQuality]
  {
    var models: [String] = []
    if let id = modelID?.lowercased(), contains(where: { $0.model.lowercased() == id }) {
      models = [id]
    } else {
      for m in self
      where abs(m.params - params) <= tolerance * m.params
        && !models.contains(m.model.lowercased())
      {
        models.append(m.model.lowercased())
      }
    }
    var out: [QuantizationQuality] = []
    for model in models {
      let rows = filter { $0.model.lowercased() == model }
      let q = rows.filter { abs($0.bits - bits) < 1e-9 && $0.bits < 16 }
      let base = rows.filter { $0.bits >= 16 }
      if !q.isEmpty { out.append(QuantizationQuality(model: model, baseline: base, quantized: q)) }
    }
    return out
  }
}
