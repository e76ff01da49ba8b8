import ScalePlanCLI

ScalePlanCommand.main()
