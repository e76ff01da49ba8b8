// Claims on sweep slots, so several workers (two `scaleplan sweep` processes on one database)
// share a sweep without training a slot twice or deleting each other's runs. A worker takes a
// slot in one write transaction — only when nobody holds it, or its holder is gone — and from
// then on is the only one that may delete or write that slot's runs. A claim is a lease: its
// holder renews `heartbeatAt` while it works, and a claim is void when its holder's process is
// dead (same host: the pid is gone or now belongs to a process started at another time) or its
// heartbeat is older than the lease (any host).

import Foundation
import GRDB

/// The process that holds claims: host name, pid and the process's start time (Linux: field 22
/// of /proc/PID/stat, in clock ticks since boot), which together tell a live holder from a dead
/// one whose pid was reused.
public struct WorkerIdentity: Sendable, Equatable, Codable {
  /// The host the worker runs on.
  public var host: String
  /// The worker's process id.
  public var pid: Int32
  /// When the process started (text; empty where the platform cannot say).
  public var processStart: String

  /// Creates an identity.
  public init(host: String, pid: Int32, processStart: String) {
    self.host = host
    self.pid = pid
    self.processStart = processStart
  }

  /// This process.
  public static func current() -> WorkerIdentity {
    let pid = getpid()
    return WorkerIdentity(host: hostName(), pid: pid, processStart: startTime(of: pid) ?? "")
  }

  /// "pid 123 on host" for messages.
  public var description: String { "pid \(pid) on \(host)" }

  /// Whether this worker's process still runs, as seen from a process on the same host: the pid
  /// exists and (where the platform tells start times) started when the claim says.
  public func isRunningOnThisHost() -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    guard !processStart.isEmpty, let now = Self.startTime(of: pid) else { return true }
    return now == processStart
  }

  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Field 22 (starttime) of /proc/PID/stat, or nil off Linux or for a missing process.
  static func startTime(of pid: Int32) -> String? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // Fields after "(comm)" start at field 3 (state); starttime is field 22.
    let rest = text[text.index(after: close)...].split(separator: " ")
    return rest.count > 19 ? String(rest[19]) : nil
  }
}

/// How a worker claims slots: who it is, how long a claim lasts without a heartbeat, its clock,
/// and how it tells whether a holder on the same host still runs.
public struct ClaimPolicy: Sendable {
  /// The claiming worker.
  public var worker: WorkerIdentity
  /// A claim whose heartbeat is older than this is void, whatever its host (seconds).
  public var leaseSeconds: Double
  /// The clock.
  public var now: @Sendable () -> Date
  /// Whether a holder on this host still runs; the default asks the operating system.
  public var isRunning: @Sendable (WorkerIdentity) -> Bool

  /// The default lease: 120 s. The holder renews every `leaseSeconds / 6` (20 s) from a timer
  /// independent of training steps, so a slow step does not void a live claim; 120 s is long
  /// enough to ride out a busy database (writes wait up to 10 s for the lock) several times.
  public static let defaultLeaseSeconds = 120.0

  /// Creates a policy (by default: this process, a 120 s lease, the system clock).
  public init(
    worker: WorkerIdentity = .current(), leaseSeconds: Double = ClaimPolicy.defaultLeaseSeconds,
    now: @escaping @Sendable () -> Date = { Date() },
    isRunning: @escaping @Sendable (WorkerIdentity) -> Bool = { $0.isRunningOnThisHost() }
  ) {
    self.worker = worker
    self.leaseSeconds = leaseSeconds
    self.now = now
    self.isRunning = isRunning
  }

  /// Whether a claim still binds: it is ours, or its heartbeat is within the lease and (on this
  /// host) its process runs.
  func isLive(_ claim: SlotClaim) -> Bool {
    if claim.worker == worker { return true }
    if now().timeIntervalSince(claim.heartbeatAt) > leaseSeconds { return false }
    if claim.worker.host == worker.host { return isRunning(claim.worker) }
    return true
  }
}

/// A stored claim on a sweep slot.
public struct SlotClaim: Sendable, Equatable {
  /// The sweep.
  public var sweepId: Int64
  /// The slot in the sweep's plan.
  public var slot: Int
  /// Who holds it.
  public var worker: WorkerIdentity
  /// When it was taken.
  public var claimedAt: Date
  /// When its holder last renewed it.
  public var heartbeatAt: Date
}

/// What claiming a slot found.
public enum SlotClaimResult: Sendable, Equatable {
  /// The slot is ours to train; `discarded` are the ids of its partial runs that were deleted.
  case claimed(discarded: [Int64])
  /// The slot already has a complete run (kept); `discarded` are duplicates that were deleted.
  case complete(RunRecord, discarded: [Int64])
  /// Another live worker holds it.
  case held(by: WorkerIdentity)
}

extension RunDatabase {
  /// Claims a slot of a sweep in one transaction. When the slot has a run for which
  /// `isComplete` holds (the lowest id wins), nothing is claimed and the slot's other runs are
  /// deleted unless another live worker holds the slot. Otherwise, when no live worker holds
  /// it, the claim becomes ours and the slot's runs (partial, interrupted, or of another plan)
  /// are deleted; when one does, nothing changes.
  public func claimSlot(
    sweepId: Int64, slot: Int, policy: ClaimPolicy, isComplete: (RunRecord) -> Bool
  ) throws -> SlotClaimResult {
    try write { db in
      let runs = try Row.fetchAll(
        db, sql: "SELECT * FROM run WHERE sweepId = ? AND sweepSlot = ? ORDER BY id",
        arguments: [sweepId, slot]
      ).map(Self.run)
      let claim = try Self.claim(sweepId: sweepId, slot: slot, db)
      let heldByOther = claim.map { $0.worker != policy.worker && policy.isLive($0) } ?? false
      if let done = runs.first(where: isComplete) {
        guard !heldByOther else { return .complete(done, discarded: []) }
        let extra = runs.compactMap(\.id).filter { $0 != done.id }
        try Self.delete(runIds: extra, db)
        if claim != nil {
          try db.execute(
            sql: "DELETE FROM claim WHERE sweepId = ? AND slot = ?", arguments: [sweepId, slot])
        }
        return .complete(done, discarded: extra)
      }
      if heldByOther, let claim { return .held(by: claim.worker) }
      let ids = runs.compactMap(\.id)
      try Self.delete(runIds: ids, db)
      let now = Timestamp.text(policy.now())
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO claim (sweepId, slot, host, pid, processStart, claimedAt,
            heartbeatAt) VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          sweepId, slot, policy.worker.host, Int64(policy.worker.pid),
          policy.worker.processStart, now, now,
        ])
      return .claimed(discarded: ids)
    }
  }

  /// Gives up our claim on a slot (after its run ended, however it ended).
  public func releaseClaim(sweepId: Int64, slot: Int, worker: WorkerIdentity) throws {
    try write { db in
      try db.execute(
        sql: "DELETE FROM claim WHERE sweepId = ? AND slot = ? AND host = ? AND pid = ? "
          + "AND processStart = ?",
        arguments: [sweepId, slot, worker.host, Int64(worker.pid), worker.processStart])
    }
  }

  /// Renews the heartbeat of every claim `worker` holds; returns how many.
  @discardableResult
  public func renewClaims(worker: WorkerIdentity, now: Date) throws -> Int {
    try write { db in
      try db.execute(
        sql: "UPDATE claim SET heartbeatAt = ? WHERE host = ? AND pid = ? AND processStart = ?",
        arguments: [Timestamp.text(now), worker.host, Int64(worker.pid), worker.processStart])
      return db.changesCount
    }
  }

  /// The claims on a sweep's slots, by slot.
  public func claims(sweepId: Int64) throws -> [SlotClaim] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM claim WHERE sweepId = ? ORDER BY slot", arguments: [sweepId]
      ).map(Self.decodeClaim)
    }
  }

  static func claim(sweepId: Int64, slot: Int, _ db: Database) throws -> SlotClaim? {
    try Row.fetchOne(
      db, sql: "SELECT * FROM claim WHERE sweepId = ? AND slot = ?", arguments: [sweepId, slot]
    ).map(decodeClaim)
  }

  static func decodeClaim(_ row: Row) throws -> SlotClaim {
    let pid: Int64 = row["pid"]
    return SlotClaim(
      sweepId: row["sweepId"], slot: row["slot"],
      worker: WorkerIdentity(
        host: row["host"], pid: Int32(truncatingIfNeeded: pid), processStart: row["processStart"]),
      claimedAt: try Timestamp.date(row["claimedAt"]),
      heartbeatAt: try Timestamp.date(row["heartbeatAt"]))
  }

  static func delete(runIds: [Int64], _ db: Database) throws {
    for id in runIds { try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id]) }
  }
}
