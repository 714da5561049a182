import VCore

/// A record's `messages` items, for the end-to-end suites that check what vprompt built.
func messages(_ rec: JSONObject) -> [JSONObject] { (rec["messages"]?.arrayValue ?? []).compactMap { $0.objectValue } }

/// A vinfer answer log by hand: one record per prediction, ids `0`, `1`, ... and model `M`.
func answers(_ predictions: [String]) -> String {
  predictions.enumerated().map { i, p in
    var bytes: [UInt8] = []
    let o = JSONObject([("id", .string(String(i))), ("prediction", .string(p)), ("inference", .object(JSONObject([("model", .string("M"))])))])
    JSONSerializer.write(.object(o), into: &bytes)
    return String(decoding: bytes, as: UTF8.self) + "\n"
  }.joined()
}
