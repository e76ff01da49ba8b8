// Pieces every benchmark shares: the peers' figures (data/peer-benchmarks.csv: PyTorch on the
// same tiny transformers, numpy/OpenBLAS sgemm, scipy's L-BFGS-B on the same fit, each with its
// source), the error a failed correctness check raises, and the timing helpers (median of
// repeats, wall and process CPU time, waiting for a quiet machine). Timing is never part of a
// test's assertion.

import Catalog
import Dispatch
import Foundation

/// A benchmark that cannot run or whose kernel failed its correctness check; one sentence.
public struct BenchError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The sentence.
  public var description: String
  /// Creates an error.
  public init(_ description: String) { self.description = description }
}

/// One peer figure of data/peer-benchmarks.csv.
public struct PeerFigure: Codable, Sendable, Equatable {
  /// `train`, `gemm` or `fit`.
  public var kind: String
  /// The configuration (a, b, c; a square size n or `peak`; a fit variant).
  public var config: String
  public var threads: Int
  /// What was measured (`tokens_per_second`, `gflops`, `seconds`, …).
  public var metric: String
  public var value: Double
  public var unit: String
  /// Where the figure comes from.
  public var source: String
}

/// The peers' figures, looked up by kind, configuration, threads and metric.
public struct PeerBenchmarks: Sendable, Equatable {
  /// Every row of the file, in order.
  public var figures: [PeerFigure]

  /// The first figure that matches, if any.
  public func figure(_ kind: String, _ config: String, threads: Int, metric: String)
    -> PeerFigure?
  {
    figures.first {
      $0.kind == kind && $0.config == config && $0.threads == threads && $0.metric == metric
    }
  }
}

extension Engine {
  /// The peers' figures from data/peer-benchmarks.csv (or its override in `catalogDirectory`).
  /// - Throws: `CatalogError` for a missing or malformed file.
  public func peerBenchmarks() throws -> PeerBenchmarks {
    let table = try catalogFiles().table("peer-benchmarks.csv")
    var out: [PeerFigure] = []
    for r in table.rows {
      let threads = try table.number(r, "threads")
      guard threads.isFinite, threads >= 0, threads < 1e6 else { continue }
      out.append(
        PeerFigure(
          kind: try table.string(r, "kind"), config: try table.string(r, "config"),
          threads: Int(threads), metric: try table.string(r, "metric"),
          value: try table.number(r, "value"), unit: try table.string(r, "unit"),
          source: try table.string(r, "source")))
    }
    return PeerBenchmarks(figures: out)
  }
}

/// Timing helpers.
enum BenchClock {
  /// Runs `body` and returns its value, wall seconds and process CPU seconds (all threads).
  static func measure<T>(_ body: () throws -> T) rethrows -> (T, Double, Double) {
    let c0 = clock()
    let t0 = DispatchTime.now().uptimeNanoseconds
    let r = try body()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let cpu = Double(clock() - c0) / Double(CLOCKS_PER_SEC)
    return (r, wall, cpu)
  }

  /// The median (NaN for no values).
  static func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
  }

  /// Fraction of all cores busy over `interval` seconds from /proc/stat (0 where unavailable).
  static func machineBusy(interval: Double = 0.5) -> Double {
    func read() -> (total: Double, idle: Double)? {
      guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
        let line = text.split(separator: "\n").first
      else { return nil }
      let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
      guard v.count > 4 else { return nil }
      return (v.reduce(0, +), v[3] + v[4])
    }
    guard let a = read() else { return 0 }
    Thread.sleep(forTimeInterval: interval)
    guard let b = read(), b.total > a.total else { return 0 }
    return 1 - (b.idle - a.idle) / (b.total - a.total)
  }

  /// Waits until the machine is under 15 % busy or `maxSeconds` pass.
  static func waitUntilQuiet(maxSeconds: Double) {
    guard maxSeconds > 0 else { return }
    let start = DispatchTime.now().uptimeNanoseconds
    while machineBusy() >= 0.15
      && Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < maxSeconds
    {}
  }
}

/// What a benchmark record says of the machine.
public enum BenchMachine {
  /// Physical memory in GiB (2³⁰ bytes).
  public static var physicalMemoryGiB: Double {
    Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
  }
}

/// Bytes in a mebibyte, for the memory figures benchmarks show.
let bytesPerMiB = 1_048_576.0
