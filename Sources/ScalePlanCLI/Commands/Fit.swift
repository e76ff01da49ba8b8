import ArgumentParser

/// `scaleplan fit` (not yet implemented).
public struct FitCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "fit", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'fit' is not implemented yet.")
  }
}
