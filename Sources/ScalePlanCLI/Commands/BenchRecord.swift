// `scaleplan bench record`: run the trainer, GEMM and fit benchmarks (each checks correctness
// before timing) as child processes and collect their JSON, with machine details, into one file
// that the benchmarks notebook renders. Timing is never part of `swift test`.

import ArgumentParser
import Foundation
import MiniGPT
import Notebooks
import UseCases

/// `scaleplan bench record [--out FILE]`.
public struct BenchRecordCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Run all benchmarks and save their results for the benchmarks notebook.")

  @Option(name: .long, help: "Where to write the results (JSON).")
  public var out: String = "data/measured-benchmarks.json"

  @Option(name: .long, help: "Seconds of timed training steps per configuration.")
  public var seconds: Double = 12

  @Option(name: .long, help: "Epoch's digitised Chinchilla points, for the fit benchmark (default: built in).")
  public var data: String?

  @Flag(name: .long, help: "Skip the fit benchmark.")
  public var skipFit = false

  @OptionGroup public var output: JSONOptions

  public init() {}

  public func validate() throws {
    guard seconds.isFinite, seconds > 0 else {
      throw ValidationError("--seconds must be a positive number of seconds, got \(seconds).")
    }
  }

  public func run() throws {
    let runner = selfRunner(catalog: nil)
    func object(_ args: [String]) throws -> Any {
      FileHandle.standardError.write(Data("bench: scaleplan \(args.joined(separator: " "))\n".utf8))
      return try JSONSerialization.jsonObject(with: try runner(args))
    }
    var train: [Any] = []
    for config in ["a", "b", "c"] {
      for threads in ["1", "2"] {
        train.append(
          try object([
            "bench", "train", "--config", config, "--threads", threads, "--seconds",
            String(seconds),
          ]))
      }
    }
    var gemm: [Any] = []
    for threads in ["1", "2"] {
      if let result = try object([
        "bench", "gemm", "--threads", threads, "--sizes", "256,512,1024", "--layouts", "nn",
        "--variants", Matmul.variant.rawValue,
      ]) as? [String: Any], let rows = result["rows"] as? [Any] {
        gemm += rows
      }
    }
    var result: [String: Any] = [
      "machine": machineDetails(), "train": train, "gemm": gemm,
    ]
    if !skipFit {
      result["fit"] = try object(["bench", "fit"] + (data.map { ["--data", $0] } ?? []))
    }
    let bytes = try JSONSerialization.data(
      withJSONObject: result, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    try bytes.write(to: URL(fileURLWithPath: out))
    if output.json {
      print(String(decoding: bytes, as: UTF8.self))
    } else {
      print("wrote \(out)")
    }
  }

  /// CPU model, cores, load, kernel variant, build configuration and Swift version.
  func machineDetails() -> [String: Any] {
    var cpu = "unknown"
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
      let name = line.split(separator: ":", maxSplits: 1).last
    {
      cpu = name.trimmingCharacters(in: .whitespaces)
    }
    let load =
      (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
      .split(separator: " ").first.map(String.init) ?? "unknown"
    #if DEBUG
      let build = "debug (numeric targets built with -O)"
    #else
      let build = "release"
    #endif
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return [
      "cpu": cpu, "cores": ProcessInfo.processInfo.activeProcessorCount,
      "gemm_variant": Matmul.variant.rawValue, "build": build,
      "load_average_1min_at_start": load, "date": formatter.string(from: Date()),
      "memory_gib": BenchMachine.physicalMemoryGiB,
    ]
  }
}
