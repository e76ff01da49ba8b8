import ScalePlanCLI

ScalePlanCommand.runMain()
