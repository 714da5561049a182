import Foundation
import VCore

/// The optional python3 helpers for the formats vtools does not decode itself: Parquet (through
/// pyarrow, the maintained implementation; Debian 12 has no Parquet C library) and the Python
/// pickles MMBench-Video ships its videos in (through Python's own `pickle`, restricted to plain
/// data so a crafted pickle cannot run code).
public enum PythonHelper {
  /// `$VTOOLS_PYTHON`, else `python3`.
  static var python: String { ProcessInfo.processInfo.environment["VTOOLS_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3" }

  /// Exit status of a helper script whose module is missing.
  static let missingModule: Int32 = 3
  /// Exit status of a helper script that found bad data (its message on stderr).
  static let badData: Int32 = 4

  /// Runs `script` with `args`; its standard output, or the error it stands for.
  static func run(_ script: String, _ args: [String], file: String, needs module: String) throws(DataError) -> [UInt8] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [python, "-c", script] + args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    do { try p.run() } catch {
      throw .helperMissing(what: "python3 with \(module)", install: "apt-get install python3 && python3 -m pip install \(module)")
    }
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let errData = Background { err.fileHandleForReading.readDataToEndOfFile() }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let message = PyText.strip(String(decoding: (try? errData.join()) ?? Data(), as: UTF8.self))
    switch p.terminationStatus {
    case 0: return [UInt8](data)
    case 127: throw .helperMissing(what: "python3 with \(module)", install: "apt-get install python3 && python3 -m pip install \(module)")
    case missingModule: throw .helperMissing(what: "the Python package \(module)", install: "python3 -m pip install \(module)")
    case badData: throw .badSource(path: file, reason: message)
    default: throw .badSource(path: file, reason: "\(python) failed (status \(p.terminationStatus)): \(message.suffix(500))")
    }
  }

  /// The rows of a Parquet file as `pyarrow.parquet.read_table(...).to_pylist()` gives them, one
  /// JSON object per row (NaN as null, bytes as Latin-1 text).
  public static func parquetRows(_ path: String) throws(DataError) -> [JSONObject] {
    let bytes = try run(parquetScript, [path], file: path, needs: "pyarrow")
    var rows: [JSONObject] = []
    for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
      guard let obj = (try? JSONParser.parse(line))?.objectValue else {
        throw .badSource(path: path, reason: "the Parquet helper printed a line that is not a JSON object")
      }
      rows.append(obj)
    }
    return rows
  }

  /// Unpickles each of `files` (a dict of name to bytes each) into `folder/{name}.mp4`, in order
  /// (a later name wins). Only plain data is accepted: a pickle that names any class or function
  /// (other than the `_codecs.encode` protocol 2 uses for bytes) is refused.
  public static func unpickleVideos(_ files: [String], into folder: String) throws(DataError) {
    guard !files.isEmpty else { return }
    _ = try run(pickleScript, [folder] + files, file: files[0], needs: "nothing beyond the standard library")
  }

  static let parquetScript = """
    import json, math, sys
    try:
        import pyarrow.parquet as pq
    except ImportError:
        sys.exit(3)
    def clean(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, bytes):
            return v.decode('latin-1')
        if isinstance(v, list):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        return v
    try:
        table = pq.read_table(sys.argv[1])
    except Exception as e:
        print('not a readable Parquet file: %s' % e, file=sys.stderr)
        sys.exit(4)
    out = sys.stdout
    for row in table.to_pylist():
        out.write(json.dumps({k: clean(v) for k, v in row.items()}, ensure_ascii=False, default=str))
        out.write('\\n')
    """

  static let pickleScript = """
    import io, os, pickle, sys
    class Plain(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ('_codecs', 'encode'):
                import _codecs
                return _codecs.encode
            raise pickle.UnpicklingError('refused: the pickle names %s.%s (only plain data is read)' % (module, name))
    folder = sys.argv[1]
    for path in sys.argv[2:]:
        try:
            with open(path, 'rb') as f:
                data = Plain(f).load()
        except Exception as e:
            print('%s: cannot unpickle: %s' % (path, e), file=sys.stderr)
            sys.exit(4)
        if not isinstance(data, dict):
            print('%s: expected a dict of video name to bytes, got %s' % (path, type(data).__name__), file=sys.stderr)
            sys.exit(4)
        for name, content in data.items():
            if not isinstance(name, str) or not isinstance(content, (bytes, bytearray)):
                print('%s: expected a dict of video name to bytes' % path, file=sys.stderr)
                sys.exit(4)
            if not name or '/' in name or '\\0' in name or name in ('.', '..'):
                print('%s: video name %r would leave the video folder; refused' % (path, name), file=sys.stderr)
                sys.exit(4)
            with open(os.path.join(folder, name + '.mp4'), 'wb') as out:
                out.write(content)
    """
}
