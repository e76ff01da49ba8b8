// `scaleplan bench gemm` (hidden): flags → BenchGemmRequest → Engine.benchGemm → table or JSON.
// The check, the timing and the comparison with numpy/OpenBLAS (data/peer-benchmarks.csv) are
// in UseCases/BenchGemm.swift.

import ArgumentParser
import Foundation
import UseCases

/// `scaleplan bench gemm`: SGEMM GFLOP/s per variant, size and layout.
public struct BenchGemmCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "Check, then time the SGEMM kernels (GFLOP/s); compare with numpy/OpenBLAS.")

  typealias D = BenchGemmRequest.Defaults

  @Option(name: .long, help: "Threads per product (1 or 2; default \(D.threads)).")
  public var threads: Int?

  @Option(name: .long, help: "Square sizes n (n×n×n), comma-separated.")
  public var sizes: String?

  @Option(name: .long, help: "Extra shapes MxNxK (C is M×N, inner dimension K), comma-separated.")
  public var shapes: String?

  @Option(name: .long, help: "Layouts, comma-separated: NN, NT (Bᵀ), TN (Aᵀ), TT (Aᵀ and Bᵀ).")
  public var layouts: String?

  @Option(name: .long, help: "Variants, comma-separated (default: all this CPU runs).")
  public var variants: String?

  @Option(name: .long, help: "Timed repeats per case; the median is reported (default \(D.repeats)).")
  public var repeats: Int?

  @Flag(name: .long, help: "Time with process CPU time instead of wall time (busy machines).")
  public var cpuTime = false

  @OptionGroup public var output: OutputOptions

  public init() {}

  /// The flags as a request (lists split on commas; a size or shape that is not a number is
  /// refused here, ranges by the request).
  func request() throws -> BenchGemmRequest {
    func list(_ s: String?) -> [String]? {
      s.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }
    let sizeList = try list(sizes)?.map { s -> Int in
      guard let n = Int(s) else {
        throw ValidationError("--sizes entry '\(s)' is not a whole number; write e.g. 64,512.")
      }
      return n
    }
    let shapeList = try list(shapes)?.map { s -> [Int] in
      let d = s.lowercased().split(separator: "x").map { Int($0) }
      guard d.count == 3, d.allSatisfy({ $0 != nil }) else {
        throw ValidationError("--shapes entry '\(s)' is not MxNxK; write e.g. 4096x768x256.")
      }
      return d.compactMap { $0 }
    }
    return BenchGemmRequest(
      threads: threads, sizes: sizeList, shapes: shapeList, layouts: list(layouts),
      variants: list(variants), repeats: repeats, cpuTime: cpuTime)
  }

  public func validate() throws {
    try UsageCheck.run { try request().validate() }
  }

  public func run() throws {
    let log = FileHandle.standardError
    let r = try Engine().benchGemm(try request()) { log.write(Data("\($0)\n".utf8)) }
    if output.json {
      try JSONOutput.print(r)
      return
    }
    let threads = r.rows.first?.threads ?? (self.threads ?? D.threads)
    let peak = r.openBLASPeak.map { "\($0)" } ?? "not measured"
    print(
      "SGEMM, \(threads) thread(s), CPU variant \(r.defaultVariant); median of \(r.repeats) "
        + "repeats of \(r.clock) time. OpenBLAS figures: data/peer-benchmarks.csv (peak \(peak)).")
    var table = TextTable(header: [
      "variant", "tile", "layout", "M", "N", "K", "split", "GFLOP/s", "÷ OpenBLAS peak",
      "÷ OpenBLAS same n",
    ])
    for row in r.rows {
      table.add([
        row.variant, row.tile, row.layout, "\(row.m)", "\(row.n)", "\(row.k)", row.split,
        String(format: "%.1f", row.gflops),
        row.ratioToPeak.map { String(format: "%.2f", $0) } ?? "—",
        row.ratioToSameSize.map { String(format: "%.2f", $0) } ?? "—",
      ])
    }
    print(table.render(), terminator: "")
    if output.explain {
      print(
        """

        GFLOP/s = 2·M·N·K / t / 10⁹, t = median over \(r.repeats) repeats of the time per call \
        (each repeat runs enough calls to last ≥ 0.05 s, after one untimed warm-up call).
        Before timing, each variant is checked against Matmul.naive (Double accumulation) on \
        odd shapes, every layout, accumulate on and off: |C − C_ref| ≤ (K + 2)·u·(|C₀| + \
        Σ|a||b|), u = 2⁻²⁴ (Higham 2002, §3.1, eq. 3.5).
        OpenBLAS: numpy 2.4.6 / OpenBLAS 0.3.31 SkylakeX kernel, square sgemm, median of 3 \
        (data/peer-benchmarks.csv); peak = best median over n.
        """)
    }
  }
}
