// GET /api/v1: the use cases the API answers, each with its command-line equivalent and an
// example request that the tests send (so every example here is known to work).

import Foundation

/// The API's self-description.
enum APIDescription {
  /// One use case: its path name, what it answers, the command it mirrors, an example request.
  struct UseCase: Encodable, Sendable {
    var name: String
    var summary: String
    var command: String
    var example: [String: Example]
  }

  /// A JSON value of an example request.
  enum Example: Encodable, Sendable {
    case number(Double)
    case text(String)
    case flag(Bool)
    case object([String: Example])

    func encode(to encoder: Encoder) throws {
      var c = encoder.singleValueContainer()
      switch self {
      case .number(let v): try c.encode(v)
      case .text(let v): try c.encode(v)
      case .flag(let v): try c.encode(v)
      case .object(let v): try c.encode(v)
      }
    }
  }

  /// Every use case with an example.
  static let useCases: [UseCase] = [
    UseCase(
      name: "plan", summary: "Compute-optimal N* and D* for a budget, compute, N, D or target loss",
      command: "scaleplan plan --budget '$10M' --gpu h100",
      example: ["budget": .number(1e7), "gpu": .text("h100")]),
    UseCase(
      name: "plan-inference-aware",
      summary: "The model that reaches a target loss at least total cost with inference tokens",
      command: "scaleplan plan --target-loss 2.0 --inference-tokens 2T",
      example: ["target_loss": .number(2.0), "inference_tokens": .number(2e12)]),
    UseCase(
      name: "plan-frontier",
      summary: "Every law's N*(C) and D*(C) with bands, and the isoFLOP valley at one compute",
      command: "(the Plan page's charts)",
      example: [
        "compute_min": .number(1e20), "compute_max": .number(1e26), "isoflop_compute": .number(1e24),
      ]),
    UseCase(
      name: "loss", summary: "Predicted loss of a model of N parameters trained on D tokens",
      command: "scaleplan loss --params 70B --tokens 1.4T",
      example: ["params": .number(7e10), "tokens": .number(1.4e12)]),
    UseCase(
      name: "cost-train", summary: "Accelerator-hours, days, dollars, energy and memory of a run",
      command: "scaleplan cost train --model gpt3 --gpu v100",
      example: ["model": .text("gpt3"), "gpu": .text("v100")]),
    UseCase(
      name: "cost-infer", summary: "Serving cost per query and per 1M tokens, latency and memory",
      command: "scaleplan cost infer --model llama2-70b --gpu h100 --precision int4",
      example: [
        "model": .object(["model": .text("llama2-70b")]), "gpu": .text("h100"),
        "precision": .text("int4"),
      ]),
    UseCase(
      name: "cost-finetune", summary: "Memory of full, LoRA or QLoRA fine-tuning",
      command: "scaleplan cost finetune --model llama2-7b --method qlora --gpu a6000",
      example: [
        "model": .object(["model": .text("llama2-7b")]), "method": .text("qlora"),
        "gpu": .text("a6000"),
      ]),
    UseCase(
      name: "project", summary: "Frontier training compute and cost by a year, with 80% intervals",
      command: "scaleplan project --year 2030 --compute 3.15e23",
      example: ["year": .number(2030), "compute": .number(3.15e23)]),
    UseCase(
      name: "runway",
      summary: "The year training sets outgrow the stock of public human text",
      command: "scaleplan runway --overtrain 5",
      example: ["overtrain": .number(5)]),
  ]

  /// The description's JSON.
  static let json: Data = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    struct Body: Encodable {
      var use_cases: [UseCase]
      var errors: String
    }
    let body = Body(
      use_cases: useCases,
      errors: "A request the engine refuses is answered 400 with {\"error\": sentence}, the "
        + "sentence the command line prints; an unknown use case 404; a body over 65,536 bytes 413.")
    return (try? encoder.encode(body)) ?? Data("{}".utf8)
  }()
}
