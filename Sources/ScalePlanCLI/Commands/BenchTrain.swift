// `scaleplan bench train`: flags → `BenchTrainRequest` → `Engine.benchTrain` (MiniGPT's training
// throughput, kernels checked first, against the peers of data/peer-benchmarks.csv) → table or
// JSON.

import ArgumentParser
import Foundation
import Planner
import UseCases

/// `scaleplan bench train`: steady-state MiniGPT training throughput on configuration a, b or c,
/// compared with PyTorch 2.13 CPU.
public struct BenchTrainCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Time MiniGPT training steps on config a, b or c against PyTorch.")

  @Option(
    name: .long,
    help: "Configuration: a (2×64, ctx 64; the default), b (4×128, ctx 128), c (6×256, ctx 128).")
  public var config: String?

  @Option(name: .long, help: "Worker threads (1 or 2 on this machine; default 2).")
  public var threads: Int?

  @Option(name: .long, help: "Approximate seconds of timed steps, shared by 3 repeats (default 12).")
  public var seconds: Double?

  @OptionGroup public var output: OutputOptions

  public init() {}

  var request: BenchTrainRequest {
    BenchTrainRequest(config: config, threads: threads, seconds: seconds)
  }

  public func validate() throws {
    try UsageCheck.run { try request.validate() }
  }

  public func run() throws {
    let result = try Engine().benchTrain(request)
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      return
    }
    let r = result.measurement
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
    table.add(["GFLOP/s (F_K = \(Format.number(r.flopsPerToken)) per token)", f(r.gflops)])
    if let p = result.percentOfSgemmPeak { table.add(["% of sgemm peak", f(p)]) }
    if let t = result.torchTokensPerSecond, let s = result.speedupVsTorch {
      table.add(["PyTorch 2.13 tokens/s", f(t, 0)])
      table.add(["speed-up vs PyTorch", f(s, 2) + "×"])
    }
    if let rss = result.peakRSSMiB, let m = r.memoryRatio {
      table.add(["peak RSS (VmHWM)", f(rss) + " MiB"])
      table.add(["params+grads+AdamW+activations", f(result.accountedMiB) + " MiB"])
      table.add(["peak RSS / accounted", f(m, 2)])
      if let b = result.rssBeforeModelMiB, let own = result.trainingPeakMiB,
        let t = r.trainingMemoryRatio
      {
        table.add(["RSS before the model", f(b) + " MiB"])
        table.add(["peak RSS − RSS before the model", f(own) + " MiB"])
        table.add(["(peak − before) / accounted", f(t, 2)])
      }
    }
    table.add(["loss first → last step", f(r.firstLoss, 3) + " → " + f(r.lastLoss, 3)])
    table.add(["self-check", r.selfCheck])
    print(table.render(), terminator: "")
    var sources: [String] = []
    if let s = result.torchSource { sources.append("PyTorch: \(s)") }
    if let s = result.sgemmPeakSource { sources.append("sgemm peak: \(s)") }
    print(
      "Sources (data/peer-benchmarks.csv): " + sources.joined(separator: "; ")
        + "; timings on a shared machine are noisy.")
    for w in result.warnings { print("Note: \(w)") }
    if output.explain, let e = result.explanation { print("\n" + e.render(), terminator: "") }
  }
}
