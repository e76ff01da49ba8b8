import ArgumentParser

/// `scaleplan catalog` (not yet implemented).
public struct CatalogCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "catalog", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'catalog' is not implemented yet.")
  }
}
