import ArgumentParser

/// `scaleplan project` (not yet implemented).
public struct ProjectCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "project", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'project' is not implemented yet.")
  }
}
