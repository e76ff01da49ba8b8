// End-to-end: run the built `scaleplan` binary (next to the test bundle) for `project` and
// `runway`, check JSON keys and values, byte-identical reruns, and one-sentence errors.

import Foundation
import Testing
import TestSupport

/// The built binary beside the test bundle, if present.
private func binary() -> URL? { builtScaleplanBinary() }

private struct Run {
  var status: Int32
  var stdout: String
  var stderr: String
}

private func run(_ args: [String]) throws -> Run {
  let p = Process()
  p.executableURL = try #require(binary())
  p.arguments = args
  let out = Pipe(), err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return Run(
    status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
    stderr: String(decoding: e, as: UTF8.self))
}

private func json(_ r: Run) throws -> [String: Any] {
  try #require(
    try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
}

@Suite(
  "project and runway from the command line",
  .enabled(if: binary() != nil, "the scaleplan binary is not beside the test bundle; run swift build"))
struct ProjectionCLITests {
  @Test("project --json has the issue's keys, and the seed's $1B-by-2026 arithmetic")
  func projectSeed() throws {
    let r = try run([
      "project", "--json", "--start-cost", "$100M", "--start-year", "2023", "--doubling-months",
      "10", "--year", "2026", "--cross", "$1B",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try json(r)
    for k in [
      "year", "frontier_compute_flops", "frontier_compute_flops_p10", "frontier_compute_flops_p90",
      "frontier_cost_usd", "frontier_cost_usd_p10", "frontier_cost_usd_p90", "crossing_year",
      "crossing_year_p10", "crossing_year_p90", "series",
    ] {
      #expect(j[k] != nil, "missing \(k)")
    }
    let crossing = try #require(j["crossing_year"] as? Double)
    #expect(abs((crossing - 2023) * 12 - 10 * log2(10.0)) < 1e-6)
    let cost = try #require(j["frontier_cost_usd"] as? Double)
    #expect(isClose(cost, 1e8 * pow(2, 3.6), rel: 1e-9))  // 36 months at a 10-month doubling
    #expect(j["deterministic"] as? Bool == false)  // compute keeps its published interval
  }

  @Test("project --compute reports the fixed run's cost with percentiles; output is byte-stable")
  func projectRun() throws {
    let args = ["project", "--json", "--compute", "1e25", "--year", "2028", "--draws", "10000"]
    let a = try run(args), b = try run(args)
    #expect(a.status == 0, "\(a.stderr)")
    #expect(a.stdout == b.stdout)
    let j = try json(a)
    let p10 = try #require(j["run_cost_usd_p10"] as? Double)
    let med = try #require(j["run_cost_usd"] as? Double)
    let p90 = try #require(j["run_cost_usd_p90"] as? Double)
    #expect(p10 <= med && med <= p90)
    // Today's (2025) cost 1e25 × $1.7478e-18 = $17.5M; three years of 2.46-year halving.
    #expect(isClose(med, 1e25 * 1.7478e-18 * pow(2, -3 / 2.46), rel: 0.02))
    let series = try #require(j["series"] as? [[String: Any]])
    #expect(series.count >= 4)
  }

  @Test("runway --json: published median and interval, per scenario")
  func runwayJSON() throws {
    let r = try run(["runway", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try json(r)
    for k in [
      "exhaustion_year_median", "exhaustion_year_p10", "exhaustion_year_p90", "stock_tokens",
      "scenario", "scenarios",
    ] {
      #expect(j[k] != nil, "missing \(k)")
    }
    let m = try #require(j["exhaustion_year_median"] as? Double)
    #expect(m >= 2027 && m <= 2029)
    #expect(j["scenario"] as? String == "combined")
    #expect(j["stock_tokens"] as? Double == 300e12)
    let scenarios = try #require(j["scenarios"] as? [[String: Any]])
    #expect(scenarios.count == 3)
    let over = try json(try run(["runway", "--json", "--overtrain", "5", "--scenario", "compute-optimal"]))
    let m5 = try #require(over["exhaustion_year_median"] as? Double)
    #expect(m5 < m && m5 >= 2026.5 && m5 < 2028)
    // A law from data/laws.csv: the Epoch refit (~20 tokens/param) lands near tokens20.
    let law = try json(try run(["runway", "--json", "--law", "epoch2024"]))
    #expect(law["law"] as? String == "epoch2024")
    let ml = try #require(law["exhaustion_year_median"] as? Double)
    #expect(abs(ml - m) < 1)
  }

  @Test("runway --dataset-anchor epoch-datastock-largest-2024: Epoch's historical branch")
  func runwayEpochHistorical() throws {
    let j = try json(
      try run([
        "runway", "--json", "--dataset-anchor", "epoch-datastock-largest-2024", "--scenario",
        "historical",
      ]))
    // Independent check (numpy, 4,000,000 draws, seed 20241) of the same inputs — stock 300T
    // (90% 100T–1,000T) growing 1.02–1.04 × 1.00–1.10 (95%); largest set 3T–13T (90%) at
    // 2024-01-01 growing 0.370 OOM/yr [0.267, 0.483] (95%): p10 2027.456, median 2028.997, p90
    // 2031.017. Tolerance 0.12 yr: ≥ 3.5 sd of these percentiles over 10,000-draw runs.
    let m = try #require(j["exhaustion_year_median"] as? Double)
    let p10 = try #require(j["exhaustion_year_p10"] as? Double)
    let p90 = try #require(j["exhaustion_year_p90"] as? Double)
    #expect(abs(m - 2028.997) < 0.12 && abs(p10 - 2027.456) < 0.12 && abs(p90 - 2031.017) < 0.12)
    #expect(j["scenario"] as? String == "historical")
  }

  @Test("Text output, --series and --explain render")
  func text() throws {
    let r = try run(["project", "--cross", "$1B", "--series", "--explain"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("year frontier cost crosses $1B"))
    #expect(r.stdout.contains("formula:") && r.stdout.contains("cottier2024-blog"))
    let w = try run(["runway", "--series", "--explain"])
    #expect(w.status == 0 && w.stdout.contains("P(exhausted)") && w.stdout.contains("Villalobos"))
  }

  @Test("Bad input: one sentence on stderr, non-zero exit", arguments: [
    ["project", "--year", "2020"],
    ["project", "--growth", "-2"],
    ["project", "--growth", "nan"],
    ["project", "--growth", "0"],
    ["project", "--cross", "$1M"],
    ["project", "--growth", "2", "--doubling-months", "10"],
    ["project", "--cost-trend", "nonsense"],
    ["runway", "--stock", "0"],
    ["runway", "--overtrain", "0"],
    ["runway", "--epochs", "0.5"],
    ["runway", "--stock", "NaN"],
    ["runway", "--law", "nonsense"],
  ])
  func bad(_ args: [String]) throws {
    let r = try run(args)
    #expect(r.status != 0, "\(args)")
    let msg = r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!msg.isEmpty && msg.hasSuffix("."), "\(args): \(msg)")
    #expect(msg.split(separator: "\n").count == 1, "\(args): \(msg)")
  }
}
