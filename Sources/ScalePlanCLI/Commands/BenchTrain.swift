import ArgumentParser

/// `scaleplan bench train` (not yet implemented).
public struct BenchTrainCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'bench train' is not implemented yet.")
  }
}
