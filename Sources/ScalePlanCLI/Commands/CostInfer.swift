import ArgumentParser

/// `scaleplan infer` (not yet implemented).
public struct CostInferCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "infer", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'infer' is not implemented yet.")
  }
}
