// `scaleplan runs` end to end through the built binary: export → import, bad input as one
// sentence on stderr with a non-zero exit.

import Foundation
import RunStore
import TestSupport
import Testing

@Suite("runs command")
struct RunsCommandTests {
  @Test(
    "export --json then import into another database gives the same runs and curves",
    .enabled(if: builtScaleplanBinary() != nil, "skipped: scaleplan binary not built"))
  func exportImport() throws {
    // Given a database with two runs
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("a.sqlite").path
    let target = dir.appendingPathComponent("b.sqlite").path
    let store = try RunDatabase(path: source)
    _ = try store.insertRuns([(sampleRun(), sampleCurve()), (sampleRun(status: .diverged), [])])
    // When exported and imported with the CLI
    let file = dir.appendingPathComponent("runs.jsonl").path
    #expect(try runBuiltScaleplan(["runs", "export", "--json", file, "--db", source]).status == 0)
    let imported = try runBuiltScaleplan(["runs", "import", file, "--db", target, "--json"])
    #expect(imported.status == 0)
    // Then the target holds the same records and curves
    let b = try RunDatabase(path: target)
    let strip: (RunRecord) -> RunRecord = { r in
      var c = r
      c.id = nil
      return c
    }
    #expect(try b.runs().map(strip) == store.runs().map(strip))
    #expect(try b.lossCurve(runId: b.runs()[0].id ?? 0) == sampleCurve())
    // And `runs list --json` lists both with snake_case keys
    let list = try runBuiltScaleplan(["runs", "list", "--db", target, "--json"])
    let objects = try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]]
    #expect(objects?.count == 2)
    #expect(objects?.first?["non_embedding_params"] as? Double == 39_520)
  }

  @Test(
    "a bad import is one sentence with file and line, exit non-zero, nothing imported",
    .enabled(if: builtScaleplanBinary() != nil, "skipped: scaleplan binary not built"))
  func badImport() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("runs.sqlite").path
    let csv = dir.appendingPathComponent("cluster.csv")
    try Data("N,D,final_loss\n1e9,2e10,2.5\n1e9,2e10,-1\n".utf8).write(to: csv)
    let run = try runBuiltScaleplan([
      "runs", "import", csv.path, "--columns", "params=N,tokens=D,loss=final_loss", "--db", db,
    ])
    #expect(run.status != 0)
    #expect(
      run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        == "Error: cluster.csv:3: column 'final_loss' (final_validation_loss) must be greater than zero, found '-1'."
    )
    #expect(try RunDatabase(path: db).runs().isEmpty)
  }
}
