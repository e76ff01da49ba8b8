// `--explain` on the training commands, through the built binary: `train` and `sweep plan`
// explain N, F_K, steps, D, C and the learning rate, and the explained values are recomputed here
// from the model's shape (independently of the code that printed them) and compared with the
// command's own JSON; commands that only show stored values refuse the flag.

import Foundation
import Lab
import TestSupport
import Testing

private func object(_ r: CLIRun) throws -> Any { try JSONSerialization.jsonObject(with: r.stdout) }

/// The explained steps of a JSON object's `explanation`, by quantity.
private func steps(_ o: [String: Any]) throws -> [String: String] {
  let e = try #require(o["explanation"] as? [String: Any])
  let list = try #require(e["steps"] as? [[String: Any]])
  var out: [String: String] = [:]
  for s in list {
    if let q = s["quantity"] as? String, let r = s["result"] as? String { out[q] = r }
  }
  return out
}

@Suite(
  "--explain on train and sweep",
  .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not found beside the test bundle"))
struct ExplainCLITests {
  @Test("train --explain --json: N, F_K, steps, D and C as the run stored them")
  func train() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scaleplan-explain-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try runBuiltScaleplan([
      "train", "--layers", "1", "--d-model", "16", "--heads", "1", "--tokens", "5000",
      "--eval-windows", "4", "--threads", "1", "--db", dir.appendingPathComponent("r.sqlite").path,
      "--json", "--explain",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try #require(try object(r) as? [String: Any])
    let s = try steps(o)
    // By hand: 1×16 has N = 12·256 + 13·16 + 2·16 = 3,312; F_K = 6·3,312 + 6·64·16 = 26,016;
    // 5,000 tokens is ⌊5,000 / 2,048⌋ = 2 steps = 4,096 tokens; C = 26,016·4,096 = 106,561,536.
    #expect(s["N (non-embedding parameters)"] == "3312")
    #expect(o["non_embedding_params"] as? Double == 3_312)
    #expect(s["F_K (training FLOPs per token)"] == "26016")
    #expect(s["steps"] == "2")
    #expect(s["D (training tokens)"] == "4096")
    #expect(o["tokens_trained"] as? Double == 4_096)
    #expect(s["C (training FLOPs)"] == "1.0656e8")
    #expect(o["flops"] as? Double == 106_561_536)
    // Below the scanned sizes the rate is held at the smallest scanned size's.
    let held = LearningRateTable.scanLaw(params: LearningRateTable.scanRange.smallest)
    #expect(abs((o["learning_rate"] as? Double ?? 0) / held - 1) < 1e-12)
    #expect(s["peak learning rate"] == "3.6e-2")
  }

  @Test("sweep plan --explain: every row of the quick preset is derived as its JSON says")
  func sweepPlan() throws {
    let text = try runBuiltScaleplan(["sweep", "plan", "--preset", "quick", "--explain"])
    #expect(text.status == 0, "\(text.stderr)")
    let out = String(decoding: text.stdout, as: UTF8.self)
    #expect(out.contains("How each row is derived, shown for slot 0"))
    #expect(out.contains("lr = c·(N′ / 30,000)^−p"))
    #expect(out.contains("steps = round(C / (F_K·B·T))"))

    let r = try runBuiltScaleplan(["sweep", "plan", "--preset", "quick", "--explain", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try #require(try object(r) as? [[String: Any]])
    #expect(rows.count == 6)
    for row in rows {
      let s = try steps(row)
      let layers = try #require(row["layers"] as? Int)
      let d = try #require(row["d_model"] as? Int)
      let n = layers * (12 * d * d + 13 * d) + 2 * d
      let fk = 6 * n + 6 * layers * 64 * d
      let budget = try #require(row["budget"] as? Double)
      let steps = Int((budget / Double(fk * 2_048)).rounded())
      #expect(s["N (non-embedding parameters)"] == "\(n)")
      #expect(s["F_K (training FLOPs per token)"] == "\(fk)")
      #expect(s["steps"] == "\(steps)" && row["steps"] as? Int == steps)
      #expect(s["D (training tokens)"] == "\(steps * 2_048)")
      #expect(s["trained?"] == "yes")
    }
  }

  @Test("--explain is refused with --emit, and by commands that only show stored values")
  func refused() throws {
    let emit = try runBuiltScaleplan(["sweep", "plan", "--preset", "quick", "--emit", "csv", "--explain"])
    #expect(emit.status != 0)
    #expect(emit.stderr.contains("--explain cannot be combined with --emit"))
    for args in [["catalog", "list"], ["runs", "list"], ["sweep", "list"], ["notebook", "--all"]] {
      let r = try runBuiltScaleplan(args + ["--explain"])
      #expect(r.status != 0, "\(args)")
      #expect(r.stderr.contains("Unknown option '--explain'"), "\(args): \(r.stderr)")
    }
  }
}
