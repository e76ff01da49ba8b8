// Sweep running and resuming with a fake runner (no training), and RunRecorder with a real but
// tiny MiniGPT run: the row is `running` first, the curve is stored, Ctrl-C ends `interrupted`.

import Foundation
import Lab
import MiniGPT
import RunStore
import Synchronization
import Testing

/// A grid of 2 sizes × 2 token counts that needs no minimum steps.
func tinySpec() -> SweepSpec {
  SweepSpec(
    kind: .grid, params: [3_312, 6_592], tokens: [640, 1_280], batch: 4, context: 16,
    evalEvery: 5, evalWindows: 4, minimumSteps: 0)
}

/// A runner that records a finished run without training; its loss is a function of the slot,
/// so results can be compared. Slots in `interruptAt` end `interrupted` and set the stop flag,
/// as Ctrl-C or a kill would leave them.
final class FakeRunner: Sendable {
  let store: RunDatabase
  let interruptAt: Set<Int>
  let calls = Mutex<[Int]>([])

  init(store: RunDatabase, interruptAt: Set<Int> = []) {
    self.store = store
    self.interruptAt = interruptAt
  }

  var runner: SweepRunner.Runner {
    { [self] planned, sweepId, stop, _ in
      calls.withLock { $0.append(planned.slot) }
      let interrupted = interruptAt.contains(planned.slot)
      if interrupted { stop.stop() }
      var record = RunRecord(
        sweepId: sweepId, sweepSlot: planned.slot, createdAt: Date(timeIntervalSince1970: 0),
        status: interrupted ? .interrupted : .finished, model: RunRecorder.shape(planned.model),
        training: RunRecorder.settings(planned.train),
        corpus: RunRecorder.description(planned.corpus), nonEmbeddingParams: planned.achievedParams,
        tokensTrained: Double(planned.tokens), finalValidationLoss: 1 + Double(planned.slot) / 10)
      record.id = try store.insertRun(record)
      return record
    }
  }
}

@Suite("Sweep running and resume")
struct SweepRunnerTests {
  @Test("resume decision keeps finished and diverged runs and redoes the rest")
  func resumeDecision() throws {
    // Given a 4-slot plan and stored runs: slot 0 finished, 1 diverged, 2 interrupted,
    // 3 running (killed), plus a stray duplicate of slot 0 that is still running
    let plan = try SweepPlan(spec: tinySpec()).runnable
    func stored(_ slot: Int, _ status: RunState, id: Int64) -> RunRecord {
      let p = plan[slot]
      return RunRecord(
        id: id, sweepId: 1, sweepSlot: slot, createdAt: Date(timeIntervalSince1970: 0),
        status: status, model: RunRecorder.shape(p.model), training: RunRecorder.settings(p.train),
        corpus: RunRecorder.description(p.corpus), nonEmbeddingParams: p.achievedParams,
        tokensTrained: Double(p.tokens))
    }
    let existing = [
      stored(0, .finished, id: 10), stored(1, .diverged, id: 11), stored(2, .interrupted, id: 12),
      stored(3, .running, id: 13), stored(0, .running, id: 14),
    ]
    // When deciding
    let d = ResumeDecision(plan: plan, existing: existing)
    // Then 0 and 1 are kept, 2 and 3 redone, and the partial rows (12, 13, 14) discarded
    #expect(d.kept.keys.sorted() == [0, 1])
    #expect(d.kept[0]?.id == 10)
    #expect(d.redo.map(\.slot) == [2, 3])
    #expect(d.discard == [12, 13, 14])
  }

  @Test("a finished run whose configuration differs from the plan is not kept")
  func resumeChecksConfiguration() throws {
    let plan = try SweepPlan(spec: tinySpec()).runnable
    var settings = RunRecorder.settings(plan[0].train)
    settings.learningRate *= 2
    let wrong = RunRecord(
      id: 1, sweepId: 1, sweepSlot: 0, createdAt: Date(timeIntervalSince1970: 0),
      status: .finished, model: RunRecorder.shape(plan[0].model), training: settings,
      corpus: RunRecorder.description(plan[0].corpus), nonEmbeddingParams: 1, tokensTrained: 1)
    let d = ResumeDecision(plan: plan, existing: [wrong])
    #expect(d.kept.isEmpty)
    #expect(d.redo.count == plan.count)
    #expect(d.discard == [1])
  }

  @Test("an interrupted sweep resumed with the same spec ends like an uninterrupted one")
  func interruptedThenResumed() throws {
    // Given an uninterrupted sweep run with a fake runner
    let reference = try RunDatabase.inMemory()
    let plan = try SweepPlan(spec: tinySpec())
    let (refSweep, _) = try SweepRunner.openSweep(
      spec: tinySpec(), name: nil, resumeId: nil, store: reference,
      now: Date(timeIntervalSince1970: 0))
    let refOutcome = try SweepRunner.run(
      plan: plan, sweep: refSweep, resumed: false, store: reference, stop: StopFlag(),
      runner: FakeRunner(store: reference).runner)
    #expect(refOutcome.status == .finished)

    // When the same sweep is interrupted during slot 1 …
    let store = try RunDatabase.inMemory()
    let first = FakeRunner(store: store, interruptAt: [1])
    let (sweep, resumed) = try SweepRunner.openSweep(
      spec: tinySpec(), name: nil, resumeId: nil, store: store,
      now: Date(timeIntervalSince1970: 0))
    #expect(!resumed)
    let stopped = try SweepRunner.run(
      plan: plan, sweep: sweep, resumed: false, store: store, stop: StopFlag(),
      runner: first.runner)
    #expect(stopped.status == .interrupted)
    #expect(first.calls.withLock { $0 } == [0, 1])
    #expect(try store.sweep(id: sweep.id ?? 0)?.status == .interrupted)

    // … and re-run under the same (default) name
    let second = FakeRunner(store: store)
    let (again, resumedNow) = try SweepRunner.openSweep(
      spec: tinySpec(), name: nil, resumeId: nil, store: store,
      now: Date(timeIntervalSince1970: 1))
    #expect(resumedNow && again.id == sweep.id)
    let outcome = try SweepRunner.run(
      plan: plan, sweep: again, resumed: true, store: store, stop: StopFlag(),
      runner: second.runner)

    // Then slot 0 was kept, 1–3 were (re)done, the interrupted row is gone, and the results
    // match the uninterrupted sweep slot by slot
    #expect(second.calls.withLock { $0 } == [1, 2, 3])
    #expect(outcome.keptSlots == [0])
    #expect(outcome.status == .finished)
    let runs = try store.runs(sweepId: sweep.id)
    #expect(runs.count == 4)
    #expect(runs.allSatisfy { $0.status == .finished })
    let losses = Dictionary(uniqueKeysWithValues: runs.map { ($0.sweepSlot ?? -1, $0.finalLoss) })
    let refLosses = Dictionary(
      uniqueKeysWithValues: try reference.runs().map { ($0.sweepSlot ?? -1, $0.finalLoss) })
    #expect(losses == refLosses)
  }

  @Test("resume by id uses the stored spec; a different spec under the same name is refused")
  func resumeById() throws {
    let store = try RunDatabase.inMemory()
    let (sweep, _) = try SweepRunner.openSweep(
      spec: tinySpec(), name: "mine", resumeId: nil, store: store,
      now: Date(timeIntervalSince1970: 0))
    let (byId, resumed) = try SweepRunner.openSweep(
      spec: nil, name: nil, resumeId: sweep.id, store: store, now: Date(timeIntervalSince1970: 0))
    #expect(resumed && byId.id == sweep.id)
    var other = tinySpec()
    other.seed = 9
    #expect(throws: RunStoreError.sweepExists("mine")) {
      try SweepRunner.openSweep(
        spec: other, name: "mine", resumeId: nil, store: store, now: Date(timeIntervalSince1970: 0))
    }
    #expect(throws: SweepError.self) {
      try SweepRunner.openSweep(
        spec: nil, name: nil, resumeId: 99, store: store, now: Date(timeIntervalSince1970: 0))
    }
  }

  @Test("two jobs train every slot once, with one thread each")
  func twoJobs() throws {
    let store = try RunDatabase.inMemory()
    let plan = try SweepPlan(spec: tinySpec())
    let (sweep, _) = try SweepRunner.openSweep(
      spec: tinySpec(), name: nil, resumeId: nil, store: store,
      now: Date(timeIntervalSince1970: 0))
    let fake = FakeRunner(store: store)
    let outcome = try SweepRunner.run(
      plan: plan, sweep: sweep, resumed: false, store: store, jobs: 2, stop: StopFlag(),
      runner: fake.runner)
    #expect(fake.calls.withLock { $0 }.sorted() == [0, 1, 2, 3])
    #expect(outcome.status == .finished)
    #expect(try store.runs().allSatisfy { $0.training?.threads == 1 })
  }

  @Test("two jobs take the runs largest first; one job keeps slot order")
  func largestFirst() throws {
    // Given the 2 × 2 grid: 1×16 (N 3,312, F_K = 6·3,312 + 6·16·16 = 21,408 per token) and
    // 2×16 (N 6,592, F_K = 6·6,592 + 6·2·16·16 = 42,624) at 640 and 1,280 tokens, so by hand
    // slot 3 (54.6M FLOPs) > slot 1 (27.40M) > slot 2 (27.28M) > slot 0 (13.7M)
    let plan = try SweepPlan(spec: tinySpec())
    #expect(plan.runs.map(\.flops) == [13_701_120, 27_402_240, 27_279_360, 54_558_720])
    for (jobs, expected) in [(2, [3, 1, 2, 0]), (1, [0, 1, 2, 3])] {
      let store = try RunDatabase.inMemory()
      let (sweep, _) = try SweepRunner.openSweep(
        spec: tinySpec(), name: nil, resumeId: nil, store: store,
        now: Date(timeIntervalSince1970: 0))
      // When it runs, recording which slot each queue position (`index`) took
      let started = Mutex<[Int: Int]>([:])
      _ = try SweepRunner.run(
        plan: plan, sweep: sweep, resumed: false, store: store, jobs: jobs, stop: StopFlag(),
        runner: FakeRunner(store: store).runner
      ) { event in
        if case .started(let p, let index, _) = event {
          started.withLock { $0[index] = p.slot }
        }
      }
      // Then the queue is in decreasing FLOPs with two jobs, in slot order with one
      let order = started.withLock { m in m.keys.sorted().compactMap { m[$0] } }
      #expect(order == expected, "jobs \(jobs)")
    }
  }
}

@Suite("RunRecorder")
struct RunRecorderTests {
  static let request = RunRequest(
    model: GPTConfig(layers: 1, dModel: 16, heads: 1, context: 16),
    train: TrainConfig(
      batch: 4, tokens: 64 * 30, learningRate: 1e-2, evalEvery: 10, evalWindows: 4),
    corpus: .synthetic(lexiconSize: 1_000, zipfExponent: 1.5, seed: 0))

  @Test("a run is stored as running first, then finished with its whole curve")
  func recordsRun() throws {
    // Given a store and a 30-step run
    let store = try RunDatabase.inMemory()
    let seenRunning = Mutex(false)
    // When it trains, the row already exists (as running) during the first step
    let record = try RunRecorder.train(
      Self.request, store: store, now: { Date(timeIntervalSince1970: 42) }
    ) { p in
      if p.step == 1 {
        let live = try? store.runs(status: .running)
        seenRunning.withLock { $0 = live?.count == 1 }
      }
    }
    #expect(seenRunning.withLock { $0 })
    // Then it ends finished with 30 points, 3 of them with validation loss, and the counts
    let id = try #require(record.id)
    let stored = try #require(try store.run(id: id))
    #expect(stored == record)
    #expect(stored.status == .finished)
    #expect(stored.createdAt == Date(timeIntervalSince1970: 42))
    #expect(stored.tokensTrained == 1_920)
    #expect(stored.nonEmbeddingParams == 3_312)  // 12·16² + 13·16 + 2·16
    let curve = try store.lossCurve(runId: id)
    #expect(curve.map(\.step) == Array(1...30))
    #expect(curve.filter { $0.validationLoss != nil }.count == 3)
    #expect(stored.finalValidationLoss == curve.last?.validationLoss)
  }

  @Test("the same request twice gives bit-identical stored losses")
  func deterministic() throws {
    let store = try RunDatabase.inMemory()
    let a = try RunRecorder.train(Self.request, store: store)
    let b = try RunRecorder.train(Self.request, store: store)
    #expect(a.finalTrainLoss == b.finalTrainLoss)
    #expect(a.finalValidationLoss == b.finalValidationLoss)
    let ca = try store.lossCurve(runId: a.id ?? 0).map(\.trainLoss)
    let cb = try store.lossCurve(runId: b.id ?? 0).map(\.trainLoss)
    #expect(ca == cb)
  }

  @Test("stopping mid-run records it as interrupted with what was measured")
  func interrupted() throws {
    let store = try RunDatabase.inMemory()
    let stop = StopFlag()
    let record = try RunRecorder.train(Self.request, store: store, stop: stop) { p in
      if p.step == 12 { stop.stop() }
    }
    #expect(record.status == .interrupted)
    #expect(try store.lossCurve(runId: record.id ?? 0).count == 12)
    #expect(record.tokensTrained == 12 * 64)
  }

  @Test("a bad configuration stores nothing")
  func badConfiguration() throws {
    let store = try RunDatabase.inMemory()
    var bad = Self.request
    bad.model.heads = 3  // 16 is not divisible by 3
    #expect(throws: MiniGPTError.self) { try RunRecorder.train(bad, store: store) }
    #expect(try store.runs().isEmpty)
  }
}
