// Importing runs: column mappings, errors with line numbers, and lossless export → import.

import Catalog
import Foundation
import Lab
import RunStore
import Testing

@Suite("Run import")
struct RunImportTests {
  let t0 = Date(timeIntervalSince1970: 0)

  @Test("another trainer's CSV through --columns params=N,tokens=D,loss=final_loss")
  func mappedCSV() throws {
    let text = """
      N,D,final_loss,note
      70B,1.4T,1.94,chinchilla-like
      1e9,2e10,2.5,small
      """
    let mapping = try ColumnMapping.parse("params=N,tokens=D,loss=final_loss")
    let runs = try RunImport.csv(text, file: "cluster.csv", mapping: mapping, createdAt: t0)
    #expect(runs.count == 2)
    #expect(runs[0].run.nonEmbeddingParams == 7e10)
    #expect(runs[0].run.tokensTrained == 1.4e12)
    #expect(runs[0].run.finalValidationLoss == 1.94)
    #expect(runs[0].run.flops == 6 * 7e10 * 1.4e12)
    #expect(runs[0].run.source == "import:cluster.csv")
    #expect(runs[1].run.status == .finished)
  }

  @Test(
    "errors name the file and the line",
    arguments: [
      (
        "N,D,final_loss\n1e9,2e10,2.5\n1e9,abc,2.5\n",
        "runs.csv:3: column 'D' (tokens_trained) must be a number, found 'abc'."
      ),
      (
        "N,D,final_loss\n1e9,2e10,2.5\n1e9,2e10,2.5\n-4,2e10,2\n",
        "runs.csv:4: column 'N' (non_embedding_params) must be greater than zero, found '-4'."
      ),
      (
        "N,D,final_loss\n1e9,2e10,0\n",
        "runs.csv:2: column 'final_loss' (final_validation_loss) must be greater than zero, found '0'."
      ),
      (
        "N,D,final_loss\n1e9,,2\n",
        "runs.csv:2: column 'D' (tokens_trained) is empty; every run needs a value there."
      ),
    ])
  func lineNumbers(text: String, message: String) throws {
    let mapping = try ColumnMapping.parse("params=N,tokens=D,loss=final_loss")
    #expect {
      try RunImport.csv(text, file: "runs.csv", mapping: mapping, createdAt: t0)
    } throws: { error in
      String(describing: error) == message
    }
  }

  @Test("a missing column is reported at the header line")
  func missingColumn() throws {
    #expect {
      try RunImport.csv(
        "N,D\n1e9,2e10\n", file: "runs.csv",
        mapping: try ColumnMapping.parse("params=N,tokens=D"), createdAt: t0)
    } throws: { error in
      String(describing: error)
        == "runs.csv:1: there is no column for 'loss'; add one or map it with --columns loss=COLUMN."
    }
    #expect(
      throws: ImportError.unmappedColumn(
        file: "runs.csv", column: "L", field: "final_validation_loss")
    ) {
      try RunImport.csv(
        "N,D\n1e9,2e10\n", file: "runs.csv",
        mapping: try ColumnMapping.parse("params=N,tokens=D,loss=L"), createdAt: t0)
    }
  }

  @Test("JSON lines errors carry the line number")
  func jsonLineNumbers() throws {
    let text = """
      {"params": 1e9, "tokens": 2e10, "loss": 2.5}

      {"params": 1e9, "tokens": "lots", "loss": 2.5}
      """
    #expect {
      try RunImport.jsonLines(text, file: "runs.jsonl", mapping: ColumnMapping(), createdAt: t0)
    } throws: { error in
      String(describing: error)
        == "runs.jsonl:3: column 'tokens' (tokens_trained) must be a number, found 'lots'."
    }
  }

  @Test("bad mappings are refused")
  func badMappings() {
    #expect(throws: ImportError.badMapping("params")) { try ColumnMapping.parse("params") }
    #expect(throws: ImportError.unknownField("size")) { try ColumnMapping.parse("size=N") }
  }

  @Test("CSV export → import is lossless (ids and sweep links aside)")
  func csvRoundTrip() throws {
    // Given stored runs: one full, one sparse imported run, one diverged
    let store = try RunDatabase.inMemory()
    let runs = [fullRun(), sparseRun(), divergedRun()]
    _ = try store.insertRuns(runs.map { ($0, []) })
    // When exported as CSV and imported into another store
    let csv = RunInterchange.csv(try store.runs())
    let back = try RunImport.csv(csv, file: "export.csv", mapping: ColumnMapping(), createdAt: t0)
    let other = try RunDatabase.inMemory()
    _ = try other.insertRuns(back)
    // Then every record is identical
    let again = try other.runs().map { r -> RunRecord in
      var c = r
      c.id = nil
      return c
    }
    #expect(again == runs)
  }

  @Test("JSON lines export → import is lossless, curves included")
  func jsonRoundTrip() throws {
    let store = try RunDatabase.inMemory()
    let curve = [
      StoredLossPoint(
        step: 1, tokens: 2048, trainLoss: 5.54, validationLoss: nil, learningRate: 1e-4,
        elapsedSeconds: 0.01),
      StoredLossPoint(
        step: 2, tokens: 4096, trainLoss: 5.1000000000000005, validationLoss: 5.2,
        learningRate: 2e-4, elapsedSeconds: 0.02),
    ]
    _ = try store.insertRuns([(fullRun(), curve), (sparseRun(), [])])
    let text = try RunInterchange.jsonLines(
      try store.runs().map { (run: $0, curve: try store.lossCurve(runId: $0.id ?? 0)) })
    let back = try RunImport.jsonLines(
      text, file: "export.jsonl", mapping: ColumnMapping(), createdAt: t0)
    #expect(back.map(\.run) == [fullRun(), sparseRun()])
    #expect(back.map(\.curve) == [curve, []])
  }

  func fullRun() -> RunRecord {
    RunRecord(
      createdAt: Date(timeIntervalSince1970: 1_790_000_000.5), status: .finished,
      model: ModelShape(layers: 3, dModel: 64, heads: 4, context: 64),
      training: TrainingSettings(
        batch: 32, tokens: 1_000_000, learningRate: 1e-2, weightDecay: 0.1,
        seed: 18_446_744_073_709_551_615,
        threads: 2),
      corpus: .synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0),
      nonEmbeddingParams: 150_080, totalParams: 170_576, tokensTrained: 999_424,
      flops: 9.6e11, finalTrainLoss: 0.1 + 0.2, finalValidationLoss: 0.545,
      corpusEntropy: 0.36501234, validationSampleEntropy: 0.3726, wallSeconds: 20.5,
      tokensPerSecond: 48_750.25, softwareVersion: "scaleplan 0.1.0",
      notes: "line one, \"quoted\"")
  }

  func sparseRun() -> RunRecord {
    RunRecord(
      createdAt: Date(timeIntervalSince1970: 7), status: .finished,
      corpus: .file(path: "/tmp/a b.txt"),
      nonEmbeddingParams: 7e10, tokensTrained: 1.4e12, flops: nil, finalValidationLoss: 1.94,
      source: "import:cluster.csv")
  }

  func divergedRun() -> RunRecord {
    RunRecord(
      createdAt: Date(timeIntervalSince1970: 8), status: .diverged, nonEmbeddingParams: 12_768,
      tokensTrained: 4096, flops: 3e8, divergedAtStep: 3)
  }
}

@Suite("Runs for the fitter (fit --csv)")
struct FitRunsImportTests {
  @Test("D = C/(6N) when only FLOP are given; lines kept; unfinished runs left out and counted")
  func flopsOnly() throws {
    let text = """
      name,N,final_loss,C,status
      a,1e8,3.1,6e18,finished
      b,2e8,3.0,1.2e19,diverged
      c,70M,3.3,4.2e18,finished
      """
    var mapping = try ColumnMapping.parse("params=N,loss=final_loss")
    mapping.columnForField["flops"] = "C"
    let (runs, skipped) = try RunImport.fitRuns(text: text, file: "runs.csv", mapping: mapping)
    #expect(skipped == 1)
    #expect(runs.map(\.line) == [2, 4])
    // 6e18 / (6 · 1e8) = 1e10 tokens; 4.2e18 / (6 · 7e7) = 1e10.
    #expect(runs[0].observation.tokens == 1e10)
    #expect(abs(runs[1].observation.tokens - 1e10) < 1e-3)
    #expect(runs[0].compute == 6e18 && runs[1].observation.params == 7e7)
  }

  @Test("a runs export is read without a mapping; errors name the file and line")
  func exportAndErrors() throws {
    let text = """
      non_embedding_params,tokens_trained,final_validation_loss
      1e6,2e7,2.5
      """
    let (runs, _) = try RunImport.fitRuns(text: text, file: "export.csv")
    #expect(runs.count == 1 && runs[0].compute == 6 * 1e6 * 2e7)
    let bad = "N,D,L\n1e6,2e7,2.5\n2e6,lots,2.4\n"
    let m = try ColumnMapping.parse("params=N,tokens=D,loss=L")
    #expect(
      throws: ImportError.atLine(
        file: "runs.csv", line: 3,
        reason: "column 'D' (tokens_trained) must be a number, found 'lots'.")
    ) { try RunImport.fitRuns(text: bad, file: "runs.csv", mapping: m) }
    let none = "N,D,L,status\n1e6,2e7,,diverged\n"
    #expect(throws: ImportError.noRuns(file: "runs.csv")) {
      try RunImport.fitRuns(text: none, file: "runs.csv", mapping: m)
    }
  }
}
