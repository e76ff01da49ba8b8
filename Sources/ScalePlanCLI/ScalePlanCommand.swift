// The `scaleplan` command tree. Each subcommand lives in Commands/<Name>.swift and stays thin:
// parse, call a library function, render a table or JSON.

import ArgumentParser

/// The root command.
public struct ScalePlanCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "scaleplan",
    abstract: "Scaling-law and cost planning for language models.",
    discussion: """
      How big a model for this budget (plan, loss, cost train)? What will it cost by year Y \
      (project, runway, cost infer, cost finetune)? What laws do my small runs follow (train, \
      sweep, fit, runs)? Every command takes --json; most take --explain.
      """,
    subcommands: [
      PlanCommand.self, LossCommand.self, CostCommand.self, ProjectCommand.self,
      RunwayCommand.self, TrainCommand.self, SweepCommand.self, FitCommand.self,
      RunsCommand.self, NotebookCommand.self, CatalogCommand.self, BenchCommand.self,
      ServeCommand.self,
    ])

  public init() {}
}

/// `scaleplan cost train|infer|finetune`.
public struct CostCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "cost",
    abstract: "Training, inference and fine-tuning cost.",
    subcommands: [CostTrainCommand.self, CostInferCommand.self, CostFinetuneCommand.self])
  public init() {}
}
