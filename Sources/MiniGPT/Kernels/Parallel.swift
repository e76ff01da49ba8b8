// Work splitting for the non-GEMM kernels: contiguous ranges of independent items (rows, heads,
// parameter chunks) spread over `threads` workers with DispatchQueue.concurrentPerform.
// Determinism rule: an item's result never depends on which worker computes it or on how many
// workers there are; reductions across items use fixed chunks, combined in a fixed order.

import Dispatch

enum Parallel {
  /// Calls `body(range, worker)` for `threads` contiguous slices of 0..<count (fewer when items
  /// are scarce: each worker gets at least `minItems`). `worker` is in 0..<threads and indexes
  /// per-worker scratch. With one worker, runs inline on the calling thread.
  static func forEach(
    _ count: Int, threads: Int, minItems: Int = 1, _ body: (Range<Int>, Int) -> Void
  ) {
    let workers = max(1, min(threads, count / max(1, minItems)))
    if workers == 1 {
      body(0..<count, 0)
      return
    }
    withoutActuallyEscaping(body) { body in
      // The kernels hand each worker disjoint output ranges of raw buffers; the closure is
      // only ever called during this function, so sharing it across workers is safe.
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        let lo = count * w / workers
        let hi = count * (w + 1) / workers
        body(lo..<hi, w)
      }
    }
  }

  /// Calls `body(lo, hi)` for up to `threads` bands of whole 64-row chunks of 0..<rows (one
  /// worker when `work` is below 4 MFLOP, where a wake-up costs more than it saves).
  static func rowBands(
    _ rows: Int, threads: Int, flops work: Int, _ body: (Int, Int) -> Void
  ) {
    let R = Linear.chunkRows
    let units = (rows + R - 1) / R
    forEach(units, threads: Linear.workers(flops: work, units: units, threads: threads)) {
      range, _ in
      let lo = range.lowerBound * R
      let hi = min(rows, range.upperBound * R)
      if lo < hi { body(lo, hi) }
    }
  }
}
