// `bench gemm` as a use case: check every SGEMM build this CPU can run against the naive product
// (|C − C_ref| ≤ (K + 2)·u·(|C₀| + Σ|a||b|), u = 2⁻²⁴; Higham 2002, §3.1, eq. 3.5), then time
// square and M×N×K products in the layouts MiniGPT uses, GFLOP/s = 2·M·N·K / t / 10⁹, and
// compare with numpy/OpenBLAS sgemm on this machine kind (data/peer-benchmarks.csv, `gemm` rows).

import Foundation
import MiniGPT

/// An SGEMM benchmark.
public struct BenchGemmRequest: Codable, Sendable, Equatable {
  /// Threads per product, 1 or 2 (default 1).
  public var threads: Int?
  /// Square sizes n (n×n×n) (default 64, 128, 256, 512, 1024).
  public var sizes: [Int]?
  /// Extra shapes (M, N, K), each as three numbers.
  public var shapes: [[Int]]?
  /// Layouts NN, NT, TN, TT (default NN, NT, TN).
  public var layouts: [String]?
  /// Variants (default: all this CPU runs).
  public var variants: [String]?
  /// Timed repeats per case; the median is reported (default 5).
  public var repeats: Int?
  /// Time with process CPU time instead of wall time.
  public var cpuTime: Bool?

  enum CodingKeys: String, CodingKey {
    case threads, sizes, shapes, layouts, variants, repeats
    case cpuTime = "cpu_time"
  }

  /// Creates a request; nil fields take the defaults.
  public init(
    threads: Int? = nil, sizes: [Int]? = nil, shapes: [[Int]]? = nil, layouts: [String]? = nil,
    variants: [String]? = nil, repeats: Int? = nil, cpuTime: Bool? = nil
  ) {
    self.threads = threads
    self.sizes = sizes
    self.shapes = shapes
    self.layouts = layouts
    self.variants = variants
    self.repeats = repeats
    self.cpuTime = cpuTime
  }

  /// The defaults.
  public enum Defaults {
    public static let threads = 1
    public static let sizes = [64, 128, 256, 512, 1024]
    public static let layouts = ["NN", "NT", "TN"]
    public static let repeats = 5
  }

  /// The products to time, sizes first.
  /// - Throws: `RequestError.invalid` for a size outside 1…8192 or a shape outside 1…65536 a
  ///   side (2³⁶ multiply-adds at most).
  func productShapes() throws -> [(m: Int, n: Int, k: Int)] {
    var out: [(Int, Int, Int)] = []
    for n in sizes ?? Defaults.sizes {
      guard n >= 1, n <= 8192 else {
        throw RequestError.invalid("Size \(n) is not from 1 to 8192; write e.g. --sizes 64,512.")
      }
      out.append((n, n, n))
    }
    for d in shapes ?? [] {
      guard d.count == 3, d.allSatisfy({ $0 >= 1 && $0 <= 65536 }),
        d[0].multipliedReportingOverflow(by: d[1]).partialValue
          .multipliedReportingOverflow(by: d[2]).partialValue <= 1 << 36
      else {
        throw RequestError.invalid(
          "Shape \(d.map(String.init).joined(separator: "x")) is not MxNxK with sides from 1 to "
            + "65536 and at most 2^36 products; write e.g. 4096x768x256.")
      }
      out.append((d[0], d[1], d[2]))
    }
    return out
  }

  /// The layouts.
  /// - Throws: `RequestError.invalid` for an unknown layout.
  func matmulLayouts() throws -> [MatmulLayout] {
    try (layouts ?? Defaults.layouts).map { s in
      guard let l = MatmulLayout(rawValue: s.uppercased()) else {
        throw RequestError.invalid("Layout '\(s)' is not one of NN, NT, TN, TT.")
      }
      return l
    }
  }

  /// The variants, or every one this CPU runs.
  /// - Throws: `RequestError.invalid` for an unknown variant or one this CPU cannot run.
  func gemmVariants() throws -> [GemmVariant] {
    guard let variants, !variants.isEmpty else { return Matmul.availableVariants }
    return try variants.map { s in
      guard let v = GemmVariant(rawValue: s.lowercased()) else {
        throw RequestError.invalid(
          "Variant '\(s)' is not one of "
            + GemmVariant.allCases.map(\.rawValue).joined(separator: ", ") + ".")
      }
      guard Matmul.availableVariants.contains(v) else {
        throw RequestError.invalid("This CPU cannot run the '\(s)' variant; drop it from --variants.")
      }
      return v
    }
  }

  /// Checks the request.
  /// - Throws: `RequestError.invalid` with one sentence.
  public func validate() throws {
    let t = threads ?? Defaults.threads
    guard t == 1 || t == 2 else {
      throw RequestError.invalid("--threads \(t) is not supported; use 1 or 2.")
    }
    guard (repeats ?? Defaults.repeats) >= 1, (repeats ?? Defaults.repeats) <= 1000 else {
      throw RequestError.invalid("--repeats must be from 1 to 1000.")
    }
    _ = try productShapes()
    _ = try matmulLayouts()
    _ = try gemmVariants()
  }
}

/// The SGEMM timings and their ratios to the peer.
public struct BenchGemmResult: Codable, Sendable, Equatable {
  /// One timed case.
  public struct Row: Codable, Sendable, Equatable {
    public var variant: String
    public var threads: Int
    public var m: Int
    public var n: Int
    public var k: Int
    public var layout: String
    /// 2·M·N·K / t / 10⁹, rounded to 0.1.
    public var gflops: Double
    /// The register tile, e.g. "8×16".
    public var tile: String
    /// How the product is split across threads.
    public var split: String
    /// gflops ÷ OpenBLAS's peak at this thread count.
    public var ratioToPeak: Double?
    /// gflops ÷ OpenBLAS at the same square n, when measured.
    public var ratioToSameSize: Double?

    enum CodingKeys: String, CodingKey {
      case variant, threads, m, n, k, layout, gflops, tile, split
      case ratioToPeak = "ratio_to_openblas_peak"
      case ratioToSameSize = "ratio_to_openblas_same_n"
    }
  }

  public var rows: [Row]
  /// The variant this CPU runs by default.
  public var defaultVariant: String
  public var repeats: Int
  /// "CPU" or "wall".
  public var clock: String
  /// OpenBLAS's best median over n at this thread count (data/peer-benchmarks.csv `gemm,peak`).
  public var openBLASPeak: Double?
  /// The variants checked against the naive product before timing.
  public var checked: [String]

  enum CodingKeys: String, CodingKey {
    case rows, repeats, clock, checked
    case defaultVariant = "default_variant"
    case openBLASPeak = "openblas_peak"
  }
}

extension Engine {
  /// Checks, then times the SGEMM kernels. `log` receives one line per checked variant.
  /// - Throws: `RequestError` for a bad request, `BenchError` when a kernel fails its check or
  ///   the timed products are not finite, `CatalogError` for a malformed peer file.
  public func benchGemm(_ request: BenchGemmRequest, log: (String) -> Void = { _ in }) throws
    -> BenchGemmResult
  {
    try request.validate()
    let d = BenchGemmRequest.Defaults.self
    let threads = request.threads ?? d.threads
    let repeats = request.repeats ?? d.repeats
    let cpuTime = request.cpuTime ?? false
    let shapes = try request.productShapes()
    let layouts = try request.matmulLayouts()
    let variants = try request.gemmVariants()
    let peers = try peerBenchmarks()
    // Correctness first: odd shapes (edge tiles, several K blocks) and one product large enough
    // to run on two threads, each layout, accumulate on and off.
    let checks = [(1, 1, 1), (67, 45, 93), (5, 300, 7), (301, 513, 129), (130, 70, 1100)]
    for v in variants {
      for l in layouts {
        for (m, n, k) in checks {
          for acc in [false, true] {
            let r = MatmulBenchmark.errorRatio(
              variant: v, layout: l, M: m, N: n, K: k, accumulate: acc, threads: threads)
            guard r <= 1 else {
              throw BenchError(
                "The \(v.rawValue) SGEMM is wrong on \(l.rawValue) \(m)×\(n)×\(k) "
                  + "(error \(r) × the Float32 bound); not timing it.")
            }
          }
        }
      }
      log("checked \(v.rawValue): all layouts agree with the naive product")
    }
    let peak = peers.figure("gemm", "peak", threads: threads, metric: "gflops")?.value
    var rows: [BenchGemmResult.Row] = []
    var checksum = 0.0
    for v in variants {
      for (m, n, k) in shapes {
        for l in layouts {
          let t = MatmulBenchmark.time(
            variant: v, layout: l, M: m, N: n, K: k, threads: threads, repeats: repeats,
            cpuTime: cpuTime)
          checksum += t.checksum
          let gflops = (2.0 * Double(m) * Double(n) * Double(k) / t.seconds / 1e9 * 10).rounded()
            / 10
          let same =
            m == n && n == k
            ? peers.figure("gemm", "\(m)", threads: threads, metric: "gflops")?.value : nil
          let tile = Matmul.microTile(v)
          rows.append(
            .init(
              variant: v.rawValue, threads: threads, m: m, n: n, k: k, layout: l.rawValue,
              gflops: gflops, tile: "\(tile.rows)×\(tile.columns)",
              split: Matmul.threadSplit(
                variant: v, transA: l.transA, M: m, N: n, K: k, threads: threads),
              ratioToPeak: peak.map { gflops / $0 }, ratioToSameSize: same.map { gflops / $0 }))
        }
      }
    }
    guard checksum.isFinite, rows.allSatisfy({ $0.gflops.isFinite }) else {
      throw BenchError("The timed products produced a non-finite checksum or rate.")
    }
    return BenchGemmResult(
      rows: rows, defaultVariant: Matmul.variant.rawValue, repeats: repeats,
      clock: cpuTime ? "CPU" : "wall", openBLASPeak: peak, checked: variants.map(\.rawValue))
  }
}
