// Running a sweep: one stored sweep row, each runnable configuration trained and recorded with its
// slot, either one run at a time with both cores or two at once with one core each. Resuming keeps
// the finished and diverged runs of each slot and redoes the rest (deleting their partial rows),
// so — runs being deterministic for a seed — a killed and resumed sweep ends with the same runs
// and losses as one that was never interrupted.

import Foundation
import MiniGPT
import RunStore
import Synchronization

/// What resuming a sweep does with the runs already stored for it.
public struct ResumeDecision: Sendable, Equatable {
  /// Slot → the finished or diverged run that is kept.
  public var kept: [Int: RunRecord]
  /// The configurations still to train, in slot order.
  public var redo: [PlannedRun]
  /// Ids of stored runs to delete: unfinished runs of planned slots, and duplicates.
  public var discard: [Int64]

  /// Decides, for each runnable configuration, whether a stored run completes it. A run
  /// completes a slot when it is `finished` or `diverged` and trained that slot's model, token
  /// count, learning rate and seed; the lowest such id wins and any other run of the slot is
  /// discarded. Runs of slots outside the plan are left alone.
  public init(plan: [PlannedRun], existing: [RunRecord]) {
    var kept: [Int: RunRecord] = [:]
    var redo: [PlannedRun] = []
    var discard: [Int64] = []
    for planned in plan {
      let mine = existing.filter { $0.sweepSlot == planned.slot }.sorted {
        ($0.id ?? 0) < ($1.id ?? 0)
      }
      let done = mine.first { r in
        (r.status == .finished || r.status == .diverged) && ResumeDecision.matches(r, planned)
      }
      if let done {
        kept[planned.slot] = done
      } else {
        redo.append(planned)
      }
      discard += mine.compactMap { $0.id }.filter { $0 != done?.id }
    }
    self.kept = kept
    self.redo = redo
    self.discard = discard.sorted()
  }

  /// One run per sweep slot: the lowest-id finished or diverged run of the slot, else its
  /// lowest-id run; runs without a slot are all kept. A database written while two workers
  /// could train one slot twice (before slot claims) then still counts each planned run once.
  public static func onePerSlot(_ runs: [RunRecord]) -> [RunRecord] {
    var chosen: [Int: RunRecord] = [:]
    var out: [RunRecord] = []
    for r in runs.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
      guard let slot = r.sweepSlot else {
        out.append(r)
        continue
      }
      let complete = { (x: RunRecord) in x.status == .finished || x.status == .diverged }
      if let c = chosen[slot], complete(c) || !complete(r) { continue }
      chosen[slot] = r
    }
    out += chosen.values
    return out
  }

  static func matches(_ r: RunRecord, _ p: PlannedRun) -> Bool {
    guard let m = r.model, let t = r.training else { return false }
    return m == RunRecorder.shape(p.model) && t.tokens == p.train.tokens
      && t.learningRate == p.train.learningRate && t.seed == p.train.seed
      && t.batch == p.train.batch && r.corpus == RunRecorder.description(p.corpus)
  }
}

/// Progress of a sweep, reported from the worker threads.
public enum SweepEvent: Sendable {
  /// A slot was already complete and is kept.
  case kept(PlannedRun, RunRecord)
  /// A run started (`index` counts runs started in this invocation, from 1).
  case started(PlannedRun, index: Int, of: Int)
  /// A step of a run finished.
  case progress(PlannedRun, TrainProgress)
  /// A run ended (finished, diverged or interrupted).
  case ended(PlannedRun, RunRecord)
}

/// How a sweep invocation ended.
public struct SweepOutcome: Sendable {
  /// The sweep's id.
  public var sweepId: Int64
  /// Whether this invocation resumed an existing sweep.
  public var resumed: Bool
  /// The final state of the sweep.
  public var status: SweepState
  /// Slot → run, for every completed slot (kept or trained now).
  public var runs: [Int: RunRecord]
  /// Slots kept from before.
  public var keptSlots: [Int]
  /// Slots trained in this invocation.
  public var trainedSlots: [Int]
}

/// Runs sweeps against a `RunDatabase`.
public enum SweepRunner {
  /// Trains one configuration and records it; the default is `RunRecorder.train`.
  /// Arguments: the configuration (with `threads` already set), sweep id, the stop flag and a
  /// progress sink. Returns the stored record.
  public typealias Runner =
    @Sendable (
      _ run: PlannedRun, _ sweepId: Int64, _ stop: StopFlag,
      _ progress: @escaping @Sendable (TrainProgress) -> Void
    ) throws -> RunRecord

  /// The real runner: MiniGPT training recorded in `store`.
  public static func miniGPTRunner(store: RunDatabase, now: @escaping @Sendable () -> Date) -> Runner {
    { planned, sweepId, stop, progress in
      try RunRecorder.train(
        RunRequest(model: planned.model, train: planned.train, corpus: planned.corpus),
        store: store, sweepId: sweepId, sweepSlot: planned.slot, now: now, stop: stop,
        onProgress: progress)
    }
  }

  /// Finds the sweep to resume or creates it: `resumeId` picks a stored sweep (its own spec is
  /// used); otherwise a sweep of the same `name` is resumed when its spec is identical.
  /// - Returns: the sweep record and whether it already existed.
  /// - Throws: `RunStoreError.sweepExists` when the name holds a different spec,
  ///   `SweepError.invalid` for an unknown `resumeId`.
  public static func openSweep(
    spec: SweepSpec?, name: String?, resumeId: Int64?, store: RunDatabase, now: Date
  ) throws -> (SweepRecord, resumed: Bool) {
    if let resumeId {
      guard let s = try store.sweep(id: resumeId) else {
        throw SweepError.invalid(
          "No sweep has id \(resumeId); see 'scaleplan sweep list' for the sweep ids.")
      }
      return (s, true)
    }
    guard let spec else { throw SweepError.invalid("Give a sweep spec or --resume ID.") }
    let name = name ?? spec.defaultName
    if let existing = try store.sweep(named: name) {
      guard let stored = try? SweepSpec.stored(in: existing), stored == spec else {
        throw RunStoreError.sweepExists(name)
      }
      return (existing, true)
    }
    let record = SweepRecord(
      name: name, kind: spec.kind.rawValue, spec: spec.json(), createdAt: now, status: .running)
    let id: Int64
    do {
      id = try store.insertSweep(record)
    } catch RunStoreError.sweepExists(_) {
      // Another worker created it between our look-up and our insert: join it if it is ours.
      guard let existing = try store.sweep(named: name),
        let stored = try? SweepSpec.stored(in: existing), stored == spec
      else { throw RunStoreError.sweepExists(name) }
      return (existing, true)
    }
    var out = record
    out.id = id
    return (out, false)
  }

  /// Runs (or resumes) the sweep: keeps complete slots, deletes partial runs, trains the rest.
  ///
  /// Every slot is claimed in the database before it is touched (`RunDatabase.claimSlot`), so
  /// several workers — other processes included — can run one sweep together: each slot is
  /// trained by one worker, no worker deletes a run another live worker holds, and a worker that
  /// runs out of free slots waits for the held ones (taking over any whose holder died) until
  /// the whole plan is complete or `stop` is set.
  /// - Parameters:
  ///   - jobs: 1 (one run at a time, in slot order, with `threadsPerRunAlone` threads) or 2 (two
  ///     runs at once with one thread each, the largest first).
  ///   - claims: who this worker is and how long a claim lasts; the heartbeat renews our claims
  ///     every `leaseSeconds / 6`.
  ///   - pollSeconds: how long a worker waits before asking again for a slot someone else holds.
  ///   - runner: trains one configuration; tests pass a fake.
  ///   - onEvent: progress; called from worker threads.
  /// - Throws: the first error a run throws (other runs already started finish first).
  public static func run(
    plan: SweepPlan, sweep: SweepRecord, resumed: Bool, store: RunDatabase, jobs: Int = 1,
    threadsPerRunAlone: Int = 2, claims: ClaimPolicy = ClaimPolicy(), pollSeconds: Double = 1,
    stop: StopFlag, runner: @escaping Runner,
    onEvent: @escaping @Sendable (SweepEvent) -> Void = { _ in }
  ) throws -> SweepOutcome {
    guard let sweepId = sweep.id else { throw SweepError.invalid("The sweep has no id.") }
    guard !plan.runnable.isEmpty else {
      throw SweepError.noRunnableRuns(minimumSteps: plan.spec.minimumSteps)
    }
    // What is complete now, for the count of runs to train; the claims below decide for real.
    let decision = ResumeDecision(plan: plan.runnable, existing: try store.runs(sweepId: sweepId))
    try store.setSweepStatus(id: sweepId, .running)

    let jobs = max(1, min(2, jobs))
    let threads = jobs == 1 ? max(1, threadsPerRunAlone) : 1
    var order = plan.runnable
    if jobs > 1 {
      // Longest first (by FLOPs, then slot), so two workers do not end with one core idle on a
      // long run; every run is deterministic for its seed, so the order changes no result.
      order.sort { ($0.flops, -$0.slot) > ($1.flops, -$1.slot) }
    }
    let queue = order.map { p -> PlannedRun in
      var q = p
      q.train.threads = threads
      return q
    }
    let state = Mutex(WorkState(pending: queue))
    let total = decision.redo.count
    let heartbeat = DispatchSource.makeTimerSource(queue: .global())
    let interval = max(0.05, claims.leaseSeconds / 6)
    heartbeat.schedule(deadline: .now() + interval, repeating: interval)
    heartbeat.setEventHandler { _ = try? store.renewClaims(worker: claims.worker, now: claims.now()) }
    heartbeat.resume()
    defer { heartbeat.cancel() }

    let work: @Sendable (Int) -> Void = { _ in
      while true {
        let next: PlannedRun? = state.withLock { s in
          guard !s.pending.isEmpty, s.error == nil, !stop.isStopped else { return nil }
          return s.pending.removeFirst()
        }
        guard let planned = next else { return }
        let claim: SlotClaimResult
        do {
          claim = try store.claimSlot(
            sweepId: sweepId, slot: planned.slot, policy: claims,
            isComplete: { r in
              (r.status == .finished || r.status == .diverged) && ResumeDecision.matches(r, planned)
            })
        } catch {
          state.withLock { s in if s.error == nil { s.error = SendableError(error: error) } }
          return
        }
        switch claim {
        case .complete(let r, _):
          state.withLock { $0.kept[planned.slot] = r }
          onEvent(.kept(planned, r))
          continue
        case .held:
          // Someone else trains it: ask again later (it ends complete, or its holder dies).
          state.withLock { $0.pending.append(planned) }
          let until = Date().addingTimeInterval(pollSeconds)
          while Date() < until && !stop.isStopped { Thread.sleep(forTimeInterval: 0.05) }
          continue
        case .claimed:
          break
        }
        let index = state.withLock { s in
          s.started += 1
          return s.started
        }
        onEvent(.started(planned, index: index, of: max(total, index)))
        do {
          let record = try runner(planned, sweepId, stop) { onEvent(.progress(planned, $0)) }
          try? store.releaseClaim(sweepId: sweepId, slot: planned.slot, worker: claims.worker)
          state.withLock { $0.results[planned.slot] = record }
          onEvent(.ended(planned, record))
        } catch {
          try? store.releaseClaim(sweepId: sweepId, slot: planned.slot, worker: claims.worker)
          state.withLock { s in if s.error == nil { s.error = SendableError(error: error) } }
          return
        }
      }
    }
    if jobs == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: jobs, execute: work)
    }
    let (results, keptNow, failure) = state.withLock { ($0.results, $0.kept, $0.error) }
    if let failure {
      try? store.setSweepStatus(id: sweepId, .interrupted)
      throw failure.error
    }
    var all = keptNow
    var trained: [Int] = []
    for (slot, r) in results {
      if r.status == .finished || r.status == .diverged {
        all[slot] = r
        trained.append(slot)
      }
    }
    let complete = plan.runnable.allSatisfy { all[$0.slot] != nil }
    let status: SweepState = complete ? .finished : .interrupted
    try store.setSweepStatus(id: sweepId, status)
    return SweepOutcome(
      sweepId: sweepId, resumed: resumed, status: status, runs: all,
      keptSlots: keptNow.keys.sorted(), trainedSlots: trained.sorted())
  }

  struct WorkState: ~Copyable {
    var pending: [PlannedRun]
    var started = 0
    var kept: [Int: RunRecord] = [:]
    var results: [Int: RunRecord] = [:]
    var error: SendableError? = nil
  }

  struct SendableError: @unchecked Sendable {
    var error: any Error
  }
}
