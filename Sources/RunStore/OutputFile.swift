// Writing an export without losing data: an existing file is replaced only when the caller says
// so (`--force`), and the database in use — its main file, its WAL and shared-memory files — is
// never a target, whether it is named by the same path, another relative path, a symbolic link
// or a hard link (compared by device and inode, and by resolved path for a file not yet there).

import Foundation

/// Safe writing of export files next to a run database.
public enum OutputFile {
  /// Writes `text` to `path` (atomically: a temporary file in the same directory, then a rename
  /// or link).
  /// - Parameters:
  ///   - force: replace an existing file (never the database in use).
  ///   - protecting: database paths that must never be written (the store in use).
  /// - Throws: `RunStoreError.refusedOutput` with one sentence: the target is the database in
  ///   use, it exists and `force` is false, or it cannot be written.
  public static func write(
    _ text: String, to path: String, force: Bool, protecting databases: [String]
  ) throws {
    for db in databases where refersToDatabase(path, database: db) {
      throw RunStoreError.refusedOutput(
        "'\(path)' is the run database in use (\(db)); write the export to another file.")
    }
    let fm = FileManager.default
    let exists = fm.fileExists(atPath: path) || entryExists(path)
    if exists && !force {
      throw RunStoreError.refusedOutput(
        "'\(path)' already exists; pass --force to replace it or choose another file.")
    }
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    guard fm.createFile(atPath: temp.path, contents: Data(text.utf8)) else {
      throw RunStoreError.refusedOutput(
        "Cannot write '\(path)'; check the directory exists and is writable.")
    }
    defer { try? fm.removeItem(at: temp) }
    if force {
      guard rename(temp.path, path) == 0 else {
        throw RunStoreError.refusedOutput(
          "Cannot replace '\(path)' (\(String(cString: strerror(errno)))); check it is writable.")
      }
    } else {
      // link(2) fails when the target exists, so a file created meanwhile is not replaced.
      guard link(temp.path, path) == 0 else {
        let e = errno
        throw RunStoreError.refusedOutput(
          e == EEXIST
            ? "'\(path)' already exists; pass --force to replace it or choose another file."
            : "Cannot write '\(path)' (\(String(cString: strerror(e)))); check the directory.")
      }
    }
  }

  /// Whether `path` names `database` or one of its companion files (-wal, -shm, -journal).
  public static func refersToDatabase(_ path: String, database: String) -> Bool {
    let companions = ["", "-wal", "-shm", "-journal"].map { database + $0 }
    if let target = identity(path) {
      for c in companions where identity(c) == target { return true }
    }
    let resolvedTarget = resolved(path)
    return companions.contains { resolved($0) == resolvedTarget }
  }

  /// Device and inode of the file at `path` (following symbolic links), or nil.
  static func identity(_ path: String) -> [UInt64]? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return [UInt64(st.st_dev), UInt64(st.st_ino)]
  }

  /// The absolute path with symbolic links resolved in its directory part and, when the file
  /// exists, in the file itself.
  static func resolved(_ path: String) -> String {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    if FileManager.default.fileExists(atPath: url.path) {
      return url.resolvingSymlinksInPath().path
    }
    let dir = url.deletingLastPathComponent().resolvingSymlinksInPath()
    return dir.appendingPathComponent(url.lastPathComponent).path
  }

  static func entryExists(_ path: String) -> Bool {  // also a dangling symbolic link
    var st = stat()
    return lstat(path, &st) == 0
  }
}
