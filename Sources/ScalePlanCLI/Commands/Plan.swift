import ArgumentParser

/// `scaleplan plan` (not yet implemented).
public struct PlanCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "plan", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'plan' is not implemented yet.")
  }
}
