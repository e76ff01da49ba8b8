// `scaleplan plan` end to end with pairs and cluster windows: the unknown-option message is
// ArgumentParser's own (the request is checked after ArgumentParser's own checks), a conflict is
// one sentence with the command's usage lines and exit 64, `--json` carries the new figures and
// `--explain` prints their formulas with sources. Skipped, visibly, without the built binary.

import Foundation
import TestSupport
import Testing

private struct Ran {
  var stdout: String
  var stderr: String
  var status: Int32
  var firstLine: String { stderr.split(separator: "\n").first.map(String.init) ?? "" }
}

private func scaleplan(_ args: [String]) throws -> Ran {
  let r = try runBuiltScaleplan(args)
  return Ran(stdout: String(decoding: r.stdout, as: UTF8.self), stderr: r.stderr, status: r.status)
}

@Suite(
  "plan pairs and cluster windows end to end",
  .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not found beside the test bundle"))
struct PlanPairsCLITests {
  @Test(
    "An unknown option gets ArgumentParser's message, not the missing-input sentence",
    arguments: [
      (["plan", "--foo", "3"], "--foo"), (["plan", "--compute", "1e24", "--foo", "3"], "--foo"),
      (["plan", "--gpus", "512", "--dayz", "30", "--gpu", "h100"], "--dayz"),
    ])
  func unknownOption(_ args: [String], _ option: String) throws {
    let r = try scaleplan(args)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.firstLine.hasPrefix("Error: Unknown option '\(option)'"), "\(r.stderr)")
  }

  @Test("A conflict is one sentence with plan's usage lines and exit 64")
  func conflict() throws {
    let r = try scaleplan(["plan", "--compute", "1e24", "--params", "30B", "--tokens", "1T"])
    #expect(r.status == 64 && r.stdout.isEmpty)
    #expect(r.firstLine.hasPrefix("Error: --compute, --params and --tokens over-determine"), "\(r.stderr)")
    #expect(r.stderr.contains("Usage: scaleplan plan"), "\(r.stderr)")
    #expect(r.stderr.contains("See 'scaleplan plan --help'"), "\(r.stderr)")
  }

  @Test("--gpus 512 --days 30 --gpu h100 --json: compute = 512 × 989.4e12 × 0.4 × 2,592,000 s")
  func windowJSON() throws {
    let r = try scaleplan(["plan", "--gpus", "512", "--days", "30", "--gpu", "h100", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    // h100 bf16 dense peak 989.4 TFLOP/s (data/accelerators.csv), default MFU 0.40.
    let expected = 512 * 989.4e12 * 0.4 * 30 * 86_400
    #expect(isClose(o["compute_flops"] as? Double ?? 0, expected, rel: 1e-12))
    let w = try #require(o["cluster_window"] as? [String: Any])
    #expect(w["days"] as? Double == 30 && w["accelerators"] as? Int == 512)
    let h = try #require(o["hyperparameters"] as? [String: Any])
    #expect(isClose(h["learning_rate"] as? Double ?? 0, 0.3118 * pow(expected, -0.125), rel: 1e-12))
    #expect(isClose(h["batch_tokens"] as? Double ?? 0, 0.2920 * pow(expected, 0.3271), rel: 1e-12))
  }

  @Test("--compute 1e24 --params 30B --json: tokens = C/(6N), compute_optimal and loss_penalty")
  func pairJSON() throws {
    let r = try scaleplan(["plan", "--compute", "1e24", "--params", "30B", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(isClose(o["tokens"] as? Double ?? 0, 1e24 / 1.8e11, rel: 1e-12))
    let c = try #require(o["compute_optimal"] as? [String: Any])
    #expect((c["loss_penalty"] as? Double ?? -1) > 0)
  }

  @Test("--explain shows the pair, window and hyperparameter formulas with their sources")
  func explain() throws {
    let r = try scaleplan([
      "plan", "--gpus", "512", "--days", "30", "--gpu", "h100", "--params", "30B", "--explain",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    for text in [
      "formula: C = G × peak × MFU × T", "formula: D = C / (6·N)", "loss penalty",
      "formula: η_opt = 0.3118 · C^−0.1250", "formula: B_opt = 0.2920 · C^0.3271",
      "DeepSeek LLM (arXiv 2401.02954) §3.1", "Chowdhery et al. 2022",
    ] {
      #expect(r.stdout.contains(text), "missing \(text)")
    }
    #expect(r.stdout.contains("peak learning rate") && r.stdout.contains("batch size"))
    #expect(r.stdout.contains("warning: The learning rate and batch size extrapolate"))
  }

  @Test("--objective cost prints the cost objective and its formula on the method line")
  func objectiveCostMethod() throws {
    let r = try scaleplan([
      "plan", "--target-loss", "2.1", "--inference-tokens", "2T", "--objective", "cost", "--gpu",
      "h100",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let method = r.stdout.split(separator: "\n").first { $0.hasPrefix("method: ") } ?? ""
    #expect(method.contains("objective cost") && method.contains("c_tr/U_tr"), "\(method)")
  }
}
