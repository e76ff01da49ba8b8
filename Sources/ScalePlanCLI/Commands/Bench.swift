import ArgumentParser

/// `scaleplan bench` (hidden): kernel and trainer benchmarks, correctness checked before timing.
public struct BenchCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks (checked before timed).", shouldDisplay: false)
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'bench' is not implemented yet.")
  }
}
