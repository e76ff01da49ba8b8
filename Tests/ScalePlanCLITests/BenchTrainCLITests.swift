// End-to-end: `scaleplan bench train --json` reports the memory figures consistently (whole
// process and the training's own share, the accounted parts and the method sentence). Speed is
// not asserted; the run is kept short (config a, 0.3 s of timed steps).

import Foundation
import Testing
import TestSupport

@Suite(
  "bench train from the command line",
  .enabled(
    if: builtScaleplanBinary() != nil,
    "the scaleplan binary is not beside the test bundle; run swift build"))
struct BenchTrainCLITests {
  @Test func jsonReportsConsistentMemoryFigures() throws {
    let run = try runBuiltScaleplan([
      "bench", "train", "--config", "a", "--threads", "2", "--seconds", "0.3", "--json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let j = try #require(
      try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any],
      "\(String(decoding: run.stdout, as: UTF8.self))")
    let accounted = try #require(j["accounted_bytes"] as? Int)
    let parts = try [
      "accounted_params_bytes", "accounted_grads_bytes", "accounted_moments_bytes",
      "accounted_activations_bytes",
    ].map { try #require(j[$0] as? Int, "\($0)") }
    #expect(parts.reduce(0, +) == accounted)
    // Config a: 120,576 parameters (RESULTS.md §2), padded to 16 floats per tensor; two shard
    // gradient buffers and two moments, so grads = params bytes × 2 and moments = × 2.
    #expect(parts[0] >= 120_576 * 4 && parts[0] < 121_600 * 4)
    #expect(parts[1] == 2 * parts[0])
    #expect(parts[2] == 2 * parts[0])
    guard let peak = j["peak_rss_bytes"] as? Int else { return }  // no /proc: nothing more
    let before = try #require(j["rss_before_model_bytes"] as? Int)
    let own = try #require(j["training_peak_bytes"] as? Int)
    #expect(own == peak - before)
    #expect(before > 0 && own > 0)
    let ratio = try #require(j["training_memory_ratio"] as? Double)
    #expect(abs(ratio - Double(own) / Double(accounted)) < 1e-12)
    let whole = try #require(j["memory_ratio"] as? Double)
    #expect(abs(whole - Double(peak) / Double(accounted)) < 1e-12)
    // The model's buffers are zero-filled on allocation, so they are resident: the training's
    // own peak is at least the accounted bytes (minus page rounding).
    #expect(own >= accounted - 1 << 20, "own \(own), accounted \(accounted)")
    let method = try #require(j["memory_method"] as? String)
    #expect(method.contains("VmHWM") && method.contains("VmRSS"))
  }
}
