import ArgumentParser

/// `scaleplan train` (not yet implemented).
public struct CostTrainCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'train' is not implemented yet.")
  }
}
