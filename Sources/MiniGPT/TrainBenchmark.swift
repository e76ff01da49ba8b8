// `scaleplan bench train`: steady-state training throughput on the three benchmark
// configurations (a, b, c), the kernels checked for correctness first, with the process's memory
// beside what the model accounts for. GFLOP/s use F_K = 6·N_nonemb + 6·L·ctx·d per token (Kaplan
// et al. 2020 Table 1). The peers (PyTorch, the OpenBLAS sgemm peak) are data
// (data/peer-benchmarks.csv), compared in the use-case layer.

import Foundation

/// One benchmark configuration (the peers measured the same ones: data/peer-benchmarks.csv).
public struct BenchTrainSetup: Sendable {
  public var name: String
  public var model: GPTConfig
  public var batch: Int

  /// a (2×64, ctx 64, batch 32), b (4×128, ctx 128, batch 32), c (6×256, ctx 128, batch 16).
  public static let all: [BenchTrainSetup] = [
    BenchTrainSetup(
      name: "a", model: GPTConfig(layers: 2, dModel: 64, heads: 4, context: 64), batch: 32),
    BenchTrainSetup(
      name: "b", model: GPTConfig(layers: 4, dModel: 128, heads: 4, context: 128), batch: 32),
    BenchTrainSetup(
      name: "c", model: GPTConfig(layers: 6, dModel: 256, heads: 8, context: 128), batch: 16),
  ]
}

/// What `bench train` measured on this machine.
public struct TrainBenchmarkMeasurement: Codable, Sendable, Equatable {
  public var config: String
  public var threads: Int
  public var layers, dModel, heads, context, batch: Int
  public var nonEmbeddingParams: Int
  public var flopsPerToken: Double
  /// Median of the repeats.
  public var tokensPerSecond: Double
  public var repeatsTokensPerSecond: [Double]
  /// Process CPU seconds / wall seconds / threads, per repeat (≈ 1 when nothing else ran).
  public var cpuShare: [Double]
  /// Tokens per process-CPU-second, per repeat: less sensitive to other load than tokens/s.
  public var tokensPerCPUSecond: [Double]
  public var stepsPerRepeat: Int
  /// F_K · tokens/s / 10⁹.
  public var gflops: Double
  /// Peak resident set size of the whole process (VmHWM), bytes.
  public var peakRSSBytes: Int?
  /// Parameters + gradients + AdamW moments + activations, bytes (the denominator).
  public var accountedBytes: Int
  /// accountedBytes by part: parameters, gradients (every shard's buffer), moments, activations.
  public var accountedParamsBytes, accountedGradsBytes, accountedMomentsBytes: Int
  public var accountedActivationsBytes: Int
  /// peakRSSBytes / accountedBytes (whole process, runtime and corpus included).
  public var memoryRatio: Double?
  /// VmRSS just before the model was allocated (Swift runtime, binary, corpus, self-check).
  public var rssBeforeModelBytes: Int?
  /// peakRSSBytes − rssBeforeModelBytes: what training itself added to the process.
  public var trainingPeakBytes: Int?
  /// trainingPeakBytes / accountedBytes.
  public var trainingMemoryRatio: Double?
  public var firstLoss: Double
  public var lastLoss: Double
  public var selfCheck: String

  /// The snake_case keys of `bench train --json`.
  enum CodingKeys: String, CodingKey {
    case config, threads, layers, heads, context, batch, gflops
    case dModel = "d_model"
    case nonEmbeddingParams = "non_embedding_params"
    case flopsPerToken = "flops_per_token"
    case tokensPerSecond = "tokens_per_second"
    case repeatsTokensPerSecond = "repeats_tokens_per_second"
    case cpuShare = "cpu_share"
    case tokensPerCPUSecond = "tokens_per_cpu_second"
    case stepsPerRepeat = "steps_per_repeat"
    case peakRSSBytes = "peak_rss_bytes"
    case accountedBytes = "accounted_bytes"
    case accountedParamsBytes = "accounted_params_bytes"
    case accountedGradsBytes = "accounted_grads_bytes"
    case accountedMomentsBytes = "accounted_moments_bytes"
    case accountedActivationsBytes = "accounted_activations_bytes"
    case memoryRatio = "memory_ratio"
    case rssBeforeModelBytes = "rss_before_model_bytes"
    case trainingPeakBytes = "training_peak_bytes"
    case trainingMemoryRatio = "training_memory_ratio"
    case firstLoss = "first_loss"
    case lastLoss = "last_loss"
    case selfCheck = "self_check"
  }
}

public enum TrainBenchmark {
  /// Checks the kernels, then times `setup` with `threads` workers for about `seconds` in total
  /// (3 repeats after 3 warm-up steps).
  /// - Throws: `MiniGPTError` if a self-check fails or the configuration is invalid.
  public static func run(setup: BenchTrainSetup, threads: Int, seconds: Double) throws
    -> TrainBenchmarkMeasurement
  {
    let check = try SelfCheck.run(threads: threads)
    let T = setup.model.context
    let trainer = try Trainer(
      model: setup.model,
      train: TrainConfig(
        batch: setup.batch, tokens: setup.batch * T * 1_000_000, learningRate: 1e-3,
        evalWindows: 1, seed: 1, threads: threads),
      corpus: .synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0))
    let first = trainer.step().loss
    for _ in 0..<2 { _ = trainer.step() }
    var one = Double.infinity
    for _ in 0..<2 {
      let t0 = Date()
      _ = trainer.step()
      one = min(one, Date().timeIntervalSince(t0))
    }
    let steps = max(3, Int((seconds / 3 / max(one, 1e-6)).rounded(.up)))
    var rates: [Double] = []
    var shares: [Double] = []
    var perCPU: [Double] = []
    var last = first
    for _ in 0..<3 {
      let c0 = cpuSeconds()
      let t0 = Date()
      for _ in 0..<steps { last = trainer.step().loss }
      let dt = Date().timeIntervalSince(t0)
      rates.append(Double(steps * setup.batch * T) / dt)
      let cpu = cpuSeconds() - c0
      shares.append(cpu / dt / Double(threads))
      perCPU.append(Double(steps * setup.batch * T) / max(cpu, 1e-9))
    }
    let median = rates.sorted()[1]
    let flops = setup.model.trainingFLOPsPerToken
    let gflops = median * flops / 1e9
    let rss = ProcessMemory.peakResidentBytes()
    let before = trainer.residentBytesBeforeModel
    let own = rss.flatMap { r in before.map { r - $0 } }
    let parts = trainer.accountedParts
    return TrainBenchmarkMeasurement(
      config: setup.name, threads: threads, layers: setup.model.layers,
      dModel: setup.model.dModel, heads: setup.model.heads, context: T, batch: setup.batch,
      nonEmbeddingParams: setup.model.nonEmbeddingParams, flopsPerToken: flops,
      tokensPerSecond: median, repeatsTokensPerSecond: rates, cpuShare: shares,
      tokensPerCPUSecond: perCPU,
      stepsPerRepeat: steps, gflops: gflops, peakRSSBytes: rss, accountedBytes: trainer.accountedBytes,
      accountedParamsBytes: parts.params, accountedGradsBytes: parts.grads,
      accountedMomentsBytes: parts.moments, accountedActivationsBytes: parts.activations,
      memoryRatio: rss.map { Double($0) / Double(trainer.accountedBytes) },
      rssBeforeModelBytes: before, trainingPeakBytes: own,
      trainingMemoryRatio: own.map { Double($0) / Double(trainer.accountedBytes) },
      firstLoss: first, lastLoss: last, selfCheck: check)
  }

  /// User + system CPU seconds of this process.
  static func cpuSeconds() -> Double {
    Double(clock()) / Double(CLOCKS_PER_SEC)
  }
}

/// The process's memory as Linux reports it in /proc/self/status.
public enum ProcessMemory {
  /// Peak resident set size (VmHWM), bytes; nil where unavailable.
  public static func peakResidentBytes() -> Int? { statusBytes("VmHWM:") }

  /// Current resident set size (VmRSS), bytes; nil where unavailable.
  public static func residentBytes() -> Int? { statusBytes("VmRSS:") }

  /// The kB value of one /proc/self/status line, in bytes.
  static func statusBytes(_ key: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return nil
    }
    for line in text.split(separator: "\n") where line.hasPrefix(key) {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
    }
    return nil
  }
}
