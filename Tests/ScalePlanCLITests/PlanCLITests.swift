// End-to-end tests of `plan`, `loss` and `cost train`: run the built `scaleplan` binary (found
// beside the test bundle in .build/<config>/) and check stdout, the one-sentence stderr and the
// exit code. Skipped, visibly, when the binary is not there.

import Foundation
import TestSupport
import Testing

/// The built executable next to the test bundle, if present.
private func scaleplanBinary() -> URL? { builtScaleplanBinary() }

private struct RunResult {
  var stdout: String
  var stderr: String
  var status: Int32
  /// stderr's first line (the error sentence; usage text may follow for flag errors).
  var sentence: String { stderr.split(separator: "\n").first.map(String.init) ?? "" }
}

private func run(_ args: [String]) throws -> RunResult {
  guard let bin = scaleplanBinary() else { throw CocoaError(.fileNoSuchFile) }
  let p = Process()
  p.executableURL = bin
  p.arguments = args
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return RunResult(
    stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
    status: p.terminationStatus)
}

private func json(_ r: RunResult) throws -> Any {
  try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

@Suite(
  "plan / loss / cost train end to end",
  .enabled(if: scaleplanBinary() != nil, "scaleplan binary not found beside the test bundle"))
struct PlanCLITests {
  @Test("plan --compute 5.76e23 --law hoffmann2022 --json: N* ≈ 3.22e10, D* ≈ 2.98e12 (0.5%)")
  func planJSON() throws {
    let r = try run(["plan", "--compute", "5.76e23", "--law", "hoffmann2022", "--json"])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
    let o = try #require(try json(r) as? [String: Any])
    for key in ["law", "compute_flops", "params", "tokens", "tokens_per_param", "loss"] {
      #expect(o[key] != nil, "missing \(key)")
    }
    #expect(isClose(o["params"] as? Double ?? 0, 3.22e10, rel: 0.005))
    #expect(isClose(o["tokens"] as? Double ?? 0, 2.98e12, rel: 0.005))
  }

  @Test("Default law is epoch2024 with params_interval/tokens_interval; output is deterministic")
  func defaultLawAndIntervals() throws {
    let a = try run(["plan", "--compute", "5.76e23", "--json"])
    let b = try run(["plan", "--compute", "5.76e23", "--json"])
    #expect(a.status == 0 && a.stdout == b.stdout)
    let o = try #require(try json(a) as? [String: Any])
    #expect(o["law"] as? String == "epoch2024")
    let ni = try #require(o["params_interval"] as? [Double])
    let n = try #require(o["params"] as? Double)
    #expect(ni.count == 2 && ni[0] < n && n < ni[1])
    #expect((o["tokens_interval"] as? [Double])?.count == 2)
    #expect(isClose(n, 7.2e10, rel: 0.01))
  }

  @Test("--all-laws --json is an array over every preset; allocation-only laws have loss null")
  func allLaws() throws {
    let r = try run(["plan", "--compute", "1e24", "--all-laws", "--json"])
    #expect(r.status == 0)
    let rows = try #require(try json(r) as? [[String: Any]])
    let laws = rows.compactMap { $0["law"] as? String }
    #expect(laws.contains("kaplan2020") && laws.contains("hoffmann2022-approach1"))
    let a1 = try #require(rows.first { $0["law"] as? String == "hoffmann2022-approach1" })
    #expect(a1["loss"] is NSNull)
    let table = try run(["plan", "--compute", "1e24", "--all-laws"])
    #expect(table.stdout.contains("Why they disagree"))
    #expect(table.stdout.contains("20 tokens/param"))
  }

  @Test("--budget with --gpu gives cost_usd equal to the budget and accelerator_hours")
  func budget() throws {
    let r = try run(["plan", "--budget", "$10M", "--gpu", "h100", "--price", "2", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try #require(try json(r) as? [String: Any])
    #expect(isClose(o["cost_usd"] as? Double ?? 0, 1e7, rel: 1e-9))
    #expect(isClose(o["accelerator_hours"] as? Double ?? 0, 5e6, rel: 1e-9))
    // C = 5e6 h × 3600 × 989.4e12 × 0.40 (default MFU).
    #expect(isClose(o["compute_flops"] as? Double ?? 0, 5e6 * 3600 * 989.4e12 * 0.4, rel: 1e-9))
  }

  @Test("--explain prints formulas with inputs and sources")
  func explain() throws {
    let r = try run(["plan", "--params", "7B", "--law", "hoffmann2022", "--explain"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("formula:") && r.stdout.contains("Hoffmann"))
  }

  @Test("loss: Chinchilla below GPT-3 under every Chinchilla-family law; catalog models by name")
  func loss() throws {
    let r = try run([
      "loss", "--params", "70B", "--tokens", "1.4T", "--vs", "175B:300B", "--all-laws", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try #require(try json(r) as? [[String: Any]])
    for law in ["hoffmann2022", "hoffmann2022-tex", "epoch2024", "sardana2024"] {
      let chin = rows.first { $0["law"] as? String == law && $0["model"] as? String == "70B:1.4T" }
      let gpt3 = rows.first { $0["law"] as? String == law && $0["model"] as? String == "175B:300B" }
      let lc = try #require(chin?["loss"] as? Double)
      let lg = try #require(gpt3?["loss"] as? Double)
      #expect(lc < lg, "\(law): \(lc) vs \(lg)")
    }
    let one = try run(["loss", "--model", "chinchilla", "--law", "hoffmann2022", "--json"])
    let o = try #require(try json(one) as? [String: Any])
    #expect(abs((o["loss"] as? Double ?? 0) - 1.937) < 0.0006)
  }

  @Test("cost train GPT-3: $4.6–4.7M and ≈ 355 GPU-years; doubling --price doubles cost_usd")
  func costTrain() throws {
    let base = [
      "cost", "train", "--params", "175B", "--tokens", "300B", "--gpu", "v100", "--mfu", "0.224",
      "--json",
    ]
    let r = try run(base + ["--price", "1.5"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try #require(try json(r) as? [String: Any])
    for key in [
      "flops", "accelerator_hours", "wall_clock_days", "cost_usd", "energy_kwh", "co2_kg",
      "memory_bytes", "min_accelerators",
    ] {
      #expect(o.keys.contains(key), "missing \(key)")
    }
    let usd = try #require(o["cost_usd"] as? Double)
    #expect(usd > 4.6e6 && usd < 4.7e6, "\(usd)")
    // 6ND = 3.15e23 (vs 3.14e23 reported): 356 years, within 0.5% of 355.
    #expect(isClose((o["accelerator_hours"] as? Double ?? 0) / 8766, 355.4, rel: 0.005))
    let doubled = try #require(try json(try run(base + ["--price", "3"])) as? [String: Any])
    #expect(isClose(doubled["cost_usd"] as? Double ?? 0, 2 * usd, rel: 1e-12))
  }

  @Test("cost train --model gpt3 uses the reported 3.14e23 FLOPs: 355 GPU-years, $4.67M (0.5%)")
  func costTrainModel() throws {
    let r = try run([
      "cost", "train", "--model", "gpt3", "--gpu", "v100", "--mfu", "0.224", "--price", "1.5",
      "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try #require(try json(r) as? [String: Any])
    #expect(isClose((o["accelerator_hours"] as? Double ?? 0) / 8766, 355.4, rel: 0.005))
    #expect(isClose(o["cost_usd"] as? Double ?? 0, 4.67e6, rel: 0.005))
  }

  struct BadCase: Sendable, CustomStringConvertible {
    let args: [String]
    let fragment: String
    var description: String { args.joined(separator: " ") }
  }

  static let badCases: [BadCase] = [
    BadCase(args: ["plan", "--compute=-5"], fragment: "greater than zero"),
    BadCase(args: ["plan", "--compute", "0"], fragment: "greater than zero"),
    BadCase(args: ["plan", "--compute", "nan"], fragment: "not a number"),
    BadCase(args: ["plan", "--compute", "inf"], fragment: "not a number"),
    BadCase(args: ["plan", "--params", "70X"], fragment: "not a number"),
    BadCase(
      args: ["plan", "--compute", "1e24", "--budget", "$1M", "--gpu", "h100"],
      fragment: "contradict"),
    BadCase(
      args: ["plan", "--compute", "1e24", "--law", "nope"], fragment: "hoffmann2022 (chinchilla)"),
    BadCase(
      args: ["plan", "--budget", "$1M", "--gpu", "tpu9"], fragment: "Unknown accelerator 'tpu9'"),
    BadCase(
      args: ["plan", "--target-loss", "1.5", "--law", "hoffmann2022"], fragment: "irreducible"),
    BadCase(
      args: ["plan", "--target-loss", "2", "--law", "hoffmann2022-approach1"], fragment: "no loss"),
    BadCase(args: ["loss", "--model", "gpt5"], fragment: "Unknown model 'gpt5'"),
    BadCase(
      args: ["cost", "train", "--flops", "1e23", "--gpu", "h100", "--mfu", "1.5"], fragment: "--mfu"
    ),
  ]

  @Test("Bad input: one sentence on stderr, non-zero exit", arguments: badCases)
  func badInput(_ c: BadCase) throws {
    let r = try run(c.args)
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty)
    #expect(r.sentence.hasPrefix("Error: ") && r.sentence.hasSuffix("."), "\(r.stderr)")
    #expect(r.sentence.contains(c.fragment), "\(r.sentence)")
  }

  @Test("A broken --catalog laws.csv is reported as file:line:column")
  func brokenCatalog() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scaleplan-laws-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "id,aliases,kind\nx,,parametric,extra\n".write(
      to: dir.appendingPathComponent("laws.csv"), atomically: true, encoding: .utf8)
    let r = try run(["plan", "--compute", "1e24", "--catalog", dir.path])
    #expect(r.status != 0)
    #expect(r.sentence.contains("laws.csv:2:1:"), "\(r.stderr)")
  }
}
