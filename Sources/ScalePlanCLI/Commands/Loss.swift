import ArgumentParser

/// `scaleplan loss` (not yet implemented).
public struct LossCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "loss", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'loss' is not implemented yet.")
  }
}
