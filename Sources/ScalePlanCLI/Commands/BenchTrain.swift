import ArgumentParser
import Foundation
import MiniGPT

/// `scaleplan bench train`: steady-state MiniGPT training throughput on the configurations of
/// shared/bench/RESULTS.md §2, kernels checked first, compared with PyTorch 2.13 CPU.
public struct BenchTrainCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Time MiniGPT training steps on config a, b or c (RESULTS.md §2) against PyTorch.")

  @Option(
    name: .long, help: "Configuration: a (2×64, ctx 64), b (4×128, ctx 128), c (6×256, ctx 128).")
  public var config: String = "a"

  @Option(name: .long, help: "Worker threads (1 or 2 on this machine).")
  public var threads: Int = 2

  @Option(name: .long, help: "Approximate seconds of timed steps (3 repeats share them).")
  public var seconds: Double = 12

  @OptionGroup public var output: OutputOptions

  public init() {}

  public func validate() throws {
    guard BenchTrainSetup.all.contains(where: { $0.name == config }) else {
      throw ValidationError("--config '\(config)' is unknown; use a, b or c.")
    }
    guard (1...64).contains(threads) else {
      throw ValidationError("--threads \(threads) is out of range; use 1 to 64.")
    }
    guard seconds.isFinite, seconds > 0 else {
      throw ValidationError("--seconds must be a positive number, got \(seconds).")
    }
  }

  public func run() throws {
    guard let setup = BenchTrainSetup.all.first(where: { $0.name == config }) else { return }
    let r = try TrainBenchmark.run(setup: setup, threads: threads, seconds: seconds)
    if output.json {
      try JSONOutput.print(JSONRow(r))
      return
    }
    func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    var table = TextTable(header: ["quantity", "value"])
    table.add([
      "config",
      "\(r.config): \(r.layers) layers, d \(r.dModel), \(r.heads) heads, "
        + "ctx \(r.context), batch \(r.batch)",
    ])
    table.add(["threads", "\(r.threads)"])
    table.add(["tokens/s (median of 3)", f(r.tokensPerSecond, 0)])
    table.add(["repeats", r.repeatsTokensPerSecond.map { f($0, 0) }.joined(separator: ", ")])
    table.add(["CPU share per repeat", r.cpuShare.map { f($0, 2) }.joined(separator: ", ")])
    table.add([
      "tokens per CPU-second", r.tokensPerCPUSecond.map { f($0, 0) }.joined(separator: ", "),
    ])
    table.add(["GFLOP/s (F_K = \(Int(r.flopsPerToken)) per token)", f(r.gflops)])
    if let p = r.percentOfSgemmPeak { table.add(["% of sgemm peak", f(p)]) }
    if let t = r.torchTokensPerSecond, let s = r.speedupVsTorch {
      table.add(["PyTorch 2.13 tokens/s", f(t, 0)])
      table.add(["speed-up vs PyTorch", f(s, 2) + "×"])
    }
    if let rss = r.peakRSSBytes, let m = r.memoryRatio {
      table.add(["peak RSS (VmHWM)", f(Double(rss) / 1_048_576) + " MiB"])
      table.add([
        "params+grads+AdamW+activations", f(Double(r.accountedBytes) / 1_048_576) + " MiB",
      ])
      table.add(["peak RSS / accounted", f(m, 2)])
      if let b = r.rssBeforeModelBytes, let own = r.trainingPeakBytes,
        let t = r.trainingMemoryRatio
      {
        table.add(["RSS before the model", f(Double(b) / 1_048_576) + " MiB"])
        table.add(["peak RSS − RSS before the model", f(Double(own) / 1_048_576) + " MiB"])
        table.add(["(peak − before) / accounted", f(t, 2)])
      }
    }
    table.add(["loss first → last step", f(r.firstLoss, 3) + " → " + f(r.lastLoss, 3)])
    table.add(["self-check", r.selfCheck])
    print(table.render(), terminator: "")
    print(
      "Sources: PyTorch figures and the sgemm peak (158.4 / 307.3 GFLOP/s) from "
        + "shared/bench/RESULTS.md; timings on a shared machine are noisy."
    )
    if output.explain {
      print(
        """

        tokens/s = B·T·steps / t per repeat (training steps only, after untimed warm-up steps; \
        the median of 3 repeats is shown). CPU share = CPU seconds / (wall seconds · threads).
        GFLOP/s = F_K · tokens/s / 10⁹, F_K = 6·N + 6·L·T·d (Kaplan et al. 2020 Table 1, the \
        convention of shared/bench/RESULTS.md §2). % of sgemm peak = GFLOP/s / the best \
        numpy-OpenBLAS sgemm median for the same thread count (RESULTS.md §1: 158.4 / 307.3).
        Speed-up = tokens/s / PyTorch 2.13's tokens/s on the identical configuration and thread \
        count (RESULTS.md §2). Accounted memory = 4 bytes × (parameters + gradients, one buffer \
        per batch shard + AdamW's two moments + activations); peak RSS is the kernel's VmHWM.
        """)
    }
  }

  /// snake_case JSON keys.
  struct JSONRow: Encodable {
    let r: BenchTrainResult
    init(_ r: BenchTrainResult) { self.r = r }
    enum K: String, CodingKey {
      case config, threads, layers, d_model, heads, context, batch, non_embedding_params
      case flops_per_token, tokens_per_second, repeats_tokens_per_second, cpu_share
      case tokens_per_cpu_second
      case steps_per_repeat, gflops, percent_of_sgemm_peak, torch_tokens_per_second
      case speedup_vs_torch, peak_rss_bytes, accounted_bytes, memory_ratio, first_loss, last_loss
      case self_check, accounted_params_bytes, accounted_grads_bytes, accounted_moments_bytes
      case accounted_activations_bytes, rss_before_model_bytes, training_peak_bytes
      case training_memory_ratio, memory_method
    }
    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: K.self)
      try c.encode(r.config, forKey: .config)
      try c.encode(r.threads, forKey: .threads)
      try c.encode(r.layers, forKey: .layers)
      try c.encode(r.dModel, forKey: .d_model)
      try c.encode(r.heads, forKey: .heads)
      try c.encode(r.context, forKey: .context)
      try c.encode(r.batch, forKey: .batch)
      try c.encode(r.nonEmbeddingParams, forKey: .non_embedding_params)
      try c.encode(r.flopsPerToken, forKey: .flops_per_token)
      try c.encode(r.tokensPerSecond, forKey: .tokens_per_second)
      try c.encode(r.repeatsTokensPerSecond, forKey: .repeats_tokens_per_second)
      try c.encode(r.cpuShare, forKey: .cpu_share)
      try c.encode(r.tokensPerCPUSecond, forKey: .tokens_per_cpu_second)
      try c.encode(r.stepsPerRepeat, forKey: .steps_per_repeat)
      try c.encode(r.gflops, forKey: .gflops)
      try c.encodeIfPresent(r.percentOfSgemmPeak, forKey: .percent_of_sgemm_peak)
      try c.encodeIfPresent(r.torchTokensPerSecond, forKey: .torch_tokens_per_second)
      try c.encodeIfPresent(r.speedupVsTorch, forKey: .speedup_vs_torch)
      try c.encodeIfPresent(r.peakRSSBytes, forKey: .peak_rss_bytes)
      try c.encode(r.accountedBytes, forKey: .accounted_bytes)
      try c.encodeIfPresent(r.memoryRatio, forKey: .memory_ratio)
      try c.encode(r.accountedParamsBytes, forKey: .accounted_params_bytes)
      try c.encode(r.accountedGradsBytes, forKey: .accounted_grads_bytes)
      try c.encode(r.accountedMomentsBytes, forKey: .accounted_moments_bytes)
      try c.encode(r.accountedActivationsBytes, forKey: .accounted_activations_bytes)
      try c.encodeIfPresent(r.rssBeforeModelBytes, forKey: .rss_before_model_bytes)
      try c.encodeIfPresent(r.trainingPeakBytes, forKey: .training_peak_bytes)
      try c.encodeIfPresent(r.trainingMemoryRatio, forKey: .training_memory_ratio)
      try c.encode(BenchTrainResult.memoryMethod, forKey: .memory_method)
      try c.encode(r.firstLoss, forKey: .first_loss)
      try c.encode(r.lastLoss, forKey: .last_loss)
      try c.encode(r.selfCheck, forKey: .self_check)
    }
  }
}
