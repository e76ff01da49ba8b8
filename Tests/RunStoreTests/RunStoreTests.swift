// RunStore: schema, round trips, WAL, transactions, laws and sweeps. Each test uses its own
// in-memory database (GRDB's testing advice) unless it needs a file (WAL, reopening).

import Fitting
import Foundation
import RunStore
import Synchronization
import Testing

/// A fully populated run, as the trainer would record it.
func sampleRun(slot: Int? = nil, sweepId: Int64? = nil, status: RunState = .finished) -> RunRecord {
  RunRecord(
    sweepId: sweepId, sweepSlot: slot, createdAt: Date(timeIntervalSince1970: 1_790_000_000.123),
    status: status, model: ModelShape(layers: 2, dModel: 40, heads: 2, context: 64),
    training: TrainingSettings(
      batch: 32, tokens: 2_000_000, learningRate: 1.5e-2, warmupSteps: 48, seed: 7, threads: 2),
    corpus: .synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0),
    nonEmbeddingParams: 39_520, totalParams: 52_320, tokensTrained: 1_998_848,
    flops: 5.1e11, finalTrainLoss: 0.5123456789012345, finalValidationLoss: 0.505,
    corpusEntropy: 0.365, validationSampleEntropy: 0.3726, wallSeconds: 12.25,
    tokensPerSecond: 163_000.5, softwareVersion: "scaleplan 0.1.0", divergedAtStep: nil,
    source: nil, notes: "a note, with a comma and \"quotes\"")
}

func sampleCurve(_ n: Int = 5) -> [StoredLossPoint] {
  var out: [StoredLossPoint] = []
  for s in 1...n {
    let x = Double(s)
    let validation: Double? = s % 2 == 0 ? 1.0 / x : nil
    out.append(
      StoredLossPoint(
        step: s, tokens: s * 2048, trainLoss: 5.5 / x, validationLoss: validation,
        learningRate: 1e-3 * x, elapsedSeconds: 0.1 * x))
  }
  return out
}

func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "runstore-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite("RunStore")
struct RunStoreTests {
  @Test("migrations apply and create every table")
  func migrations() throws {
    // Given a fresh in-memory store
    let store = try RunDatabase.inMemory()
    // Then the frozen migrations are applied in order and every table exists, empty
    #expect(
      try store.appliedMigrations() == [
        "2026-11-29 v1: run, lossPoint, sweep, fit, law", "2026-11-29 v2: law bootstrap samples",
        "2026-12-03 v3: sweep slot claims",
      ])
    #expect(try store.rowCounts() == ["run": 0, "lossPoint": 0, "sweep": 0, "fit": 0, "law": 0])
  }

  @Test("a run and its curve read back exactly as written")
  func runRoundTrip() throws {
    // Given a store
    let store = try RunDatabase.inMemory()
    // When a run with every field set is inserted with its curve
    let id = try store.insertRun(sampleRun(), curve: sampleCurve())
    // Then reading it gives the same record (with its id) and the same curve
    var expected = sampleRun()
    expected.id = id
    #expect(try store.run(id: id) == expected)
    #expect(try store.lossCurve(runId: id) == sampleCurve())
    #expect(try store.run(id: id + 1) == nil)
  }

  @Test("an imported run with only N, D and a loss round-trips with nil fields")
  func sparseRunRoundTrip() throws {
    // Given a run from another trainer: no model, settings or corpus
    let store = try RunDatabase.inMemory()
    let run = RunRecord(
      createdAt: Date(timeIntervalSince1970: 0), status: .finished, nonEmbeddingParams: 7e10,
      tokensTrained: 1.4e12, finalValidationLoss: 1.94, source: "import:cluster.csv")
    // When inserted and read back
    let id = try store.insertRun(run)
    // Then nothing is invented
    var expected = run
    expected.id = id
    #expect(try store.run(id: id) == expected)
  }

  @Test("a file database runs in WAL mode and survives reopening")
  func walMode() throws {
    // Given a store on a file in a directory that does not exist yet
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("nested/runs.sqlite").path
    let id: Int64
    do {
      let store = try RunDatabase(path: path)
      // Then it is created on demand, in WAL mode
      #expect(try store.journalMode() == "wal")
      id = try store.insertRun(sampleRun(), curve: sampleCurve())
    }
    // When reopened, the data is there and the database is intact
    let again = try RunDatabase(path: path)
    #expect(try again.run(id: id)?.nonEmbeddingParams == 39_520)
    #expect(try again.integrityCheck() == ["ok"])
    #expect(try again.appliedMigrations().count == 3)
  }

  @Test("many connections opening a new file at once all succeed (migration race)")
  func concurrentOpen() throws {
    // Given a path no database exists at yet
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("runs.sqlite").path
    // When eight connections open it at the same moment (as separate processes would)
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      do {
        let store = try RunDatabase(path: path)
        _ = try store.insertRun(sampleRun())
      } catch {
        failures.withLock { $0.append(String(describing: error)) }
      }
    }
    // Then every one succeeded and the schema was created once
    #expect(failures.withLock { $0 } == [])
    let store = try RunDatabase(path: path)
    #expect(try store.appliedMigrations().count == 3)
    #expect(try store.runs().count == 8)
  }

  @Test("a batch insert with one bad run writes nothing")
  func insertIsOneTransaction() throws {
    // Given a good run and one SQLite rejects (NaN is stored as NULL in a NOT NULL column)
    let store = try RunDatabase.inMemory()
    var bad = sampleRun()
    bad.nonEmbeddingParams = .nan
    // When both are inserted together
    #expect(throws: RunStoreError.self) {
      try store.insertRuns([(sampleRun(), sampleCurve()), (bad, sampleCurve())])
    }
    // Then neither the good run nor its curve was kept
    #expect(try store.rowCounts()["run"] == 0)
    #expect(try store.rowCounts()["lossPoint"] == 0)
  }

  @Test("finishing a run replaces its row and curve together; a failed update changes nothing")
  func updateIsOneTransaction() throws {
    // Given a running run with streamed points
    let store = try RunDatabase.inMemory()
    var run = sampleRun(status: .running)
    let id = try store.insertRun(run)
    run.id = id
    try store.appendLossPoints(Array(sampleCurve(5).prefix(3)), runId: id)
    #expect(try store.lossCurve(runId: id).count == 3)
    // When an update fails (NaN in a NOT NULL column)
    var broken = run
    broken.status = .finished
    broken.tokensTrained = .nan
    #expect(throws: RunStoreError.self) { try store.updateRun(broken, curve: sampleCurve(5)) }
    // Then the row and the three points are untouched
    #expect(try store.run(id: id)?.status == .running)
    #expect(try store.lossCurve(runId: id).count == 3)
    // When it finishes properly, row and full curve are replaced
    run.status = .finished
    try store.updateRun(run, curve: sampleCurve(5))
    #expect(try store.run(id: id)?.status == .finished)
    #expect(try store.lossCurve(runId: id) == sampleCurve(5))
  }

  @Test("points for a run that does not exist are refused")
  func pointsNeedARun() throws {
    let store = try RunDatabase.inMemory()
    #expect(throws: RunStoreError.runNotFound(42)) {
      try store.appendLossPoints(sampleCurve(2), runId: 42)
    }
    #expect(try store.rowCounts()["lossPoint"] == 0)
  }

  @Test("deleting a run deletes its curve")
  func deleteCascades() throws {
    // Given two runs with curves
    let store = try RunDatabase.inMemory()
    let a = try store.insertRun(sampleRun(), curve: sampleCurve(4))
    let b = try store.insertRun(sampleRun(), curve: sampleCurve(3))
    // When one is deleted (and an unknown id is asked for)
    #expect(try store.deleteRuns(ids: [a, 999]) == 1)
    // Then only the other and its points remain
    #expect(try store.runs().map(\.id) == [b])
    #expect(try store.rowCounts()["lossPoint"] == 3)
  }

  @Test("runs filter by sweep and status")
  func runFilters() throws {
    let store = try RunDatabase.inMemory()
    let sweep = try store.insertSweep(
      SweepRecord(name: "s", kind: "grid", spec: "{}", createdAt: Date(timeIntervalSince1970: 5)))
    _ = try store.insertRun(sampleRun(slot: 0, sweepId: sweep))
    _ = try store.insertRun(sampleRun(slot: 1, sweepId: sweep, status: .running))
    _ = try store.insertRun(sampleRun())
    #expect(try store.runs().count == 3)
    #expect(try store.runs(sweepId: sweep).map(\.sweepSlot) == [0, 1])
    #expect(try store.runs(sweepId: sweep, status: .running).map(\.sweepSlot) == [1])
  }

  @Test("sweeps: unique names, status updates, lookup by id and name")
  func sweeps() throws {
    let store = try RunDatabase.inMemory()
    let record = SweepRecord(
      name: "preset-quick", kind: "preset", spec: "{\"kind\":\"preset\"}",
      createdAt: Date(timeIntervalSince1970: 100))
    let id = try store.insertSweep(record)
    #expect(throws: RunStoreError.sweepExists("preset-quick")) { try store.insertSweep(record) }
    try store.setSweepStatus(id: id, .finished)
    var expected = record
    expected.id = id
    expected.status = .finished
    #expect(try store.sweep(id: id) == expected)
    #expect(try store.sweep(named: "preset-quick") == expected)
    #expect(try store.sweeps() == [expected])
    // The latest sweep is the one created last
    #expect(try store.latestSweep() == expected)
    let later = try store.insertSweep(
      SweepRecord(
        name: "later", kind: "grid", spec: "{}", createdAt: Date(timeIntervalSince1970: 1)))
    #expect(try store.latestSweep()?.id == later)
  }

  @Test("FLOPs per token and the fit's loss come from the stored numbers")
  func derivedValues() {
    let r = sampleRun()
    #expect(r.flopsPerToken == 5.1e11 / 1_998_848)
    #expect(r.finalLoss == 0.505)  // validation loss first
    var noValidation = r
    noValidation.finalValidationLoss = nil
    #expect(noValidation.finalLoss == 0.5123456789012345)
  }

  @Test("laws are saved and found by name, with intervals and provenance")
  func laws() throws {
    // Given a fitted law with intervals
    let store = try RunDatabase.inMemory()
    let law = StoredLaw(
      name: "tiny-synthetic",
      law: ParametricLaw(E: 0.401, A: 120.5, B: 3.4e3, alpha: 0.73, beta: 0.99),
      uncertainty: ParametricUncertainty(
        seE: 0.01, seA: 12, seB: 300, seAlpha: 0.02, seBeta: 0.03, seParamsExponent: 0.004,
        correlation: [[1, 0.5], [0.5, 1]],
        samples: [[0.40, 118, 3.3e3, 0.72, 0.98], [0.402, 123, 3.5e3, 0.74, 1.0]]),
      intervals: ["alpha": [0.70, 0.76], "E": [0.39, 0.41]],
      provenance: "sweep 3 (standard preset), Approach 3, 14 runs",
      createdAt: Date(timeIntervalSince1970: 1_790_000_000))
    // When saved
    try store.saveLaw(law)
    // Then it reads back exactly; the name is unique unless replacing
    #expect(try store.law(named: "tiny-synthetic") == law)
    #expect(try store.law(named: "other") == nil)
    #expect(throws: RunStoreError.lawExists("tiny-synthetic")) { try store.saveLaw(law) }
    var newer = law
    newer.law.E = 0.365
    try store.saveLaw(newer, replacing: true)
    #expect(try store.laws() == [newer])
    #expect(try store.deleteLaw(named: "tiny-synthetic"))
    #expect(try store.laws().isEmpty)
  }

  @Test("fits are stored per sweep")
  func fits() throws {
    let store = try RunDatabase.inMemory()
    let sweep = try store.insertSweep(
      SweepRecord(name: "s", kind: "grid", spec: "{}", createdAt: Date(timeIntervalSince1970: 5)))
    let fit = FitRecord(
      sweepId: sweep, approach: "approach3", params: "{\"E\":0.4}",
      createdAt: Date(timeIntervalSince1970: 6))
    let id = try store.saveFit(fit)
    var expected = fit
    expected.id = id
    #expect(try store.fits(sweepId: sweep) == [expected])
    #expect(try store.fits().count == 1)
  }

  @Test("timestamps are ISO 8601 UTC with milliseconds")
  func timestamps() throws {
    // 1,790,000,000 s after the epoch is 2026-09-21 14:13:20 UTC (date -u -d @1790000000).
    let d = Date(timeIntervalSince1970: 1_790_000_000.123)
    #expect(Timestamp.text(d) == "2026-09-21T14:13:20.123Z")
    #expect(Timestamp.parse("2026-09-21T14:13:20.123Z") == d)
    #expect(Timestamp.parse("2026-09-21T14:13:20Z") == Date(timeIntervalSince1970: 1_790_000_000))
    #expect(Timestamp.parse("yesterday") == nil)
  }

  @Test("the default path follows XDG_DATA_HOME, else ~/.local/share")
  func defaultPath() {
    #expect(
      RunDatabase.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"])
        == "/data/scaleplan/runs.sqlite")
    #expect(
      RunDatabase.defaultPath(environment: ["HOME": "/home/u"])
        == "/home/u/.local/share/scaleplan/runs.sqlite")
    // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
    #expect(
      RunDatabase.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"])
        == "/home/u/.local/share/scaleplan/runs.sqlite")
  }

  @Test("an unopenable path is one sentence naming it")
  func cannotOpen() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    // A path below a regular file cannot be created.
    let path = file.appendingPathComponent("runs.sqlite").path
    #expect {
      try RunDatabase(path: path)
    } throws: { error in
      String(describing: error).hasPrefix("Cannot open the run database '\(path)'")
    }
  }
}
