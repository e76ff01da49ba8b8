// `scaleplan sweep plan … --emit csv` for budgets far beyond this machine (the configurations to
// run on a trainer of one's own), through the built binary, and `sweep` refusing to train them here.

import Foundation
import TestSupport
import Testing

@Suite(
  "sweep plan for an external trainer",
  .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not found beside the test bundle"))
struct SweepPlanCLITests {
  @Test("sweep plan --budgets 1e19,1e20 --emit csv: 14 configurations that spend their budgets")
  func emitLarge() throws {
    let r = try runBuiltScaleplan([
      "sweep", "plan", "--kind", "isoflop", "--budgets", "1e19,1e20", "--emit", "csv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 15)
    let header = lines[0].split(separator: ",").map(String.init)
    let flops = try #require(header.firstIndex(of: "flops"))
    let budget = try #require(header.firstIndex(of: "budget"))
    for line in lines.dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let c = try #require(Double(cells[flops]))
      let b = try #require(Double(cells[budget]))
      // Whole steps of 2,048 tokens: within half a step of F_K·2,048 of the budget, far below
      // 1e-6 of it at these sizes.
      #expect(abs(c / b - 1) < 1e-6, "\(line)")
    }
  }

  @Test("sweep refuses to train sizes beyond MiniGPT, pointing to --emit")
  func refuseLarge() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scaleplan-large-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try runBuiltScaleplan([
      "sweep", "--kind", "isoflop", "--budgets", "1e20", "--db",
      dir.appendingPathComponent("r.sqlite").path,
    ])
    #expect(r.status != 0)
    #expect(r.stderr.contains("is beyond what MiniGPT trains here"), "\(r.stderr)")
    #expect(r.stderr.contains("--emit csv"))
    // Refused before anything was stored: the database holds no sweep.
    let list = try runBuiltScaleplan([
      "sweep", "list", "--json", "--db", dir.appendingPathComponent("r.sqlite").path,
    ])
    #expect(list.status == 0, "\(list.stderr)")
    let sweeps = try JSONSerialization.jsonObject(with: list.stdout) as? [Any]
    #expect(sweeps?.isEmpty == true, "\(String(decoding: list.stdout, as: UTF8.self))")
  }

  @Test("--emit with --json is refused in one sentence, nothing on stdout")
  func emitWithJSONRefused() throws {
    let r = try runBuiltScaleplan([
      "sweep", "plan", "--kind", "isoflop", "--budgets", "1e19", "--emit", "csv", "--json",
    ])
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty, "\(String(decoding: r.stdout, as: UTF8.self))")
    #expect(r.stderr.contains("--json cannot be combined with --emit"), "\(r.stderr)")
    let errorLines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
    #expect(errorLines.count == 1, "\(r.stderr)")
  }
}
