import Testing

@Test func ScalePlanCLITestsBuilds() {
  #expect(Bool(true))
}
