import ArgumentParser

/// `scaleplan finetune` (not yet implemented).
public struct CostFinetuneCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "finetune", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'finetune' is not implemented yet.")
  }
}
