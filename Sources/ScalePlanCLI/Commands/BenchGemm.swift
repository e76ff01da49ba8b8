// `scaleplan bench gemm` (hidden): checks every SGEMM build this CPU can run against the naive
// product, then times square (and optional M×N×K) products in the layouts MiniGPT uses, and
// compares with the machine's numpy/OpenBLAS sgemm figures (data/peer-benchmarks.csv).

import ArgumentParser
import Foundation
import MiniGPT

/// `scaleplan bench gemm`: SGEMM GFLOP/s per variant, size and layout.
public struct BenchGemmCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "Check, then time the SGEMM kernels (GFLOP/s); compare with numpy/OpenBLAS.")

  @Option(name: .long, help: "Threads per product (1 or 2).")
  public var threads = 1

  @Option(name: .long, help: "Square sizes n (n×n×n), comma-separated.")
  public var sizes = "64,128,256,512,1024"

  @Option(name: .long, help: "Extra shapes MxNxK (C is M×N, inner dimension K), comma-separated.")
  public var shapes = ""

  @Option(name: .long, help: "Layouts, comma-separated: NN, NT (Bᵀ), TN (Aᵀ), TT (Aᵀ and Bᵀ).")
  public var layouts = "NN,NT,TN"

  @Option(name: .long, help: "Variants, comma-separated (default: all this CPU runs).")
  public var variants = ""

  @Option(name: .long, help: "Timed repeats per case; the median is reported.")
  public var repeats = 5

  @Flag(name: .long, help: "Time with process CPU time instead of wall time (busy machines).")
  public var cpuTime = false

  @OptionGroup public var output: OutputOptions

  public init() {}

  /// One timed case, as printed in `--json`.
  struct Row: Encodable {
    let variant: String
    let threads: Int
    let m: Int
    let n: Int
    let k: Int
    let layout: String
    let gflops: Double
  }

  /// Square sgemm GFLOP/s of numpy/OpenBLAS on this machine kind, by n: (1 thread, 2 threads).
  ///
  /// numpy 2.4.6 with OpenBLAS 0.3.31 (SkylakeX kernel), median of 3:
  /// data/peer-benchmarks.csv, `gemm` rows.
  static let openBLAS: [Int: (Double, Double)] = [
    64: (123.1, 118.4), 128: (120.6, 144.1), 256: (146.8, 212.7), 512: (151.2, 260.9),
    1024: (148.9, 292.8), 2048: (158.4, 307.3),
  ]
  /// The measured sgemm peak (best median over n; data/peer-benchmarks.csv, `gemm,peak`).
  static let openBLASPeak = (158.4, 307.3)

  public func validate() throws {
    guard threads == 1 || threads == 2 else {
      throw ValidationError("--threads \(threads) is not supported; use 1 or 2.")
    }
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1.") }
    _ = try parsedShapes()
    _ = try parsedLayouts()
    _ = try parsedVariants()
  }

  func parsedShapes() throws -> [(m: Int, n: Int, k: Int)] {
    var out: [(Int, Int, Int)] = []
    for s in sizes.split(separator: ",") {
      guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n >= 1, n <= 8192 else {
        throw ValidationError(
          "--sizes entry '\(s)' is not a size from 1 to 8192; write e.g. 64,512.")
      }
      out.append((n, n, n))
    }
    for s in shapes.split(separator: ",") {
      let d = s.lowercased().split(separator: "x").compactMap { Int($0) }
      guard d.count == 3, d.allSatisfy({ $0 >= 1 && $0 <= 65536 }), d[0] * d[1] * d[2] <= 1 << 36
      else {
        throw ValidationError("--shapes entry '\(s)' is not MxNxK; write e.g. 4096x768x256.")
      }
      out.append((d[0], d[1], d[2]))
    }
    return out
  }

  func parsedLayouts() throws -> [MatmulLayout] {
    try layouts.split(separator: ",").map { s in
      guard let l = MatmulLayout(rawValue: s.uppercased()) else {
        throw ValidationError("--layouts entry '\(s)' is not one of NN, NT, TN, TT.")
      }
      return l
    }
  }

  func parsedVariants() throws -> [GemmVariant] {
    if variants.isEmpty { return Matmul.availableVariants }
    return try variants.split(separator: ",").map { s in
      guard let v = GemmVariant(rawValue: s.lowercased()) else {
        throw ValidationError(
          "--variants entry '\(s)' is not one of "
            + GemmVariant.allCases.map(\.rawValue).joined(separator: ", ") + ".")
      }
      guard Matmul.availableVariants.contains(v) else {
        throw ValidationError("This CPU cannot run the '\(s)' variant; drop it from --variants.")
      }
      return v
    }
  }

  public func run() throws {
    let shapeList = try parsedShapes()
    let layoutList = try parsedLayouts()
    let variantList = try parsedVariants()
    let log = FileHandle.standardError
    // Correctness first: odd shapes (edge tiles, several K blocks) and one product large enough
    // to run on two threads, each layout, accumulate on and off.
    let checks = [(1, 1, 1), (67, 45, 93), (5, 300, 7), (301, 513, 129), (130, 70, 1100)]
    for v in variantList {
      for l in layoutList {
        for (m, n, k) in checks {
          for acc in [false, true] {
            let r = MatmulBenchmark.errorRatio(
              variant: v, layout: l, M: m, N: n, K: k, accumulate: acc, threads: threads)
            guard r <= 1 else {
              throw ValidationError(
                "The \(v.rawValue) SGEMM is wrong on \(l.rawValue) \(m)×\(n)×\(k) "
                  + "(error \(r) × the Float32 bound); not timing it.")
            }
          }
        }
      }
      log.write(Data("checked \(v.rawValue): all layouts agree with the naive product\n".utf8))
    }
    var rows: [Row] = []
    var checksum = 0.0
    for v in variantList {
      for (m, n, k) in shapeList {
        for l in layoutList {
          let t = MatmulBenchmark.time(
            variant: v, layout: l, M: m, N: n, K: k, threads: threads, repeats: repeats,
            cpuTime: cpuTime)
          checksum += t.checksum
          let gflops = 2.0 * Double(m) * Double(n) * Double(k) / t.seconds / 1e9
          rows.append(
            Row(
              variant: v.rawValue, threads: threads, m: m, n: n, k: k, layout: l.rawValue,
              gflops: (gflops * 10).rounded() / 10))
        }
      }
    }
    guard checksum.isFinite else {
      throw ValidationError("The timed products produced a non-finite checksum (\(checksum)).")
    }
    if output.json {
      try JSONOutput.print(rows)
      return
    }
    let peak = threads == 1 ? Self.openBLASPeak.0 : Self.openBLASPeak.1
    print(
      "SGEMM, \(threads) thread(s), CPU variant \(Matmul.variant.rawValue); median of "
        + "\(repeats) repeats of \(cpuTime ? "CPU" : "wall") time. OpenBLAS figures: "
        + "data/peer-benchmarks.csv (peak \(peak)).")
    var table = TextTable(header: [
      "variant", "tile", "layout", "M", "N", "K", "split", "GFLOP/s", "÷ OpenBLAS peak",
      "÷ OpenBLAS same n",
    ])
    for r in rows {
      guard let v = GemmVariant(rawValue: r.variant), let l = MatmulLayout(rawValue: r.layout)
      else { continue }
      let tile = Matmul.microTile(v)
      var same = "—"
      if r.m == r.n && r.n == r.k, let ref = Self.openBLAS[r.m] {
        same = String(format: "%.2f", r.gflops / (threads == 1 ? ref.0 : ref.1))
      }
      table.add([
        r.variant, "\(tile.rows)×\(tile.columns)", r.layout, "\(r.m)", "\(r.n)", "\(r.k)",
        Matmul.threadSplit(
          variant: v, transA: l.transA, M: r.m, N: r.n, K: r.k, threads: threads),
        String(format: "%.1f", r.gflops), String(format: "%.2f", r.gflops / peak), same,
      ])
    }
    print(table.render(), terminator: "")
    if output.explain {
      print(
        """

        GFLOP/s = 2·M·N·K / t / 10⁹, t = median over \(repeats) repeats of the time per call \
        (each repeat runs enough calls to last ≥ 0.05 s, after one untimed warm-up call).
        Before timing, each variant is checked against Matmul.naive (Double accumulation) on \
        odd shapes, every layout, accumulate on and off: |C − C_ref| ≤ (K + 2)·u·(|C₀| + \
        Σ|a||b|), u = 2⁻²⁴ (Higham 2002, §3.1, eq. 3.5).
        OpenBLAS: numpy 2.4.6 / OpenBLAS 0.3.31 SkylakeX kernel, square sgemm, median of 3 \
        (data/peer-benchmarks.csv); peak = best median over n (158.4 / 307.3 GFLOP/s).
        """)
    }
  }
}
