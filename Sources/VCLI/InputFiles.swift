import ArgumentParser

/// The input files every tool takes as arguments: `-` or none means standard input.
public enum InputFiles {
  /// The name of standard input.
  public static let stdin = "-"

  /// The inputs to read: `paths`, or standard input when there are none.
  public static func orStdin(_ paths: [String]) -> [String] { paths.isEmpty ? [stdin] : paths }

  /// The usual help of the input argument: `Input files (WHAT); '-' or none for stdin.`
  public static func help(_ what: String) -> ArgumentHelp { ArgumentHelp("Input files (\(what)); '-' or none for stdin.") }
}
