// Input bounds and the finiteness check: the inputs that used to trap or print inf/nan are refused
// with one sentence naming the flag and the bound, in the layer every face shares; answers inside
// the bounds stay as before; and the finiteness check finds a non-finite field wherever it sits.

import Foundation
import Planner
import TestSupport
import Testing
import UseCases

@Suite struct InputBoundsTests {
  /// The message of the `RequestError.invalid` thrown by `body`, or nil.
  func sentence(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let e as RequestError {
      return e.description
    } catch {
      return "\(error)"
    }
  }

  @Test(
    "Inputs that trapped or printed inf/nan are refused naming the flag and the bound",
    arguments: [
      ("cost train --params 1e30", "--params must be at most 1e15"),
      ("cost infer --prompt 1e30", "--prompt must be at most"),
      ("cost finetune --params 1e308", "--params must be at most 1e15"),
      ("cost finetune --d-model 1e7", "--d-model must be at most"),
      ("plan --target-loss 1e308", "--target-loss must be at most 100"),
      ("plan --budget 1e300", "--budget must be at most 1e15"),
      ("loss --tokens 1e40", "--tokens must be at most 1e17"),
      ("cost train --layers 2^40", "--layers must be at most"),
    ])
  func refused(_ c: (String, String)) throws {
    let engine = Engine()
    let message: String?
    switch c.0 {
    case "cost train --params 1e30":
      message = sentence {
        _ = try engine.costTrain(CostTrainRequest(params: 1e30, tokens: 1.4e12, gpu: "h100"))
      }
    case "cost infer --prompt 1e30":
      message = sentence {
        _ = try engine.costInfer(
          CostInferRequest(model: CostModelSpec(model: "llama2-70b"), gpu: "h100", prompt: 1e30))
      }
    case "cost finetune --params 1e308":
      message = sentence {
        _ = try engine.costFinetune(
          CostFinetuneRequest(model: CostModelSpec(params: 1e308), method: .qlora, gpu: "a6000"))
      }
    case "cost finetune --d-model 1e7":
      message = sentence {
        _ = try engine.costFinetune(
          CostFinetuneRequest(
            model: CostModelSpec(params: 7e9, architecture: ArchitectureSpec(dModel: 10_000_000)),
            method: .qlora, gpu: "a6000"))
      }
    case "plan --target-loss 1e308":
      message = sentence {
        _ = try engine.inferenceAwarePlan(PlanRequest(targetLoss: 1e308, inferenceTokens: 2e12))
      }
    case "plan --budget 1e300":
      message = sentence { _ = try engine.plan(PlanRequest(budget: 1e300, gpu: "h100")) }
    case "loss --tokens 1e40":
      message = sentence { _ = try engine.loss(LossRequest(params: 7e10, tokens: 1e40)) }
    default:
      message = sentence {
        _ = try engine.costTrain(
          CostTrainRequest(
            tokens: 1e12, gpu: "h100",
            architecture: ArchitectureSpec(layers: 1 << 40, dModel: 1024, heads: 8, vocab: 32000)))
      }
    }
    let m = try #require(message, "\(c.0) was accepted")
    #expect(m.contains(c.1), "\(c.0): \(m)")
    #expect(!m.contains("\n") && m.count < 400, "\(c.0): not one short sentence: \(m)")
  }

  @Test("Values at the bound are accepted and give finite answers (1e15 params, 1e17 tokens)")
  func atTheBound() throws {
    let r = try Engine().costTrain(CostTrainRequest(params: 1e15, tokens: 1e17, gpu: "h100"))
    // 6·N·D by hand.
    #expect(isClose(r.flops, 6e32, rel: 1e-12))
    #expect(r.costUSD.map { $0.isFinite && $0 > 0 } ?? false)
  }

  @Test("The bound check refuses non-positive and non-finite values with the old sentence")
  func notPositive() {
    for v in [0.0, -1, .nan, .infinity, -.infinity] {
      #expect(throws: RequestError.self) { try InputBounds.params.check(v, "--params") }
    }
    #expect(throws: RequestError.self) { try InputBounds.batch.check(0, "--batch") }
    #expect(throws: RequestError.self) { try InputBounds.batch.check(Int.max, "--batch") }
    #expect(throws: Never.self) { try InputBounds.batch.check(1 << 20, "--batch") }
  }

  struct Inner { var a = 1.0; var b: Double? = .infinity }
  struct Outer { var name = "x"; var values = [1.0, 2.0]; var inner = Inner() }

  @Test("requireFinite finds a nested non-finite field and names it")
  func finiteness() throws {
    do {
      _ = try requireFinite(Outer(), inputs: "--x")
      Issue.record("an infinite field passed")
    } catch let e as RequestError {
      #expect(e.description.contains("inner.b"), "\(e)")
      #expect(e.description.contains("--x"))
    }
    var ok = Outer()
    ok.inner.b = nil
    #expect(try requireFinite(ok, inputs: "--x").values == [1, 2])
    var nanInArray = Outer()
    nanInArray.inner.b = 3
    nanInArray.values = [1, .nan]
    #expect(throws: RequestError.self) { try requireFinite(nanInArray, inputs: "--x") }
  }
}
