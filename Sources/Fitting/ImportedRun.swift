// The fitter's input from a file of runs: one observation (N, D, final loss), its training
// compute and the line it came from. Files are read by Lab's `RunImport` (the one import path, for
// `fit --csv` and `runs import` alike); this module knows numbers, not files.

import Foundation

/// One run read from a file, as the fitter takes it.
public struct ImportedRun: Sendable, Equatable {
  /// N, D, L.
  public var observation: Observation
  /// Training compute: the file's FLOP value if given, else 6·N·D.
  public var compute: Double
  /// The line of the file the run came from (1-based), used to label residuals.
  public var line: Int

  /// Creates an imported run.
  public init(observation: Observation, compute: Double, line: Int) {
    self.observation = observation
    self.compute = compute
    self.line = line
  }
}
