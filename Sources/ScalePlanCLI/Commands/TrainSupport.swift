// Helpers shared by `train` and `sweep`: Ctrl-C and SIGTERM handling, the stderr progress line,
// and corpus and quantity options.

import ArgumentParser
import Dispatch
import UseCases
import Foundation
import Lab
import MiniGPT
import Planner

/// Ctrl-C and SIGTERM for `train` and `sweep` (Lab's `StopSignals`): the first signal asks the
/// trainer to stop after its current step (everything measured so far is written, the run is
/// `interrupted`); a second one exits at once (the database stays consistent — the run is left
/// `running`).
final class InterruptWatcher {
  private let signals = StopSignals { line in
    FileHandle.standardError.write(Data(("\n" + line + "\n").utf8))
  }

  /// The flag the trainer watches.
  var flag: StopFlag { signals.flag }

  /// The exit status after a stop: 130 for Ctrl-C, 143 for SIGTERM.
  var exitStatus: Int32 { signals.exitStatus }

  /// Restores the default SIGINT and SIGTERM behaviour.
  func cancel() { signals.cancel() }
}

/// A progress line on standard error: redrawn in place with \r on a terminal, otherwise printed
/// as plain lines at most every `plainInterval` seconds (and when `force` is set).
final class ProgressLine: @unchecked Sendable {
  private let isTTY = isatty(STDERR_FILENO) == 1
  private let lock = NSLock()
  private var lastDraw = Date.distantPast
  private var drawn = false
  private let plainInterval: Double

  init(plainInterval: Double = 5) { self.plainInterval = plainInterval }

  func update(_ text: String, force: Bool = false) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    let interval = isTTY ? 0.1 : plainInterval
    guard force || now.timeIntervalSince(lastDraw) >= interval else { return }
    lastDraw = now
    if isTTY {
      FileHandle.standardError.write(Data(("\r" + text + "\u{1B}[K").utf8))
      drawn = true
    } else {
      FileHandle.standardError.write(Data((text + "\n").utf8))
    }
  }

  /// Ends the in-place line (a newline on a terminal).
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if isTTY && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    drawn = false
  }

  /// A message on its own line.
  func message(_ text: String) {
    finish()
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}


/// `--corpus PATH | --synthetic-zipf S --lexicon K [--corpus-seed N]`.
public struct CorpusOptions: ParsableArguments {
  @Option(
    name: .long, help: "Train on this text file (bytes as tokens); 'synthetic' for the default.")
  public var corpus: String?
  @Option(name: .long, help: "Zipf exponent s of the synthetic corpus (default 1.5).")
  public var syntheticZipf: Double?
  @Option(name: .long, help: "Lexicon size K of the synthetic corpus (default 10000).")
  public var lexicon: Int?
  @Option(name: .long, help: "Seed of the synthetic lexicon and validation text (default 0).")
  public var corpusSeed: UInt64?

  public init() {}

  /// The corpus these options describe.
  /// - Throws: `ValidationError` for contradictory or out-of-range values.
  public func spec() throws -> CorpusSpec {
    let syntheticFlags = syntheticZipf != nil || lexicon != nil || corpusSeed != nil
    if let corpus, corpus != "synthetic" {
      guard !syntheticFlags else {
        throw ValidationError(
          "--corpus FILE cannot be combined with --synthetic-zipf, --lexicon or --corpus-seed; drop one."
        )
      }
      // Checked here, before a run or a sweep is recorded, so a missing file leaves nothing behind.
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: corpus)
      else {
        throw ValidationError(
          "Cannot read corpus file '\(corpus)': no readable file there; check the path and permissions.")
      }
      return .file(path: corpus)
    }
    guard case .synthetic(let defaultK, let defaultS, let defaultSeed) = TrainRequest.Defaults.corpus
    else { return TrainRequest.Defaults.corpus }
    let s = syntheticZipf ?? defaultS
    let k = lexicon ?? defaultK
    guard s.isFinite, s > 0 else {
      throw ValidationError("--synthetic-zipf must be a positive exponent such as 1.5, got \(s).")
    }
    guard k >= 2 else { throw ValidationError("--lexicon must be at least 2 words, got \(k).") }
    return .synthetic(lexiconSize: k, zipfExponent: s, seed: corpusSeed ?? defaultSeed)
  }
}

/// Parses a comma-separated list of quantities such as `3e11,1e12` or `12K,40K`.
func quantityList(_ text: String, name: String) throws -> [Double] {
  let parts = text.split(separator: ",").map(String.init)
  guard !parts.isEmpty else { throw ValidationError("\(name) needs at least one value.") }
  return try parts.map { try Quantity.parsePositive($0, name: name) }
}
