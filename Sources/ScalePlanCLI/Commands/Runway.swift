import ArgumentParser

/// `scaleplan runway` (not yet implemented).
public struct RunwayCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "runway", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'runway' is not implemented yet.")
  }
}
