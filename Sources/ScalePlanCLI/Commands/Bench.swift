import ArgumentParser

/// `scaleplan bench` (hidden): kernel, trainer and fit benchmarks, each checked before timed.
public struct BenchCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks (correctness checked before timing).",
    shouldDisplay: false,
    subcommands: [
      BenchGemmCommand.self, BenchTrainCommand.self, BenchFitCommand.self, BenchRecordCommand.self,
    ])
  public init() {}
}
