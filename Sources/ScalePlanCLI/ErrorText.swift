// What a failing command prints: one line, the project's own sentence. Values the user typed are
// echoed escaped (newlines and control characters as \n, \u{…}) and cut to a readable length;
// file-system errors are translated from Foundation's domain codes into what failed, on which
// path, and what to do.

import ArgumentParser
import Foundation

/// Turns any error a command can throw into the one line the CLI prints.
public enum ErrorText {
  /// The longest run of non-space characters echoed in full; longer runs are cut.
  public static let longestEcho = 80
  /// The longest message printed; longer ones are cut at a word boundary.
  public static let longestMessage = 400

  /// The sentence for `error` as the command tree `command` would print it, made safe to print
  /// on one line.
  public static func line(for error: Error, command: any ParsableCommand.Type) -> String {
    let raw: String
    if let translated = fileSystemSentence(error) {
      raw = translated
    } else {
      raw = command.message(for: error)
    }
    return sanitized(raw)
  }

  /// Escapes control characters, cuts over-long words and the message as a whole.
  public static func sanitized(_ text: String) -> String {
    var escaped = ""
    for scalar in text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars {
      switch scalar {
      case "\n": escaped += "\\n"
      case "\r": escaped += "\\r"
      case "\t": escaped += "\\t"
      default:
        if scalar.properties.generalCategory == .control
          || scalar.properties.generalCategory == .format
        {
          escaped += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          escaped.unicodeScalars.append(scalar)
        }
      }
    }
    let words = escaped.split(separator: " ", omittingEmptySubsequences: false).map { word in
      word.count > longestEcho
        ? String(word.prefix(longestEcho - 20)) + "…(\(word.count) characters)"
        : String(word)
    }
    var out = words.joined(separator: " ")
    if out.count > longestMessage {
      out = String(out.prefix(longestMessage - 1)) + "…"
    }
    return out
  }

  /// A sentence for Foundation's file errors (which print as `NSCocoaErrorDomain … UserInfo=…`
  /// otherwise), or nil for other errors.
  public static func fileSystemSentence(_ error: Error) -> String? {
    let ns = error as NSError
    guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
    let path =
      (ns.userInfo[NSFilePathErrorKey] as? String)
      ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
    let what = path.map { "'\($0)'" } ?? "a file"
    switch ns.domain == NSCocoaErrorDomain ? CocoaError.Code(rawValue: ns.code) : nil {
    case .some(.fileNoSuchFile), .some(.fileReadNoSuchFile):
      return "\(what) does not exist; check the path."
    case .some(.fileReadNoPermission):
      return "\(what) cannot be read: permission denied."
    case .some(.fileWriteNoPermission):
      return "\(what) cannot be written: permission denied; choose another path."
    case .some(.fileWriteOutOfSpace):
      return "\(what) cannot be written: the disk is full."
    case .some(.fileWriteFileExists):
      return "\(what) already exists; choose another path."
    case .some(.fileWriteVolumeReadOnly):
      return "\(what) cannot be written: the volume is read-only."
    case .some(.fileReadCorruptFile), .some(.fileReadInapplicableStringEncoding):
      return "\(what) cannot be read as text (is it UTF-8?)."
    case .some(.fileReadTooLarge):
      return "\(what) is too large to read."
    default:
      if ns.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(ns.code)) {
        return "A file operation on \(what) failed: \(String(cString: strerror(code.rawValue)))."
      }
      return "A file operation on \(what) failed (Foundation error \(ns.code))."
    }
  }
}

extension ScalePlanCommand {
  /// Parses the command line, runs the command, and on failure prints one sanitised line on
  /// standard error (plus ArgumentParser's usage hint for parse errors) with its exit code.
  public static func runMain(_ arguments: [String]? = nil) async -> Never {
    do {
      var command = try parseAsRoot(arguments)
      do {
        if var asynchronous = command as? AsyncParsableCommand {
          try await asynchronous.run()
        } else {
          try command.run()
        }
      } catch let error as ValidationError {
        // A command that checks its request in `run` (so that ArgumentParser's unknown-option
        // check comes first) keeps the usage lines a `validate()` refusal would print.
        let text =
          "Error: " + ErrorText.sanitized(error.message) + "\n"
          + usageLines(for: type(of: command))
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
      }
      exit(withError: nil)
    } catch {
      let code = exitCode(for: error)
      // Help and version requests are not errors: ArgumentParser prints them as it does.
      if code == .success { exit(withError: error) }
      // A command that already printed its own message exits with its code alone.
      if error is ExitCode { Foundation.exit(code.rawValue) }
      var text = "Error: " + ErrorText.line(for: error, command: self) + "\n"
      let full = fullMessage(for: error)
      for line in full.split(separator: "\n", omittingEmptySubsequences: false)
      where line.hasPrefix("Usage: ") || line.hasPrefix("  See '") {
        text += ErrorText.sanitized(String(line)) + "\n"
      }
      FileHandle.standardError.write(Data(text.utf8))
      Foundation.exit(code.rawValue)
    }
  }
}

extension ScalePlanCommand {
  /// The "Usage:" and "See '… --help'" lines ArgumentParser prints for `command`'s validation
  /// errors, for refusals thrown from `run`.
  static func usageLines(for command: ParsableCommand.Type) -> String {
    var path: [String] = []
    func find(_ node: ParsableCommand.Type, _ trail: [String]) -> Bool {
      let name = node.configuration.commandName ?? String(describing: node).lowercased()
      if node == command {
        path = trail + [name]
        return true
      }
      return node.configuration.subcommands.contains { find($0, trail + [name]) }
    }
    _ = find(self, [])
    let usage = usageString(for: command).trimmingCharacters(in: .whitespacesAndNewlines)
    return "Usage: \(ErrorText.sanitized(usage))\n"
      + "See '\(path.joined(separator: " ")) --help' for more information.\n"
  }
}
