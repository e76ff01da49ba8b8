import ArgumentParser

/// `scaleplan sweep` (not yet implemented).
public struct SweepCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "sweep", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'sweep' is not implemented yet.")
  }
}
