// Whole-sweep progress as data, for every face that shows a running sweep: runs done, the runs
// in flight with their step and loss, and an ETA from the FLOP rate of this invocation (runs kept
// from an earlier invocation count as done but not towards the rate). A run's FLOPs are the
// plan's C = 6·N·D (Kaplan et al. 2020, §2.1); a run in flight counts its finished fraction.

import Foundation
import Lab
import RunStore

/// Progress of one sweep invocation, fed its `SweepEvent`s.
public struct SweepProgress: Sendable {
  /// A run in flight.
  public struct Live: Sendable, Equatable {
    public var slot: Int
    public var label: String
    public var step: Int
    public var steps: Int
    /// The latest training loss (NaN before the first step).
    public var loss: Double
  }

  /// Runs to do in this sweep (runnable slots).
  public let total: Int
  /// Runs done: kept, finished or diverged.
  public private(set) var done = 0
  private var doneFLOPs = 0.0
  private var keptFLOPs = 0.0
  private var live: [Int: Live] = [:]
  private let totalFLOPs: Double
  private let flopsBySlot: [Int: Double]

  /// Progress of `plan` before any event.
  public init(plan: SweepPlan) {
    total = plan.runnable.count
    totalFLOPs = plan.runnable.map(\.flops).reduce(0, +)
    flopsBySlot = Dictionary(plan.runnable.map { ($0.slot, $0.flops) }, uniquingKeysWith: +)
  }

  /// Takes one event of the sweep.
  public mutating func record(_ event: SweepEvent) {
    switch event {
    case .kept(let p, _):
      done += 1
      doneFLOPs += flopsBySlot[p.slot] ?? 0
      keptFLOPs += flopsBySlot[p.slot] ?? 0
    case .started(let p, _, _):
      live[p.slot] = Live(slot: p.slot, label: p.label, step: 0, steps: p.steps, loss: .nan)
    case .progress(let p, let progress):
      live[p.slot] = Live(
        slot: p.slot, label: p.label, step: progress.step, steps: progress.steps,
        loss: progress.trainLoss)
    case .ended(let p, let r):
      live[p.slot] = nil
      if r.status != .interrupted {
        done += 1
        doneFLOPs += flopsBySlot[p.slot] ?? 0
      }
    }
  }

  /// The runs in flight, by slot.
  public var running: [Live] { live.values.sorted { $0.slot < $1.slot } }

  /// FLOPs done so far, counting the finished fraction of each run in flight.
  public var flopsDone: Double {
    running.reduce(doneFLOPs) { acc, l in
      acc + (flopsBySlot[l.slot] ?? 0) * Double(l.step) / Double(max(l.steps, 1))
    }
  }

  /// Seconds left at this invocation's FLOP rate after `elapsed` seconds, or nil before there is
  /// a rate.
  public func secondsLeft(elapsed: Double) -> Double? {
    let flops = flopsDone
    let rate = (flops - keptFLOPs) / max(elapsed, 1e-9)
    guard rate > 0, rate.isFinite else { return nil }
    let left = (totalFLOPs - flops) / rate
    return left.isFinite ? max(left, 0) : nil
  }
}
