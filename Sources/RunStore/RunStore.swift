// The run store: training runs, loss curves, sweeps, fits and named laws in one SQLite file.
// GRDB does the SQLite work, but no GRDB type appears in this module's public API,
// so a thin wrapper over the system SQLite could replace it. A file database runs in WAL mode;
// every public method that writes does so in exactly one transaction, so a process killed at any
// moment leaves the file consistent (at worst a run still marked `running`).

import Fitting
import Foundation
import GRDB

/// A database of training runs, loss curves, sweeps, fits and named laws.
public final class RunDatabase: Sendable {
  private let writer: any DatabaseWriter
  /// A private copy read in place of a read-only WAL database that SQLite cannot open where it is
  /// (see `openReadOnly`); deleted when the store goes.
  private let snapshot: URL?
  /// The file path, or nil for an in-memory store.
  public let path: String?

  /// Opens (creating on demand, with its parent directory) the database at `path`, in WAL mode,
  /// and applies any pending migrations.
  /// - Throws: `RunStoreError.cannotOpen` if the file or its directory cannot be created or opened,
  ///   `RunStoreError.newerSchema` if a newer scaleplan wrote it.
  public convenience init(path: String) throws {
    try self.init(path: path, mode: .readWrite)
  }

  /// Opens the database at `path` for reading and writing (`.readWrite`, as `init(path:)`) or for
  /// reading only (`.readOnly`: SQLite's read-only open flag, so nothing is written, and a file
  /// or directory without write permission can still be listed; a file that does not exist reads
  /// as an empty store and is not created).
  /// - Throws: `RunStoreError.cannotOpen`, or `RunStoreError.newerSchema` when the file holds
  ///   migrations this binary does not know.
  public init(path: String, mode: OpenMode) throws {
    self.path = path
    self.mode = mode
    if mode == .readOnly {
      (writer, snapshot) = try Self.openReadOnly(path: path)
      return
    }
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw RunStoreError.cannotOpen(path: path, reason: RunDatabase.reason(error))
    }
    var config = Configuration()
    // Another scaleplan process (a sweep being resumed, a `runs list`) may hold the write lock.
    config.busyMode = .timeout(10)
    // Two processes opening a new file at once can both see the schema missing: the loser's
    // migration transaction fails ("table already exists") and rolls back, so retrying finds
    // the winner's schema. Opening can also meet a busy lock while the other switches to WAL.
    var attempt = 0
    while true {
      do {
        let pool = try DatabasePool(path: path, configuration: config)  // DatabasePool ⇒ WAL
        let done = try pool.read { db in
          try Self.refuseNewerSchema(db, path: path)
          return try Migrations.migrator.hasCompletedMigrations(db)
        }
        if !done { try Migrations.migrator.migrate(pool) }
        writer = pool
        snapshot = nil
        break
      } catch let error as RunStoreError {
        throw error
      } catch {
        attempt += 1
        guard attempt < 20 else {
          throw RunStoreError.cannotOpen(path: path, reason: RunDatabase.reason(error))
        }
        Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
      }
    }
  }

  /// How a store was opened.
  public enum OpenMode: Sendable, Equatable {
    /// Reads and writes; creates the file and applies migrations.
    case readWrite
    /// Reads only (SQLite's read-only flag): for `runs list/show/export`, `sweep list`, fits
    /// that save nothing and saved-law look-ups.
    case readOnly
  }

  /// Whether this store was opened read-only.
  public let mode: OpenMode

  /// A read-only connection to `path`. A database with pending migrations is first upgraded when
  /// its file can be written (so reading code sees today's schema); when it cannot, it is read in
  /// its older schema (the columns added since read as nil).
  private static func openReadOnly(path: String) throws -> (any DatabaseWriter, URL?) {
    guard FileManager.default.fileExists(atPath: path) else {
      // Nothing to read: an empty schema in memory, and no file is created.
      do {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue)
        return (queue, nil)
      } catch {
        throw RunStoreError.cannotOpen(path: path, reason: reason(error))
      }
    }
    do {
      return (try openReadOnlyInPlace(path: path), nil)
    } catch let error as RunStoreError {
      if case .newerSchema = error { throw error }
      // A WAL database whose -shm file is gone (its last writer closed cleanly) can be opened
      // read-only only where that file can be created (SQLite's WAL documentation, "Read-Only
      // Databases"). When the file or its folder cannot be written, read a private copy: with
      // no -wal file beside it, the main file holds every committed transaction.
      let walPresent = FileManager.default.fileExists(atPath: path + "-wal")
      var isDirectory: ObjCBool = false
      let isFile =
        FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
      guard !walPresent, isFile else { throw error }
      let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
        "scaleplan-readonly-\(getpid())-\(UUID().uuidString).sqlite")
      do {
        try FileManager.default.copyItem(atPath: path, toPath: copy.path)
      } catch {
        try? FileManager.default.removeItem(at: copy)
        throw error
      }
      do {
        return (try openReadOnlyInPlace(path: copy.path, reportAs: path), copy)
      } catch {
        try? FileManager.default.removeItem(at: copy)
        throw error
      }
    }
  }

  private static func openReadOnlyInPlace(path: String, reportAs shown: String? = nil) throws
    -> any DatabaseWriter
  {
    let shownPath = shown ?? path
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(10)
    do {
      let queue = try DatabaseQueue(path: path, configuration: config)
      let done = try queue.read { db in
        try refuseNewerSchema(db, path: shownPath)
        return try Migrations.migrator.hasCompletedMigrations(db)
      }
      if !done && shown == nil && FileManager.default.isWritableFile(atPath: path) {
        // An older schema in a writable file: upgrade it once, as a writing command would.
        let pool = try DatabasePool(path: path)
        try Migrations.migrator.migrate(pool)
      }
      return queue
    } catch let error as RunStoreError {
      throw error
    } catch {
      throw RunStoreError.cannotOpen(path: shownPath, reason: reason(error))
    }
  }

  deinit {
    if let snapshot { try? FileManager.default.removeItem(at: snapshot) }
  }

  /// Refuses a database that holds migrations this binary does not know (a newer scaleplan wrote
  /// it): reading it would fail later on columns this version does not fill. The schema number is
  /// the count of applied migrations, or `PRAGMA user_version` when a migration set it higher.
  static func refuseNewerSchema(_ db: Database, path: String) throws {
    let known = Migrations.migrator.migrations
    let applied = try Migrations.migrator.appliedIdentifiers(db)
    let unknown = applied.subtracting(known)
    let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    let found = max(userVersion, applied.count)
    if !unknown.isEmpty || userVersion > known.count {
      throw RunStoreError.newerSchema(path: path, found: found, known: known.count)
    }
  }

  /// Writes a database file as an older scaleplan left it: migrated only through
  /// `lastMigration`, then `sql` executed (rows in that schema). For upgrade tests.
  static func createLegacy(path: String, through lastMigration: String, sql: String) throws {
    let pool = try DatabasePool(path: path)
    try Migrations.migrator.migrate(pool, upTo: lastMigration)
    try pool.write { db in try db.execute(sql: sql) }
  }

  private init(inMemoryWriter: any DatabaseWriter) throws {
    writer = inMemoryWriter
    snapshot = nil
    path = nil
    mode = .readWrite
    try Migrations.migrator.migrate(writer)
  }

  /// A fresh, private in-memory database with the schema applied (for tests and dry runs).
  /// - Throws: `RunStoreError.database` if SQLite fails.
  public static func inMemory() throws -> RunDatabase {
    do {
      return try RunDatabase(inMemoryWriter: DatabaseQueue())
    } catch {
      throw RunStoreError.database(reason(error))
    }
  }

  /// The default database path: `$XDG_DATA_HOME/scaleplan/runs.sqlite`, falling back to
  /// `~/.local/share/scaleplan/runs.sqlite` (XDG Base Directory Specification).
  public static func defaultPath(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty, xdg.hasPrefix("/") {
      return xdg + "/scaleplan/runs.sqlite"
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.local/share/scaleplan/runs.sqlite"
  }

  // MARK: - Diagnostics

  /// The names of the migrations applied, in order.
  public func appliedMigrations() throws -> [String] {
    try read { db in try Migrations.migrator.appliedMigrations(db) }
  }

  /// SQLite's journal mode ("wal" for a file database, "memory" in memory).
  public func journalMode() throws -> String {
    try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
  }

  /// The rows of `PRAGMA integrity_check` (`["ok"]` for a healthy database).
  public func integrityCheck() throws -> [String] {
    try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
  }

  /// Row counts per table, for diagnostics and tests.
  public func rowCounts() throws -> [String: Int] {
    try read { db in
      var out: [String: Int] = [:]
      for table in ["run", "lossPoint", "sweep", "fit", "law"] {
        out[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
      }
      return out
    }
  }

  // MARK: - Runs

  /// Inserts a run (its `id` is ignored) and returns the new id; one transaction.
  public func insertRun(_ run: RunRecord) throws -> Int64 {
    try write { db in try Self.insert(run, db) }
  }

  /// Inserts a run with its loss curve in one transaction and returns the new id.
  public func insertRun(_ run: RunRecord, curve: [StoredLossPoint]) throws -> Int64 {
    try write { db in
      let id = try Self.insert(run, db)
      try Self.insertPoints(curve, runId: id, db)
      return id
    }
  }

  /// Inserts many runs with their curves, all or nothing (one transaction); returns the new ids.
  public func insertRuns(_ runs: [(run: RunRecord, curve: [StoredLossPoint])]) throws -> [Int64] {
    try write { db in
      var ids: [Int64] = []
      for (run, curve) in runs {
        let id = try Self.insert(run, db)
        try Self.insertPoints(curve, runId: id, db)
        ids.append(id)
      }
      return ids
    }
  }

  /// Adds (or overwrites, by step) loss points of a run in one transaction.
  /// - Throws: `RunStoreError.runNotFound` if the run does not exist.
  public func appendLossPoints(_ points: [StoredLossPoint], runId: Int64) throws {
    guard !points.isEmpty else { return }
    try write { db in
      guard try Self.exists(runId, db) else { throw RunStoreError.runNotFound(runId) }
      try Self.insertPoints(points, runId: runId, db)
    }
  }

  /// Replaces a run's row (matched by `run.id`) and, if `curve` is given, its whole loss curve,
  /// in one transaction. Use it to record how a run ended.
  /// - Throws: `RunStoreError.runNotFound` if `run.id` is nil or unknown.
  public func updateRun(_ run: RunRecord, curve: [StoredLossPoint]? = nil) throws {
    guard let id = run.id else { throw RunStoreError.runNotFound(-1) }
    try write { db in
      guard try Self.exists(id, db) else { throw RunStoreError.runNotFound(id) }
      let values = Self.columns(of: run)
      let assignments = values.map { "\($0.0) = ?" }.joined(separator: ", ")
      try db.execute(
        sql: "UPDATE run SET \(assignments) WHERE id = ?",
        arguments: StatementArguments(values.map { $0.1 } + [id]))
      if let curve {
        try db.execute(sql: "DELETE FROM lossPoint WHERE runId = ?", arguments: [id])
        try Self.insertPoints(curve, runId: id, db)
      }
    }
  }

  /// The run with this id, or nil.
  public func run(id: Int64) throws -> RunRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Self.run)
    }
  }

  /// Runs ordered by id, optionally only those of one sweep and/or in one state.
  public func runs(sweepId: Int64? = nil, status: RunState? = nil) throws -> [RunRecord] {
    var clauses: [String] = []
    var args: [any DatabaseValueConvertible] = []
    if let sweepId {
      clauses.append("sweepId = ?")
      args.append(sweepId)
    }
    if let status {
      clauses.append("status = ?")
      args.append(status.rawValue)
    }
    let whereSQL = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
    return try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM run\(whereSQL) ORDER BY id", arguments: StatementArguments(args)
      ).map(Self.run)
    }
  }

  /// The loss curve of a run, ordered by step (empty if none stored).
  public func lossCurve(runId: Int64) throws -> [StoredLossPoint] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM lossPoint WHERE runId = ? ORDER BY step", arguments: [runId]
      ).map { row in
        StoredLossPoint(
          step: row["step"], tokens: row["tokens"], trainLoss: row["trainLoss"],
          validationLoss: row["validationLoss"], learningRate: row["learningRate"],
          elapsedSeconds: row["elapsed"])
      }
    }
  }

  /// Deletes runs (and their loss curves) in one transaction; returns how many existed.
  public func deleteRuns(ids: [Int64]) throws -> Int {
    try write { db in
      var n = 0
      for id in ids {
        try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
        n += db.changesCount
      }
      return n
    }
  }

  // MARK: - Sweeps

  /// Inserts a sweep and returns its id.
  /// - Throws: `RunStoreError.sweepExists` if the name is taken.
  public func insertSweep(_ sweep: SweepRecord) throws -> Int64 {
    try write { db in
      if try Row.fetchOne(db, sql: "SELECT id FROM sweep WHERE name = ?", arguments: [sweep.name])
        != nil
      {
        throw RunStoreError.sweepExists(sweep.name)
      }
      try db.execute(
        sql: "INSERT INTO sweep (name, kind, spec, createdAt, status) VALUES (?, ?, ?, ?, ?)",
        arguments: [
          sweep.name, sweep.kind, sweep.spec, Timestamp.text(sweep.createdAt),
          sweep.status.rawValue,
        ])
      return db.lastInsertedRowID
    }
  }

  /// Sets a sweep's state.
  public func setSweepStatus(id: Int64, _ status: SweepState) throws {
    try write { db in
      try db.execute(
        sql: "UPDATE sweep SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
    }
  }

  /// The sweep with this id, or nil.
  public func sweep(id: Int64) throws -> SweepRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM sweep WHERE id = ?", arguments: [id]).map(Self.sweep)
    }
  }

  /// The sweep with this name, or nil.
  public func sweep(named name: String) throws -> SweepRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM sweep WHERE name = ?", arguments: [name])
        .map(Self.sweep)
    }
  }

  /// All sweeps ordered by id (the last is the latest).
  public func sweeps() throws -> [SweepRecord] {
    try read { db in try Row.fetchAll(db, sql: "SELECT * FROM sweep ORDER BY id").map(Self.sweep) }
  }

  /// The most recently created sweep (highest id), or nil when there is none.
  public func latestSweep() throws -> SweepRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM sweep ORDER BY id DESC LIMIT 1").map(Self.sweep)
    }
  }

  // MARK: - Fits

  /// Saves a fit and returns its id.
  public func saveFit(_ fit: FitRecord) throws -> Int64 {
    try write { db in
      try db.execute(
        sql: "INSERT INTO fit (sweepId, approach, params, createdAt) VALUES (?, ?, ?, ?)",
        arguments: [fit.sweepId, fit.approach, fit.params, Timestamp.text(fit.createdAt)])
      return db.lastInsertedRowID
    }
  }

  /// Fits ordered by id, optionally only those of one sweep.
  public func fits(sweepId: Int64? = nil) throws -> [FitRecord] {
    try read { db in
      let rows =
        try sweepId.map {
          try Row.fetchAll(
            db, sql: "SELECT * FROM fit WHERE sweepId = ? ORDER BY id", arguments: [$0])
        } ?? Row.fetchAll(db, sql: "SELECT * FROM fit ORDER BY id")
      return try rows.map { row in
        FitRecord(
          id: row["id"], sweepId: row["sweepId"], approach: row["approach"],
          params: row["params"], createdAt: try Timestamp.date(row["createdAt"]))
      }
    }
  }

  // MARK: - Laws

  /// Saves a law under its name.
  /// - Parameter replacing: overwrite a law of the same name instead of failing.
  /// - Throws: `RunStoreError.lawExists` if the name is taken and `replacing` is false.
  public func saveLaw(_ law: StoredLaw, replacing: Bool = false) throws {
    let intervals = try Self.encodeJSON(law.intervals)
    // The schema keeps the standard errors as a JSON object {E, A, B, alpha, beta[, a]}.
    var errors: [String: Double] = [:]
    if let u = law.uncertainty {
      errors = ["E": u.seE, "A": u.seA, "B": u.seB, "alpha": u.seAlpha, "beta": u.seBeta]
      errors["a"] = u.seParamsExponent
    }
    let standardErrors = try Self.encodeJSON(errors)
    let correlation = try law.uncertainty?.correlation.map { try Self.encodeJSON($0) }
    let samples = try law.uncertainty?.samples.map { try Self.encodeJSON($0) }
    let p = law.law
    try write { db in
      let existing = try Row.fetchOne(
        db, sql: "SELECT id FROM law WHERE name = ?", arguments: [law.name])
      if existing != nil {
        guard replacing else { throw RunStoreError.lawExists(law.name) }
        try db.execute(sql: "DELETE FROM law WHERE name = ?", arguments: [law.name])
      }
      try db.execute(
        sql: """
          INSERT INTO law (name, kind, E, A, B, alpha, beta, intervals, standardErrors,
            correlation, samples, provenance, createdAt)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          law.name, law.kind, p.E, p.A, p.B, p.alpha, p.beta, intervals,
          standardErrors, correlation, samples, law.provenance, Timestamp.text(law.createdAt),
        ])
    }
  }

  /// The law saved under `name`, or nil.
  public func law(named name: String) throws -> StoredLaw? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM law WHERE name = ?", arguments: [name])
        .map(Self.law)
    }
  }

  /// All saved laws, ordered by name.
  public func laws() throws -> [StoredLaw] {
    try read { db in try Row.fetchAll(db, sql: "SELECT * FROM law ORDER BY name").map(Self.law) }
  }

  /// Deletes the law saved under `name`; returns whether it existed.
  public func deleteLaw(named name: String) throws -> Bool {
    try write { db in
      try db.execute(sql: "DELETE FROM law WHERE name = ?", arguments: [name])
      return db.changesCount > 0
    }
  }

  // MARK: - Plumbing

  func write<T>(_ body: (Database) throws -> T) throws -> T {
    if mode == .readOnly { throw RunStoreError.readOnly(path: path ?? ":memory:") }
    do {
      return try writer.write(body)
    } catch let error as RunStoreError {
      throw error
    } catch {
      throw RunStoreError.database(Self.reason(error))
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try writer.read(body)
    } catch let error as RunStoreError {
      throw error
    } catch {
      throw RunStoreError.database(Self.reason(error))
    }
  }

  static func reason(_ error: any Error) -> String {
    if let e = error as? DatabaseError { return e.message ?? e.description }
    return String(describing: error)
  }

  private static func exists(_ id: Int64, _ db: Database) throws -> Bool {
    try Row.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [id]) != nil
  }

  static func insert(_ run: RunRecord, _ db: Database) throws -> Int64 {
    let values = columns(of: run)
    let names = values.map(\.0).joined(separator: ", ")
    let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
    try db.execute(
      sql: "INSERT INTO run (\(names)) VALUES (\(marks))",
      arguments: StatementArguments(values.map { $0.1 }))
    return db.lastInsertedRowID
  }

  static func insertPoints(_ points: [StoredLossPoint], runId: Int64, _ db: Database)
    throws
  {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO lossPoint
          (runId, step, tokens, trainLoss, validationLoss, learningRate, elapsed)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    for p in points {
      try statement.execute(arguments: [
        runId, p.step, p.tokens, p.trainLoss, p.validationLoss, p.learningRate, p.elapsedSeconds,
      ])
    }
  }

  /// Column name and value for every run column except `id`.
  static func columns(of r: RunRecord) -> [(String, (any DatabaseValueConvertible)?)] {
    let m = r.model
    let t = r.training
    var kind: String? = nil
    var path: String? = nil
    var lexicon: Int? = nil
    var zipf: Double? = nil
    var corpusSeed: Int64? = nil
    switch r.corpus {
    case .synthetic(let k, let s, let seed):
      kind = "synthetic"
      lexicon = k
      zipf = s
      corpusSeed = Int64(bitPattern: seed)
    case .file(let p):
      kind = "file"
      path = p
    case nil:
      break
    }
    return [
      ("sweepId", r.sweepId), ("sweepSlot", r.sweepSlot),
      ("createdAt", Timestamp.text(r.createdAt)), ("status", r.status.rawValue),
      ("layers", m?.layers), ("dModel", m?.dModel), ("heads", m?.heads),
      ("context", m?.context), ("vocab", m?.vocab),
      ("batch", t?.batch), ("tokensRequested", t?.tokens), ("learningRate", t?.learningRate),
      ("weightDecay", t?.weightDecay), ("beta1", t?.beta1), ("beta2", t?.beta2),
      ("gradClip", t?.gradClip), ("warmupSteps", t?.warmupSteps),
      ("minLRFraction", t?.minLRFraction), ("evalEvery", t?.evalEvery),
      ("evalWindows", t?.evalWindows), ("seed", t.map { Int64(bitPattern: $0.seed) }),
      ("threads", t?.threads),
      ("corpusKind", kind), ("corpusPath", path), ("lexiconSize", lexicon),
      ("zipfExponent", zipf), ("corpusSeed", corpusSeed),
      ("nonEmbeddingParams", r.nonEmbeddingParams), ("totalParams", r.totalParams),
      ("tokensTrained", r.tokensTrained), ("flops", r.flops),
      ("finalTrainLoss", r.finalTrainLoss), ("finalValidationLoss", r.finalValidationLoss),
      ("corpusEntropy", r.corpusEntropy), ("validationSampleEntropy", r.validationSampleEntropy),
      ("wallSeconds", r.wallSeconds), ("tokensPerSecond", r.tokensPerSecond),
      ("softwareVersion", r.softwareVersion), ("divergedAtStep", r.divergedAtStep),
      ("source", r.source), ("notes", r.notes),
    ]
  }

  static func run(_ row: Row) throws -> RunRecord {
    let statusText: String = row["status"]
    guard let status = RunState(rawValue: statusText) else {
      throw RunStoreError.corrupt("run status '\(statusText)'")
    }
    var model: ModelShape? = nil
    if let layers: Int = row["layers"], let d: Int = row["dModel"], let h: Int = row["heads"],
      let ctx: Int = row["context"], let vocab: Int = row["vocab"]
    {
      model = ModelShape(layers: layers, dModel: d, heads: h, context: ctx, vocab: vocab)
    }
    var training: TrainingSettings? = nil
    if let batch: Int = row["batch"], let tokens: Int = row["tokensRequested"],
      let lr: Double = row["learningRate"], let wd: Double = row["weightDecay"],
      let b1: Double = row["beta1"], let b2: Double = row["beta2"],
      let clip: Double = row["gradClip"], let minLR: Double = row["minLRFraction"],
      let evalEvery: Int = row["evalEvery"], let evalWindows: Int = row["evalWindows"],
      let seed: Int64 = row["seed"], let threads: Int = row["threads"]
    {
      training = TrainingSettings(
        batch: batch, tokens: tokens, learningRate: lr, weightDecay: wd, beta1: b1, beta2: b2,
        gradClip: clip, warmupSteps: row["warmupSteps"], minLRFraction: minLR,
        evalEvery: evalEvery, evalWindows: evalWindows, seed: UInt64(bitPattern: seed),
        threads: threads)
    }
    var corpus: CorpusDescription? = nil
    switch row["corpusKind"] as String? {
    case "synthetic":
      if let k: Int = row["lexiconSize"], let s: Double = row["zipfExponent"],
        let seed: Int64 = row["corpusSeed"]
      {
        corpus = .synthetic(lexiconSize: k, zipfExponent: s, seed: UInt64(bitPattern: seed))
      }
    case "file":
      if let p: String = row["corpusPath"] { corpus = .file(path: p) }
    default:
      break
    }
    return RunRecord(
      id: row["id"], sweepId: row["sweepId"], sweepSlot: row["sweepSlot"],
      createdAt: try Timestamp.date(row["createdAt"]), status: status, model: model,
      training: training, corpus: corpus, nonEmbeddingParams: row["nonEmbeddingParams"],
      totalParams: row["totalParams"], tokensTrained: row["tokensTrained"], flops: row["flops"],
      finalTrainLoss: row["finalTrainLoss"], finalValidationLoss: row["finalValidationLoss"],
      corpusEntropy: row["corpusEntropy"], validationSampleEntropy: row["validationSampleEntropy"],
      wallSeconds: row["wallSeconds"], tokensPerSecond: row["tokensPerSecond"],
      softwareVersion: row["softwareVersion"], divergedAtStep: row["divergedAtStep"],
      source: row["source"], notes: row["notes"])
  }

  private static func sweep(_ row: Row) throws -> SweepRecord {
    let statusText: String = row["status"]
    guard let status = SweepState(rawValue: statusText) else {
      throw RunStoreError.corrupt("sweep status '\(statusText)'")
    }
    return SweepRecord(
      id: row["id"], name: row["name"], kind: row["kind"], spec: row["spec"],
      createdAt: try Timestamp.date(row["createdAt"]), status: status)
  }

  private static func law(_ row: Row) throws -> StoredLaw {
    let intervals: [String: [Double]] = try decodeJSON(row["intervals"], "law intervals")
    let standardErrors: [String: Double] = try decodeJSON(
      row["standardErrors"], "law standard errors")
    var correlation: [[Double]]? = nil
    if let text: String = row["correlation"] {
      correlation = try decodeJSON(text, "law correlation")
    }
    var samples: [[Double]]? = nil
    if let text: String = row["samples"] {
      samples = try decodeJSON(text, "law bootstrap samples")
    }
    // Uncertainty needs all five standard errors (a law saved without them plans without
    // intervals); the correlation and refits belong to it.
    var uncertainty: ParametricUncertainty? = nil
    if let e = standardErrors["E"], let a = standardErrors["A"], let b = standardErrors["B"],
      let alpha = standardErrors["alpha"], let beta = standardErrors["beta"]
    {
      uncertainty = ParametricUncertainty(
        seE: e, seA: a, seB: b, seAlpha: alpha, seBeta: beta,
        seParamsExponent: standardErrors["a"], correlation: correlation, samples: samples)
    }
    return StoredLaw(
      name: row["name"], kind: row["kind"],
      law: ParametricLaw(
        E: row["E"], A: row["A"], B: row["B"], alpha: row["alpha"], beta: row["beta"]),
      uncertainty: uncertainty, intervals: intervals, provenance: row["provenance"],
      createdAt: try Timestamp.date(row["createdAt"]))
  }

  private static func decodeJSON<T: Decodable>(_ text: String, _ what: String) throws -> T {
    guard let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
      throw RunStoreError.corrupt("\(what) '\(text)'")
    }
    return value
  }

  private static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self)
    } catch {
      throw RunStoreError.database("law values must be finite numbers")
    }
  }
}

/// Timestamps are stored as ISO 8601 UTC text with milliseconds ("2026-11-29T04:53:31.123Z"):
/// readable in the sqlite3 shell, sortable as text.
public enum Timestamp {
  /// The stored text for a date (millisecond precision).
  public static func text(_ date: Date) -> String {
    let ms = (date.timeIntervalSince1970 * 1000).rounded()
    let whole = Date(timeIntervalSince1970: (ms / 1000).rounded(.down))
    let millis = Int(ms - (ms / 1000).rounded(.down) * 1000)
    let c = Calendar(identifier: .gregorian).dateComponents(
      in: TimeZone(identifier: "UTC") ?? TimeZone.current, from: whole)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
      c.hour ?? 0, c.minute ?? 0, c.second ?? 0, millis)
  }

  /// Parses stored text back into a date.
  /// - Throws: `RunStoreError.corrupt` if the text is not in the stored format.
  public static func date(_ text: String) throws -> Date {
    guard let d = parse(text) else { throw RunStoreError.corrupt("timestamp '\(text)'") }
    return d
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.mmm]Z`, or nil.
  public static func parse(_ text: String) -> Date? {
    let parts = text.split(whereSeparator: { "-T:.Z".contains($0) }).map { Int($0) }
    guard text.hasSuffix("Z"), parts.count == 6 || parts.count == 7, parts.allSatisfy({ $0 != nil })
    else { return nil }
    let v = parts.compactMap { $0 }
    var c = DateComponents()
    c.calendar = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "UTC")
    (c.year, c.month, c.day, c.hour, c.minute, c.second) = (v[0], v[1], v[2], v[3], v[4], v[5])
    guard let whole = c.date else { return nil }
    let millis = v.count == 7 ? Double(v[6]) : 0
    return Date(timeIntervalSince1970: whole.timeIntervalSince1970 + millis / 1000)
  }
}
