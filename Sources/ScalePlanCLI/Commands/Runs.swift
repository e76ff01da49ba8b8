import ArgumentParser

/// `scaleplan runs` (not yet implemented).
public struct RunsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'runs' is not implemented yet.")
  }
}
