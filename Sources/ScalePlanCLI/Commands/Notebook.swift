import ArgumentParser

/// `scaleplan notebook` (not yet implemented).
public struct NotebookCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "notebook", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'notebook' is not implemented yet.")
  }
}
