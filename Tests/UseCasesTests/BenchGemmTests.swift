// bench gemm as a use case: the request's bounds, and a tiny timed run whose ratios are the
// peer figures of data/peer-benchmarks.csv divided into the measured rate (not a timing test:
// nothing asserts a speed).

import Foundation
import Testing
import UseCases

@Suite("bench gemm use case")
struct BenchGemmTests {
  @Test("bad requests get one sentence each", arguments: [
    BenchGemmRequest(threads: 3), BenchGemmRequest(sizes: [0]), BenchGemmRequest(sizes: [9000]),
    BenchGemmRequest(shapes: [[4, 4]]), BenchGemmRequest(shapes: [[65536, 65536, 65536]]),
    BenchGemmRequest(layouts: ["XY"]), BenchGemmRequest(variants: ["sse9"]),
    BenchGemmRequest(repeats: 0),
  ])
  func refused(_ r: BenchGemmRequest) {
    #expect(throws: RequestError.self) { try r.validate() }
  }

  @Test("a checked, timed 64³ product; ratios are rate ÷ the peer's figures")
  func tiny() throws {
    let engine = Engine()
    var logged: [String] = []
    let r = try engine.benchGemm(
      BenchGemmRequest(sizes: [64], layouts: ["NN"], repeats: 1)) { logged.append($0) }
    #expect(!r.rows.isEmpty && logged.count == r.checked.count)
    let peers = try engine.peerBenchmarks()
    let peak = try #require(peers.figure("gemm", "peak", threads: 1, metric: "gflops")?.value)
    let same = try #require(peers.figure("gemm", "64", threads: 1, metric: "gflops")?.value)
    // data/peer-benchmarks.csv: numpy/OpenBLAS best median 158.4 GFLOP/s, 123.1 at n = 64.
    #expect(peak == 158.4 && same == 123.1)
    #expect(r.openBLASPeak == peak)
    for row in r.rows {
      #expect(row.m == 64 && row.layout == "NN" && row.gflops > 0 && row.gflops.isFinite)
      #expect(row.ratioToPeak == row.gflops / peak)
      #expect(row.ratioToSameSize == row.gflops / same)
    }
  }
}
