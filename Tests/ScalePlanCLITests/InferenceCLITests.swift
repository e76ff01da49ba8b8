// End-to-end: run the built `scaleplan` binary (next to the test bundle) for `cost infer`,
// `cost finetune` and inference-aware `plan`; check stdout/JSON, the one-sentence stderr and
// the exit code. Skips visibly when the binary is not there (e.g. `swift test` before a build).

import Foundation
import TestSupport
import Testing

enum InferenceCLI {
  /// `scaleplan` beside the test bundle (the directory of CommandLine.arguments[0]).
  static let binary: URL? = builtScaleplanBinary()

  struct Result {
    var stdout: String
    var stderr: String
    var status: Int32
    /// stdout parsed as a JSON object (empty when it is not one).
    var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
    }
  }

  static func run(_ args: [String]) throws -> Result {
    let p = Process()
    p.executableURL = try #require(binary)
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
      status: p.terminationStatus)
  }

  static func number(_ json: [String: Any], _ key: String) -> Double? {
    (json[key] as? NSNumber)?.doubleValue
  }

  /// True when the built `plan` command has the inference-aware options wired in.
  static var planHasInferenceTokens: Bool {
    guard binary != nil, let r = try? run(["plan", "--help"]) else { return false }
    return r.stdout.contains("--inference-tokens")
  }
}

@Suite(
  "Inference CLI (end to end)",
  .enabled(
    if: InferenceCLI.binary != nil,
    "scaleplan binary not found next to the test bundle; run `swift build` first"))
struct InferenceCLITests {
  @Test("cost infer: 175B fits one 80 GB A100 at 3 bits, five at 16 bits; GPTQ quality shown")
  func gptq() throws {
    let r = try InferenceCLI.run(
      ["cost", "infer", "--params", "175B", "--precision", "int3", "--gpu", "a100-80gb", "--json"])
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty)
    let j = r.json
    #expect(InferenceCLI.number(j, "weights_bytes") == 65.625e9)
    #expect(InferenceCLI.number(j, "accelerators_to_hold") == 1)
    #expect(j["kv_cache_bytes_per_token"] is NSNull)
    let quality = j["quality"] as? [[String: Any]] ?? []
    #expect(
      quality.contains {
        ($0["method"] as? String) == "gptq" && ($0["value"] as? NSNumber)?.doubleValue == 8.68
      })
    let fp16 = try InferenceCLI.run(
      ["cost", "infer", "--params", "175B", "--precision", "fp16", "--gpu", "a100-80gb", "--json"])
    #expect(InferenceCLI.number(fp16.json, "accelerators_to_hold") == 5)
    let table = try InferenceCLI.run(
      ["cost", "infer", "--params", "175B", "--precision", "int3", "--gpu", "a100-80gb"])
    #expect(table.stdout.contains("fits on one: yes"))
    #expect(table.stdout.contains("gptq 3-bit 8.68"))
  }

  @Test("cost infer: the issue's Llama 2 70B example has every JSON key and consistent money")
  func llama70Example() throws {
    let r = try InferenceCLI.run([
      "cost", "infer", "--model", "llama2-70b", "--precision", "int4", "--gpu", "h100",
      "--prompt", "500", "--output", "200", "--batch", "32", "--queries-per-day", "1e9",
      "--price", "2.5", "--json",
    ])
    #expect(r.status == 0)
    let j = r.json
    for key in [
      "weights_bytes", "kv_cache_bytes_per_token", "accelerators_to_hold",
      "prefill_flops_per_token", "decode_ms_per_token", "tokens_per_second",
      "usd_per_million_tokens", "usd_per_query", "usd_per_year", "energy_wh_per_query",
    ] {
      #expect(InferenceCLI.number(j, key) != nil, "missing \(key)")
    }
    #expect(isClose(InferenceCLI.number(j, "kv_cache_bytes_per_token") ?? 0, 327_680, rel: 1e-12))
    #expect(isClose(InferenceCLI.number(j, "weights_bytes") ?? 0, 35e9, rel: 1e-12))
    let perQuery = try #require(InferenceCLI.number(j, "usd_per_query"))
    let year = try #require(InferenceCLI.number(j, "usd_per_year"))
    #expect(isClose(year, perQuery * 1e9 * 365, rel: 1e-9))
  }

  @Test("cost infer reproduces Morgan Stanley's $6B per year from a given $ per query")
  func morganStanley() throws {
    let r = try InferenceCLI.run([
      "cost", "infer", "--queries-per-year", "3.3T", "--share", "0.5", "--usd-per-query",
      "0.00364", "--json",
    ])
    #expect(r.status == 0)
    let year = try #require(InferenceCLI.number(r.json, "usd_per_year"))
    #expect(isClose(year, 6.0e9, rel: 0.005), Comment(rawValue: closeness(year, 6e9)))
  }

  @Test("cost finetune: 65B QLoRA fits one A6000 (< 48 GB); full 16-bit needs > 780 GB")
  func finetune() throws {
    let q = try InferenceCLI.run(
      ["cost", "finetune", "--params", "65B", "--method", "qlora", "--gpu", "a6000", "--json"])
    #expect(q.status == 0)
    #expect(q.json["method"] as? String == "qlora")
    #expect(q.json["fits_on_one"] as? Bool == true)
    #expect(InferenceCLI.number(q.json, "accelerators_needed") == 1)
    #expect((InferenceCLI.number(q.json, "memory_bytes") ?? .infinity) < 48e9)
    let f = try InferenceCLI.run(
      ["cost", "finetune", "--params", "65B", "--method", "full", "--gpu", "a100", "--json"])
    #expect((InferenceCLI.number(f.json, "memory_bytes") ?? 0) > 780e9)
    #expect(f.json["fits_on_one"] as? Bool == false)
  }

  @Test(
    "Bad input: one sentence on stderr, nothing on stdout, non-zero exit",
    arguments: [
      ["cost", "infer", "--params", "7B", "--gpu", "h100", "--batch", "0"],
      ["cost", "infer", "--params", "7B", "--gpu", "h100", "--output=-5"],
      ["cost", "infer", "--params", "7B", "--gpu", "h100", "--precision", "int2"],
      ["cost", "infer", "--params", "175B", "--gpu", "a100", "--accelerators", "1"],
      ["cost", "infer", "--params", "7B", "--gpu", "nosuchgpu"],
      [
        "cost", "finetune", "--params", "65B", "--method", "full", "--gpu", "h100",
        "--accelerators", "2",
      ],
    ])
  func badInput(_ args: [String]) throws {
    let r = try InferenceCLI.run(args)
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty)
    let lines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
    #expect(lines.count == 1, "stderr: \(r.stderr)")
    #expect(lines.first?.hasPrefix("Error: ") == true)
  }

  @Test(
    "plan --inference-tokens: smaller model, more tokens, fewer FLOPs than Chinchilla-optimal",
    .enabled(
      if: InferenceCLI.planHasInferenceTokens, "plan has no --inference-tokens in this build"))
  func plan() throws {
    let r = try InferenceCLI.run(
      ["plan", "--target-loss", "2.1", "--inference-tokens", "2T", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = r.json
    let chin = j["chinchilla_optimal"] as? [String: Any] ?? [:]
    let n = try #require(InferenceCLI.number(j, "params"))
    let d = try #require(InferenceCLI.number(j, "tokens"))
    #expect(n < (InferenceCLI.number(chin, "params") ?? 0))
    #expect(d > (InferenceCLI.number(chin, "tokens") ?? .infinity))
    let total = try #require(InferenceCLI.number(j, "total_flops"))
    #expect(total < (InferenceCLI.number(chin, "total_flops") ?? 0))
    #expect(isClose(total, 6 * n * d + 2 * n * 2e12, rel: 1e-9))
    let cost = try InferenceCLI.run([
      "plan", "--target-loss", "2.1", "--inference-tokens", "2T", "--objective", "cost", "--gpu",
      "h100", "--json",
    ])
    #expect(cost.status == 0, "\(cost.stderr)")
    #expect(InferenceCLI.number(cost.json, "total_cost_usd") != nil)
  }

  @Test("Same inputs give byte-identical JSON and tables")
  func deterministic() throws {
    let args = [
      "cost", "infer", "--model", "llama3.1-8b", "--gpu", "h100", "--batch", "64", "--json",
    ]
    let a = try InferenceCLI.run(args)
    let b = try InferenceCLI.run(args)
    #expect(a.status == 0)
    #expect(a.stdout == b.stdout)
    let f1 = try InferenceCLI.run(["cost", "finetune", "--params", "7B", "--method", "lora"])
    let f2 = try InferenceCLI.run(["cost", "finetune", "--params", "7B", "--method", "lora"])
    #expect(f1.stdout == f2.stdout)
    #expect(f1.stdout.contains("trainable parameters"))
  }

  @Test(
    "plan --inference-tokens rejects a loss at or below E and an unknown objective",
    .enabled(
      if: InferenceCLI.planHasInferenceTokens, "plan has no --inference-tokens in this build"))
  func planBadInput() throws {
    let low = try InferenceCLI.run(
      ["plan", "--target-loss", "1.2", "--inference-tokens", "2T", "--law", "hoffmann2022"])
    #expect(low.status != 0)
    #expect(low.stdout.isEmpty)
    #expect(low.stderr.contains("irreducible loss"))
    let obj = try InferenceCLI.run(
      ["plan", "--target-loss", "2.1", "--inference-tokens", "2T", "--objective", "speed"])
    #expect(obj.status != 0)
    #expect(obj.stderr.hasPrefix("Error: Unknown --objective 'speed'"))
  }
}
