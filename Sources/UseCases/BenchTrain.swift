// `bench train`: MiniGPT's steady-state training throughput on configuration a, b or c (MiniGPT's
// `TrainBenchmark`, kernels checked first), compared with PyTorch 2.13 CPU eager on the identical
// configuration and with the best numpy/OpenBLAS sgemm median (both from
// data/peer-benchmarks.csv). GFLOP/s use F_K = 6·N + 6·L·T·d per token (Kaplan et al. 2020,
// Table 1).

import Foundation
import MiniGPT
import Planner

/// A training benchmark.
public struct BenchTrainRequest: Codable, Sendable, Equatable {
  /// `a` (2×64, ctx 64), `b` (4×128, ctx 128) or `c` (6×256, ctx 128); default a.
  public var config: String?
  /// Worker threads (default 2).
  public var threads: Int?
  /// Approximate seconds of timed steps, shared by 3 repeats (default 12).
  public var seconds: Double?

  /// Creates a request; every value left out takes the default.
  public init(config: String? = nil, threads: Int? = nil, seconds: Double? = nil) {
    self.config = config
    self.threads = threads
    self.seconds = seconds
  }

  /// The defaults.
  public enum Defaults {
    public static let config = "a"
    public static let threads = 2
    public static let seconds = 12.0
  }

  /// Longest timing asked for: an hour (the notebook's figures use 12 s).
  public static let maximumSeconds = 3_600.0

  /// Checks the configuration, threads and seconds.
  /// - Throws: `RequestError.invalid` naming the flag.
  public func validate() throws {
    let config = self.config ?? Defaults.config
    guard BenchTrainSetup.all.contains(where: { $0.name == config }) else {
      throw RequestError.invalid("--config '\(config)' is unknown; use a, b or c.")
    }
    let threads = self.threads ?? Defaults.threads
    guard (1...64).contains(threads) else {
      throw RequestError.invalid("--threads \(threads) is out of range; use 1 to 64.")
    }
    let seconds = self.seconds ?? Defaults.seconds
    guard seconds.isFinite, seconds > 0 else {
      throw RequestError.invalid("--seconds must be a positive number, got \(seconds).")
    }
    guard seconds <= Self.maximumSeconds else {
      throw RequestError.invalid(
        "--seconds \(Format.number(seconds)) is more than an hour of timed steps; use at most 3600.")
    }
  }
}

/// What `bench train` measured, and how it compares with the peers. The JSON is the measurement's
/// keys (as `bench train --json` always printed them) plus the ratios, the peers' sources,
/// `memory_method`, `warnings` and, when asked for, `explanation`.
public struct BenchTrainResult: Codable, Sendable, Explained {
  /// The measurement.
  public var measurement: TrainBenchmarkMeasurement
  /// The sgemm peak for this thread count, GFLOP/s.
  public var sgemmPeakGFLOPS: Double?
  /// Where the sgemm peak comes from.
  public var sgemmPeakSource: String?
  /// GFLOP/s / the sgemm peak, in percent.
  public var percentOfSgemmPeak: Double?
  /// PyTorch's tokens/s on the same configuration and thread count.
  public var torchTokensPerSecond: Double?
  /// Where PyTorch's figure comes from.
  public var torchSource: String?
  /// tokens/s / PyTorch's tokens/s.
  public var speedupVsTorch: Double?
  /// Caveats (no peer figure for this thread count, …).
  public var warnings: [String]
  /// The formulas behind every figure.
  public var explanation: Explanation?

  /// How the memory figures are measured, one sentence.
  public static let memoryMethod =
    "peak_rss_bytes is the process's VmHWM after the timed steps; rss_before_model_bytes is "
    + "VmRSS just before the model's buffers are allocated (runtime, binary, corpus and "
    + "self-check already resident); training_peak_bytes is their difference; both ratios "
    + "divide by accounted_bytes = parameters + gradients + AdamW moments + activations."

  enum CodingKeys: String, CodingKey {
    case warnings, explanation
    case sgemmPeakGFLOPS = "sgemm_peak_gflops"
    case sgemmPeakSource = "sgemm_peak_source"
    case percentOfSgemmPeak = "percent_of_sgemm_peak"
    case torchTokensPerSecond = "torch_tokens_per_second"
    case torchSource = "torch_source"
    case speedupVsTorch = "speedup_vs_torch"
    case memoryMethod = "memory_method"
  }

  /// Creates a result.
  public init(
    measurement: TrainBenchmarkMeasurement, sgemmPeakGFLOPS: Double?, sgemmPeakSource: String?,
    torchTokensPerSecond: Double?, torchSource: String?, warnings: [String],
    explanation: Explanation?
  ) {
    self.measurement = measurement
    self.sgemmPeakGFLOPS = sgemmPeakGFLOPS
    self.sgemmPeakSource = sgemmPeakSource
    self.torchTokensPerSecond = torchTokensPerSecond
    self.torchSource = torchSource
    percentOfSgemmPeak = sgemmPeakGFLOPS.map { 100 * measurement.gflops / $0 }
    speedupVsTorch = torchTokensPerSecond.map { measurement.tokensPerSecond / $0 }
    self.warnings = warnings
    self.explanation = explanation
  }

  public func encode(to encoder: any Encoder) throws {
    try measurement.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(sgemmPeakGFLOPS, forKey: .sgemmPeakGFLOPS)
    try c.encodeIfPresent(sgemmPeakSource, forKey: .sgemmPeakSource)
    try c.encodeIfPresent(percentOfSgemmPeak, forKey: .percentOfSgemmPeak)
    try c.encodeIfPresent(torchTokensPerSecond, forKey: .torchTokensPerSecond)
    try c.encodeIfPresent(torchSource, forKey: .torchSource)
    try c.encodeIfPresent(speedupVsTorch, forKey: .speedupVsTorch)
    try c.encode(Self.memoryMethod, forKey: .memoryMethod)
    try c.encode(warnings, forKey: .warnings)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }

  public init(from decoder: any Decoder) throws {
    measurement = try TrainBenchmarkMeasurement(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    sgemmPeakGFLOPS = try c.decodeIfPresent(Double.self, forKey: .sgemmPeakGFLOPS)
    sgemmPeakSource = try c.decodeIfPresent(String.self, forKey: .sgemmPeakSource)
    percentOfSgemmPeak = try c.decodeIfPresent(Double.self, forKey: .percentOfSgemmPeak)
    torchTokensPerSecond = try c.decodeIfPresent(Double.self, forKey: .torchTokensPerSecond)
    torchSource = try c.decodeIfPresent(String.self, forKey: .torchSource)
    speedupVsTorch = try c.decodeIfPresent(Double.self, forKey: .speedupVsTorch)
    warnings = try c.decode([String].self, forKey: .warnings)
    explanation = try c.decodeIfPresent(Explanation.self, forKey: .explanation)
  }

  /// Memory figures in MiB, for display.
  public var peakRSSMiB: Double? { measurement.peakRSSBytes.map { Double($0) / bytesPerMiB } }
  /// See `peakRSSMiB`.
  public var accountedMiB: Double { Double(measurement.accountedBytes) / bytesPerMiB }
  /// See `peakRSSMiB`.
  public var rssBeforeModelMiB: Double? {
    measurement.rssBeforeModelBytes.map { Double($0) / bytesPerMiB }
  }
  /// See `peakRSSMiB`.
  public var trainingPeakMiB: Double? {
    measurement.trainingPeakBytes.map { Double($0) / bytesPerMiB }
  }
}

extension Engine {
  /// Checks the kernels, then times the configuration; compares with the peers.
  /// - Throws: `RequestError.invalid` for a bad request, `MiniGPTError` when a self-check fails,
  ///   `CatalogError` for a malformed data/peer-benchmarks.csv.
  public func benchTrain(_ request: BenchTrainRequest) throws -> BenchTrainResult {
    try request.validate()
    let d = BenchTrainRequest.Defaults.self
    let name = request.config ?? d.config
    guard let setup = BenchTrainSetup.all.first(where: { $0.name == name }) else {
      throw RequestError.invalid("--config '\(name)' is unknown; use a, b or c.")
    }
    let threads = request.threads ?? d.threads
    let peers = try peerBenchmarks()
    let m = try TrainBenchmark.run(
      setup: setup, threads: threads, seconds: request.seconds ?? d.seconds)
    let peak = peers.figure("gemm", "peak", threads: threads, metric: "gflops")
    let torch = peers.figure("train", name, threads: threads, metric: "tokens_per_second")
    var warnings: [String] = []
    if torch == nil {
      warnings.append(
        "data/peer-benchmarks.csv has no PyTorch figure for config \(name) on \(threads) "
          + "thread(s); no speed-up is shown.")
    }
    if peak == nil {
      warnings.append(
        "data/peer-benchmarks.csv has no sgemm peak for \(threads) thread(s); no % of peak is "
          + "shown.")
    }
    return BenchTrainResult(
      measurement: m, sgemmPeakGFLOPS: peak?.value, sgemmPeakSource: peak?.source,
      torchTokensPerSecond: torch?.value, torchSource: torch?.source, warnings: warnings,
      explanation: Self.benchTrainExplanation(m, peak: peak, torch: torch))
  }

  static func benchTrainExplanation(
    _ m: TrainBenchmarkMeasurement, peak: PeerFigure?, torch: PeerFigure?
  ) -> Explanation {
    var e = Explanation()
    e.add(
      ExplainedStep(
        quantity: "tokens/s", formula: "B·T·steps / t per repeat; the median of 3 repeats",
        inputs: [
          ExplainedInput("B·T", "\(m.batch)·\(m.context)", source: "the configuration"),
          ExplainedInput("steps", "\(m.stepsPerRepeat)", source: "per repeat, after warm-up"),
        ],
        result: Format.significant(m.tokensPerSecond, digits: 4),
        source: "training steps only, after untimed warm-up steps"))
    e.add(
      ExplainedStep(
        quantity: "CPU share", formula: "CPU seconds / (wall seconds · threads)",
        inputs: [ExplainedInput("threads", "\(m.threads)", source: "--threads")],
        result: m.cpuShare.map { Format.significant($0, digits: 2) }.joined(separator: ", "),
        source: "≈ 1 when nothing else ran"))
    e.add(
      ExplainedStep(
        quantity: "GFLOP/s", formula: "F_K · tokens/s / 10⁹, F_K = 6·N + 6·L·T·d",
        inputs: [ExplainedInput("F_K", Format.number(m.flopsPerToken), source: "per token")],
        result: Format.significant(m.gflops, digits: 4), source: "Kaplan et al. 2020, Table 1"))
    if let peak {
      e.add(
        ExplainedStep(
          quantity: "% of sgemm peak", formula: "100 · GFLOP/s / peak",
          inputs: [
            ExplainedInput("peak", Format.number(peak.value) + " GFLOP/s", source: peak.source)
          ],
          result: Format.significant(100 * m.gflops / peak.value, digits: 3),
          source: "data/peer-benchmarks.csv"))
    }
    if let torch {
      e.add(
        ExplainedStep(
          quantity: "speed-up vs PyTorch", formula: "tokens/s / PyTorch tokens/s",
          inputs: [
            ExplainedInput("PyTorch", Format.number(torch.value) + " tokens/s", source: torch.source)
          ],
          result: Format.significant(m.tokensPerSecond / torch.value, digits: 3),
          source: "data/peer-benchmarks.csv (same configuration and thread count)"))
    }
    e.add(
      ExplainedStep(
        quantity: "accounted memory",
        formula: "4 bytes × (parameters + gradients, one buffer per batch shard + AdamW's two "
          + "moments + activations)",
        inputs: [], result: "\(m.accountedBytes) bytes",
        source: "peak RSS is the kernel's VmHWM (/proc/self/status)"))
    return e
  }
}
