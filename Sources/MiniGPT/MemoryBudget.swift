// A training run is refused before it starts when it cannot fit in the memory this process may
// use (the smaller of the machine's memory and the address-space limit, `ulimit -v`), so a size
// that would die of an allocation failure mid-run gets one sentence instead.

import Foundation

/// The memory check run before training.
public enum MemoryBudget {
  /// Bytes this process may use: physical memory, or RLIMIT_AS when it is lower.
  public static func available() -> Double {
    var physical = Double(ProcessInfo.processInfo.physicalMemory)
    var limit = rlimit()
    if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < UInt64(1) << 62 {
      physical = min(physical, Double(limit.rlim_cur))
    }
    return physical
  }

  /// Checks that `model` trained with `batch` sequences per step, scored on `evalWindows`
  /// validation windows, fits in half the available memory (the rest is the program, the corpus
  /// and the allocator's slack).
  /// - Throws: `MiniGPTError.invalid` with the estimate and what is available.
  public static func check(model: GPTConfig, batch: Int, evalWindows: Int) throws {
    let bytes =
      model.estimatedTrainingBytes(batch: batch) + Double(evalWindows) * Double(model.context + 1)
    let budget = available() / 2
    guard bytes <= budget else {
      throw MiniGPTError.invalid(
        "this run needs about \(String(format: "%.3g", bytes / 1e9)) GB (weights, AdamW state and "
          + "one step's activations) but \(String(format: "%.3g", budget / 1e9)) GB is available; "
          + "lower --batch, --ctx, --d-model or --layers")
    }
  }
}
