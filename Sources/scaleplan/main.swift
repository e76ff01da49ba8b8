import ScalePlanCLI

await ScalePlanCommand.runMain()
