import ArgumentParser

/// `scaleplan bench fit` (not yet implemented).
public struct BenchFitCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "fit", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'bench fit' is not implemented yet.")
  }
}
