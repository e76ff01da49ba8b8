// Export formats: JSON lines round-trip exactly (curves included); field decoding errors name
// the field. CSV reading lives in Lab (it uses Catalog's CSVTable); see LabTests.

import Foundation
import RunStore
import Testing

@Suite("Run interchange")
struct InterchangeTests {
  @Test("JSON lines export → parse → record is lossless, curve included")
  func jsonLinesRoundTrip() throws {
    // Given two stored runs, one sparse
    let store = try RunDatabase.inMemory()
    let sparse = RunRecord(
      createdAt: Date(timeIntervalSince1970: 3), status: .diverged, nonEmbeddingParams: 1e5,
      tokensTrained: 3e6, divergedAtStep: 17, source: "elsewhere")
    _ = try store.insertRuns([(sampleRun(), sampleCurve()), (sparse, [])])
    let runs = try store.runs()
    // When exported as JSON lines and each line is read back
    let text = try RunInterchange.jsonLines(
      try runs.map { (run: $0, curve: try store.lossCurve(runId: $0.id ?? 0)) })
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    let first = try RunInterchange.parseJSONLine(lines[0])
    let second = try RunInterchange.parseJSONLine(lines[1])
    // Then every field and point is identical (ids and sweep links are not imported)
    let got = try RunInterchange.record(
      from: first.cells, createdAt: Date(timeIntervalSince1970: 0), source: nil)
    #expect(got == sampleRun())
    #expect(first.curve == sampleCurve())
    let got2 = try RunInterchange.record(
      from: second.cells, createdAt: Date(timeIntervalSince1970: 0), source: nil)
    // A diverged run has no loss; FLOPs were stored as null, so they stay nil.
    #expect(got2 == sparse)
  }

  @Test("CSV export has the header and quotes text with commas and quotes")
  func csvExport() throws {
    let csv = RunInterchange.csv([sampleRun()])
    let lines = csv.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(String(lines[0]) == RunInterchange.fieldNames.joined(separator: ","))
    #expect(csv.contains("\"a note, with a comma and \"\"quotes\"\"\""))
    #expect(csv.contains(",0.5123456789012345,"))
  }

  @Test("a non-finite number is exported as an empty cell and JSON null, never nan or inf")
  func nonFiniteCells() throws {
    // Given field values an interrupted or diverged run can hold
    for v in [Double.nan, .infinity, -.infinity] {
      // When written as a CSV cell and as JSON
      #expect(FieldValue.double(v).cellText == "")
      let json = String(decoding: try JSONEncoder().encode([FieldValue.double(v)]), as: UTF8.self)
      // Then both say "no value"
      #expect(json == "[null]")
    }
    // Finite numbers keep the shortest round-trip form.
    #expect(FieldValue.double(0.1).cellText == "0.1")
    #expect(FieldValue.double(-2.5e-300).cellText == "-2.5e-300")
  }

  @Test("decoding errors name the field")
  func fieldErrors() {
    let t = Date(timeIntervalSince1970: 0)
    #expect(throws: InterchangeError.missingColumn(field: "tokens_trained")) {
      try RunInterchange.record(
        from: ["non_embedding_params": "1e6", "final_validation_loss": "2"], createdAt: t,
        source: nil)
    }
    #expect(throws: InterchangeError.notNumeric(field: "non_embedding_params", text: "abc")) {
      try RunInterchange.record(
        from: ["non_embedding_params": "abc", "tokens_trained": "1", "final_validation_loss": "2"],
        createdAt: t, source: nil)
    }
    #expect(throws: InterchangeError.notPositive(field: "tokens_trained", text: "-5")) {
      try RunInterchange.record(
        from: ["non_embedding_params": "10", "tokens_trained": "-5", "final_validation_loss": "2"],
        createdAt: t, source: nil)
    }
    #expect(throws: InterchangeError.missingColumn(field: "loss")) {
      try RunInterchange.record(
        from: ["non_embedding_params": "10", "tokens_trained": "5"], createdAt: t, source: nil)
    }
  }

  @Test("without a flops column, C = 6·N·D")
  func defaultFLOPs() throws {
    let r = try RunInterchange.record(
      from: ["non_embedding_params": "1e6", "tokens_trained": "2e7", "final_validation_loss": "2"],
      createdAt: Date(timeIntervalSince1970: 0), source: "x")
    #expect(r.flops == 1.2e14)  // 6 × 1e6 × 2e7
    #expect(r.source == "x")
  }
}
