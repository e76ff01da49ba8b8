// Nothing lost: two processes on one sweep train each slot once and delete nothing of each other's;
// an export never replaces the database in use or a file it did not create; a read-only database
// can still be read; a database from a newer schema is refused up front; SIGTERM leaves the run
// interrupted and the sweep resumable; a blown-up run is recorded as diverged; re-importing an
// export adds nothing. Each test runs the built `scaleplan` binary on a fresh database.

import Foundation
import GRDB
import RunStore
import Testing

/// Runs the binary to the end; returns its status, standard output and standard error.
func runBinary(_ binary: URL, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
  let p = Process()
  p.executableURL = binary
  p.arguments = args
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Starts the binary without waiting.
func startBinary(_ binary: URL, _ args: [String]) throws -> Process {
  let p = Process()
  p.executableURL = binary
  p.arguments = args
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  try p.run()
  return p
}

/// Polls `condition` on the database at `db` every 10 ms for up to `seconds`.
func waitFor(db: String, seconds: Double = 60, _ condition: (RunDatabase) throws -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if FileManager.default.fileExists(atPath: db), let store = try? RunDatabase(path: db),
      (try? condition(store)) == true
    {
      return true
    }
    Thread.sleep(forTimeInterval: 0.01)
  }
  return false
}

/// A one-run training command of a few hundred steps on the tiny configuration.
func tinyTrainArguments(db: String, extra: [String] = []) -> [String] {
  [
    "train", "--layers", "1", "--heads", "2", "--d-model", "16", "--ctx", "16", "--batch", "4",
    "--tokens", "20000", "--seed", "1", "--eval-every", "100", "--eval-windows", "16", "--db", db,
  ] + extra
}

@Suite("Run store safety", .serialized)
struct StoreSafetyTests {
  @Test(
    "two sweep processes on one database, started together and 0.3 s apart, train each slot once",
    .enabled(if: scaleplanBinary() != nil))
  func twoWorkers() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for delay in [0.0, 0.3] {
      let db = dir.appendingPathComponent("two-\(delay).sqlite").path
      let first = try startBinary(binary, tinySweepArguments(db: db, jobs: 1))
      if delay > 0 {
        // The second starts once the first is training a run (the case that used to delete it).
        #expect(waitFor(db: db) { try $0.runs(status: .running).count == 1 })
      }
      let second = try startBinary(binary, tinySweepArguments(db: db, jobs: 1))
      first.waitUntilExit()
      second.waitUntilExit()
      #expect(first.terminationStatus == 0, "first worker, delay \(delay)")
      #expect(second.terminationStatus == 0, "second worker, delay \(delay)")
      let store = try RunDatabase(path: db)
      let runs = try store.runs()
      // Four planned runs, each trained once: four rows, four distinct slots, all finished, and
      // ids 1…4 (a run deleted by the other worker would leave a gap or a fifth id).
      #expect(runs.count == 4, "delay \(delay): \(runs.count) runs for 4 slots")
      #expect(Set(runs.compactMap(\.sweepSlot)).count == 4)
      #expect(runs.allSatisfy { $0.status == .finished })
      #expect(runs.compactMap(\.id).sorted() == [1, 2, 3, 4], "delay \(delay)")
      #expect(try store.sweeps().map(\.status) == [.finished])
      #expect(try store.claims(sweepId: 1).isEmpty, "claims are released")
      #expect(try store.integrityCheck() == ["ok"])
    }
  }

  @Test("an export refuses the database in use and a file it did not create, unless --force",
    .enabled(if: scaleplanBinary() != nil))
  func exportGuard() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("r.sqlite").path
    #expect(try runBinary(binary, tinyTrainArguments(db: db)).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: db))

    let onto = try runBinary(binary, ["runs", "export", "--db", db, "--csv", db])
    #expect(onto.status != 0)
    #expect(onto.err.hasPrefix("Error: ") && onto.err.contains("in use"), "\(onto.err)")
    #expect(try RunDatabase(path: db).runs().count == 1)
    #expect(try RunDatabase(path: db).integrityCheck() == ["ok"])
    #expect(try Data(contentsOf: URL(fileURLWithPath: db)).count >= before.count / 2)

    // The same file under another name (a hard link) is the database too.
    let link = dir.appendingPathComponent("link.csv").path
    try FileManager.default.linkItem(atPath: db, toPath: link)
    #expect(try runBinary(binary, ["runs", "export", "--db", db, "--csv", link, "--force"]).status != 0)

    let other = dir.appendingPathComponent("notes.csv")
    try Data("my notes\n".utf8).write(to: other)
    let refused = try runBinary(binary, ["runs", "export", "--db", db, "--csv", other.path])
    #expect(refused.status != 0 && refused.err.contains("--force"), "\(refused.err)")
    #expect(try String(contentsOf: other, encoding: .utf8) == "my notes\n")
    let forced = try runBinary(binary, ["runs", "export", "--db", db, "--csv", other.path, "--force"])
    #expect(forced.status == 0, "\(forced.err)")
    #expect(try String(contentsOf: other, encoding: .utf8).hasPrefix("id,"))
  }

  @Test("a read-only database (as an unprivileged user) can be listed, shown and exported elsewhere",
    .enabled(if: scaleplanBinary() != nil))
  func readOnly() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer {
      _ = try? runBinary(URL(fileURLWithPath: "/bin/chmod"), ["-R", "u+w", dir.path])
      try? FileManager.default.removeItem(at: dir)
    }
    let db = dir.appendingPathComponent("ro.sqlite").path
    #expect(try runBinary(binary, tinyTrainArguments(db: db)).status == 0)
    #expect(try runBinary(binary, tinyTrainArguments(db: db, extra: ["--seed", "2"])).status == 0)
    // Make the file and its folder read-only; as root (where permissions do not bind) run the
    // commands as the unprivileged user `nobody`, so the operating system really refuses writes.
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    let asUser: [String]
    var binDir: URL? = nil
    defer { if let binDir { try? FileManager.default.removeItem(at: binDir) } }
    let setpriv = "/usr/bin/setpriv"
    if getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv) {
      // `nobody` must reach the binary: the build folder may sit under a private home, so run a
      // copy from a world-readable temporary folder.
      let bin = try temporaryDirectory()
      binDir = bin
      let copy = bin.appendingPathComponent("scaleplan")
      try FileManager.default.copyItem(at: binary, to: copy)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.path)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
      asUser = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", copy.path]
    } else {
      asUser = [binary.path]
    }
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
      try runBinary(URL(fileURLWithPath: asUser[0]), Array(asUser.dropFirst()) + args)
    }
    let out = dir.deletingLastPathComponent().appendingPathComponent("ro-\(getpid()).csv").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    for args in [
      ["runs", "list", "--db", db], ["runs", "show", "1", "--db", db],
      ["runs", "list", "--db", db, "--json"], ["runs", "export", "--db", db, "--csv", out],
    ] {
      let r = try run(args)
      #expect(r.status == 0, "\(args.joined(separator: " ")): \(r.err)")
      #expect(!r.err.contains("readonly"), "\(r.err)")
    }
    #expect((try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: "\n").count == 3)
    // A writing command says what is wrong in one sentence.
    let write = try run(["runs", "delete", "1", "--db", db])
    #expect(write.status != 0)
    #expect(!write.err.contains("SQLite error"), "\(write.err)")
  }

  @Test("a database written by a newer scaleplan is refused up front with a sentence",
    .enabled(if: scaleplanBinary() != nil))
  func newerSchema() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("new.sqlite").path
    #expect(try runBinary(binary, tinyTrainArguments(db: db)).status == 0)
    try DatabaseQueue(path: db).write { try $0.execute(sql: "PRAGMA user_version = 99") }
    for args in [["runs", "list", "--db", db], tinyTrainArguments(db: db)] {
      let r = try runBinary(binary, args)
      #expect(r.status != 0)
      let line = r.err.split(separator: "\n").first.map(String.init) ?? ""
      #expect(line.contains("99") && line.contains("newer"), "\(args[0]): \(line)")
      #expect(!r.err.contains("NOT NULL"))
    }
    // Nothing was written to it.
    let version = try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
    #expect(version == 99)
  }

  @Test("SIGTERM mid-run records the run as interrupted (exit 143) and a rerun resumes the sweep",
    .enabled(if: scaleplanBinary() != nil))
  func sigterm() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("term.sqlite").path
    let p = try startBinary(binary, tinySweepArguments(db: db, jobs: 1))
    #expect(
      waitFor(db: db) { s in
        guard let live = try s.runs(status: .running).first else { return false }
        return try s.lossCurve(runId: live.id ?? 0).count >= 50
      })
    kill(p.processIdentifier, SIGTERM)
    p.waitUntilExit()
    #expect(p.terminationStatus == 143)
    let store = try RunDatabase(path: db)
    #expect(try store.runs(status: .running).isEmpty, "SIGTERM must not leave a run 'running'")
    #expect(try store.runs(status: .interrupted).count == 1)
    #expect(try store.integrityCheck() == ["ok"])
    let resumed = try runBinary(binary, tinySweepArguments(db: db, jobs: 1))
    #expect(resumed.status == 0, "\(resumed.err)")
    let runs = try RunDatabase(path: db).runs()
    #expect(runs.count == 4 && runs.allSatisfy { $0.status == .finished })
  }

  @Test("--lr 10 is recorded diverged (smoothed loss above ln V + 1 nat), not finished",
    .enabled(if: scaleplanBinary() != nil))
  func diverged() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("lr.sqlite").path
    let r = try runBinary(binary, tinyTrainArguments(db: db, extra: ["--lr", "10"]))
    #expect(r.status != 0)
    #expect(r.err.contains("diverged"), "\(r.err)")
    let run = try #require(try RunDatabase(path: db).runs().first)
    #expect(run.status == .diverged)
    // Uniform guessing over 256 byte values scores ln 256 = 5.545 nats; the rule's ceiling is
    // one nat above, and the run was stopped as soon as its smoothed loss passed it.
    #expect((run.finalTrainLoss ?? 0) > log(256.0) + 1)
    // A healthy learning rate on the same configuration finishes.
    let ok = try runBinary(binary, tinyTrainArguments(db: db, extra: ["--seed", "3"]))
    #expect(ok.status == 0, "\(ok.err)")
  }

  @Test("re-importing an export adds nothing and says how many it skipped",
    .enabled(if: scaleplanBinary() != nil))
  func reimport() throws {
    guard let binary = scaleplanBinary() else { return }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("im.sqlite").path
    for seed in ["1", "2", "3"] {
      #expect(try runBinary(binary, tinyTrainArguments(db: db, extra: ["--seed", seed])).status == 0)
    }
    let csv = dir.appendingPathComponent("runs.csv").path
    #expect(try runBinary(binary, ["runs", "export", "--db", db, "--csv", csv]).status == 0)
    let again = try runBinary(binary, ["runs", "import", csv, "--db", db, "--json"])
    #expect(again.status == 0, "\(again.err)")
    let answer = try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as? [String: Any]
    #expect((answer?["imported"] as? Int) == 0)
    #expect((answer?["skipped"] as? Int) == 3)
    #expect(try RunDatabase(path: db).runs().count == 3)
    // Into a fresh database the same file imports all three, and a second time none.
    let fresh = dir.appendingPathComponent("fresh.sqlite").path
    let first = try runBinary(binary, ["runs", "import", csv, "--db", fresh, "--json"])
    let firstAnswer = try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any]
    #expect((firstAnswer?["imported"] as? Int) == 3, "\(first.err)")
    _ = try runBinary(binary, ["runs", "import", csv, "--db", fresh])
    #expect(try RunDatabase(path: fresh).runs().count == 3)
  }
}
