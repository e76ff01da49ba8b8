// Which stored run an imported one is: its content, not its id. Ids belong to one database (an
// export's ids collide with the target's own), so an import recognises a run it already holds by
// its configuration, seed and measurements — the canonical text of every stored column except
// the ones that say where and when a copy was made (id, sweep link, creation time, source file,
// notes) or how fast one machine ran it (wall time, throughput, threads).

import Foundation
import GRDB

extension RunRecord {
  /// The run's identity for imports: model, training settings (seed included), corpus, state and
  /// every measured count and loss, as canonical text (numbers as exact bit patterns). Two runs
  /// with the same key are the same result, whatever database or file they came from.
  public var contentKey: String {
    let skipped: Set<String> = [
      "sweepId", "sweepSlot", "createdAt", "source", "notes", "wallSeconds", "tokensPerSecond",
      "threads",
    ]
    return RunDatabase.columns(of: self).filter { !skipped.contains($0.0) }.map { name, value in
      name + "=" + RunDatabase.canonical(value)
    }.joined(separator: ";")
  }
}

/// What an import stored.
public struct ImportOutcome: Sendable, Equatable {
  /// Ids of the runs inserted, in file order.
  public var ids: [Int64]
  /// Runs of the file the database already held (same `contentKey`), not inserted again.
  public var skipped: Int
}

extension RunDatabase {
  /// Inserts runs with their curves, all or nothing (one transaction), except those the
  /// database already holds: a run is skipped when a stored run has the same `contentKey`, as
  /// many times as the database holds that key (so a file with two identical rows imported twice
  /// still gives two runs, and importing the same export again adds none).
  public func importRuns(_ runs: [(run: RunRecord, curve: [StoredLossPoint])]) throws
    -> ImportOutcome
  {
    try write { db in
      var held: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT * FROM run") {
        held[try Self.run(row).contentKey, default: 0] += 1
      }
      var ids: [Int64] = []
      var skipped = 0
      for (run, curve) in runs {
        let key = run.contentKey
        if let n = held[key], n > 0 {
          held[key] = n - 1
          skipped += 1
          continue
        }
        let id = try Self.insert(run, db)
        try Self.insertPoints(curve, runId: id, db)
        ids.append(id)
      }
      return ImportOutcome(ids: ids, skipped: skipped)
    }
  }

  /// A column value as exact text: doubles by bit pattern, nil as "-".
  static func canonical(_ value: (any DatabaseValueConvertible)?) -> String {
    guard let value else { return "-" }
    switch value.databaseValue.storage {
    case .null: return "-"
    case .int64(let i): return "i" + String(i)
    case .double(let d): return "d" + String(d.bitPattern, radix: 16)
    case .string(let s): return "s" + s.count.description + ":" + s
    case .blob(let b): return "b" + b.base64EncodedString()
    }
  }
}
