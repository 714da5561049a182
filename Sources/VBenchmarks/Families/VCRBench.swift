import Foundation
import VCore
import VPrompt
import VScore

// VCR-Bench (VLMEvalKit `vlmeval/dataset/vcrbench.py`, judge texts and tables in
// `vlmeval/dataset/utils/vcrbench/` (`prompt.py`, `eval.py`, `cau_acc.py`, `cau_total.py`),
// configs in `video_dataset_config.py`; families reference 4.1): a video chain-of-thought
// benchmark scored by four judge passes. Round 1 asks what needs only the table: (a) the answer
// extracted from the prediction, (c) the precision of the prediction's reasoning steps against
// the `reasoning` column, (d) the recall of the reference steps; round 2 asks (b), whether
// (a)'s answer is consistent with `answer` (0/1).

extension Benchmark {
  /// Frames come from `{root}/{video}.mp4` (the base sampler, cached under
  /// `images/VCR-Bench/{video}/`); a video LLM gets `{root}/{video_path}`, the file the
  /// integrity check looks for.
  public static let vcrBench: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4")
    let specs: [(String, SamplingSpec)] = [8, 16, 32, 64].map { ("\($0)frame", .frames($0)) } + [("1fps", .perSecond(1))]
    return Benchmark(
      name: "VCR-Bench", datasets: ["VCR-Bench"],
      configs: specs.map { BenchmarkConfig("VCRBench_\($0.0)_nopack", dataset: "VCR-Bench", spec: $0.1, video: video) },
      prompt: VCRBenchPrompt(), scoring: VCRBenchRule())
  }()
}

/// `VCRBench.build_prompt_nopack`: the frame-count text (MMBench-Video's nopack text without
/// its last line, the one V2P-Bench uses), the frames, then `Question: {question}\nAnswer: `. A
/// video LLM gets the question, then `{root}/{video_path}` (`video_info.path` where the record
/// has no `video_path`).
struct VCRBenchPrompt: PromptTemplate {
  var name: String { "vcrbench" }
  var constants: [String] { [V2PBenchPrompt.head(0), "Question: ", "\nAnswer: "] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let q = try t.field("question")
    if t.videoLLM {
      let path = t.optionalField("video_path").map { Self.join(t.datasetRoot, $0) } ?? t.record["video_info"]?.objectValue?["path"]?.stringValue
      guard let path else {
        throw PromptError(code: .missingField, message: "--video-llm needs the video path (a video_path field, or video_info.path from vframes)")
      }
      return [.text(q), .video(path)]
    }
    let frames = try t.visual()
    return [.text(V2PBenchPrompt.head(frames.count))] + frames + [.text("Question: \(q)\nAnswer: ")]
  }

  /// Python's `os.path.join(root, value)`: an absolute value stands alone.
  static func join(_ root: String, _ value: String) -> String {
    if value.hasPrefix("/") || root.isEmpty { return value }
    return (root.hasSuffix("/") ? root : root + "/") + value
  }
}

/// The judge texts of `prompt.py`, verbatim: the four system prompts (Python reads the `\f` of
/// `\frac` and the `\t` of `\text` in the extraction prompt as a form feed and a tab, and keeps
/// the `{{`/`}}` of the precision and recall prompts, which are never formatted) and the user
/// texts of the `build_*_prompt` functions.
enum VCRBenchTexts {
  /// `Answer_Extraction_Prompt_part1`, verbatim.
  static let extractionSystem =
    """
    You are an AI assistant who will help me to extract an answer of a question. You are provided with a question and a response, and you need to find the final answer of the question.

    Extract Rule:
    [Multiple choice question]
    1. The answer could be answering the option letter or the value. You should directly output the choice letter of the answer.
    2. You should output a single uppercase character in A, B, C, D, E, F, G, H, I (if they are valid options), and Z.
    3. If the meaning of all options are significantly different from the final answer, output Z.
    [Non Multiple choice question]
    1. Output the final value of the answer. It could be hidden inside the last step of calculation or inference. Pay attention to what the question is asking for to extract the value of the answer.
    2. The final answer could also be a short phrase or sentence.
    3. If the answer is about a certain time period, such as from 1 minute 30 seconds to 2 minutes 30 seconds, it should be given in the format [90, 150].
    4. If the response doesn't give a final answer, output Z.

    Output Format:
    Directly output the extracted answer of the response

    Example 1:
    Question: What is the main object in image?
    Options: A. teddy bear B. rabbit C. cat D. dog
    Response: a cute teddy bear
    Your output: A
    Example 2:
    Question: What is the main object in image?
    Options: A. teddy bear B. rabbit C. cat D. dog
    Answer: Spider
    Your output: Z
    Example 3:
    Question: On a flat playground, choose a Cartesian Oxy coordinate system (in unit of meters). A child running at a constant velocity $V=1 \\mathrm{~m} / \\mathrm{s}$ around a heart-shaped path satisfies the following order- 6 algebraic equation:
    $$
    \\left(x^{2}+y^{2}-L^{2}\\right)^{3}-L x^{2} y^{3}=0, L=10 \\text {. }
    $$
    When the child is at the position $(x, y)=(L, 0)$, what is the magnitude of their acceleration?

    <image>
    Response: fore, \\(r \\approx 10 \\, \\text{m}\\).

    7. **Calculating Acceleration**: Using the radius of curvature:
       \\[
       a_c = \\frac{V^2}{r} = \\frac{(1 \\, \\text{m/s})^2}{10 \\, \\text{m}} = 0.1 \\, \\text{m/s}^2
       \\]

    8. **Magnitude of Acceleration**: The magnitude of the acceleration is the sum of the tangential and centripetal accelerations. Since the tangential acceleration is zero, the magnitude of the acceleration is purely centripetal:
       \\[
       \\text{Magnitude of acceleration} = a_c = 0.1 \\, \\text{m/s}^2
       \\]

    Answer: \\boxed{0.1 \\, \\text{m/s}^2}
    Your output: 0.1 text{m/s}^2
    Example 4:
    Question: In the diagram, $O A=15, O P=9$ and $P B=4$. Determine the equation of the line through $A$ and $B$. Explain how you got your answer.

    <image>
    Response: The equation of the line through $A$ and $B$ is $y = -\u{C}rac{1}{3}x + 12$.

    To find the equation of the line through $A$ and $B$, we first need to find the slope of the line. The slope of a line passing through two points $(x_1, y_1)$ and $(x_2, y_2)$ is given by the formula:

    $$\text{Slope} = \u{C}rac{y_2 - y_1}{x_2 - x_1}$$

    Using the coordinates of points $A(0, 15)$ and $B(4, 0)$, we can calculate the slope as follows:

    $$\text{Slope} = \u{C}rac{0 - 15}{4 - 0} = \u{C}rac{-15}{4} = -\u{C}rac{15}{4}$$

    Now that we have the slope, we can use the point-slope form of a linear equation to find the equation of the line. The point-slope form is given by:

    $$y - y_1 = m(x - x_1)$$

    where $(x_1, y_1)$ is a point on the line and $m$ is the slope. In this case, we can use point $A(0, 15)$ and the slope $-\u{C}rac{15}{4}$:

    $$y - 15 = -\u{C}rac{15}{4}(x - 0)$$

    Simplifying the equation, we get:

    $$y - 15 = -\u{C}rac{15}{4}x$$

    $$y = -\u{C}rac{15}{4}x + 15$$

    Therefore, the equation of the line through $A$ and $B$ is $y = -\u{C}rac{15}{4}x + 15$.
    Your output: $y = -\u{C}rac{15}{4}x + 15$
    Example 5:
    Question: <image> <image> <image> <image> <image> <image> <image> <image> <image>In the paper 'An Object is Worth 64x64 Pixels: Generating 3D Object via Image Diffusion', what aspect of the proposed method does this figure aim to demonstrate?
    Response: the potential of this 3D generation paradigm to generate objects with PBR materials
    Your output: the potential of this 3D generation paradigm to generate objects with PBR materials
    Example 6:
    Question: Please specify the start and end time of the event 'An intro screen appears with a gray background and the red and white words that say PRO TRAINING.'
    Response: The start and end time of the event 'An intro screen appears with a gray background and the red and white words that say PRO TRAINING.' are as follows:

    **Step 1: Identify the start time of the event.**
    The video starts at 00:00. The intro screen is visible from the very beginning.

    **Start time:** 00:00

    **Step 2: Identify the end time of the event.**
    The intro screen starts to disappear and transition to the next scene at 00:11. By 00:12, the intro screen is completely gone. So, the intro screen is visible until 00:11.

    **End time:** 00:11

    Therefore, the event 'An intro screen appears with a gray background and the red and white words that say PRO TRAINING' starts at **00:00** and ends at **00:11**.

    **Answer:**
    Start time: 00:00
    End time: 00:11
    Your output: [0,11]


    """

  /// `Answer_Scoring_Prompt_part1`, verbatim.
  static let scoringSystem =
    """
    You are an AI assistant who will help me to judge whether two answers are consistent.

    Input Illustration:
    [Standard Answer] is the standard answer to the question
    [Model Answer] is the answer extracted from a model's output to this question.

    Task Illustration:
    Determine whether [Standard Answer] and [Model Answer] are consistent.
    Consistent Criteria:
    [Multiple-Choice questions]
    1. If the [Model Answer] is the option letter, then it must completely matches the [Standard Answer].
    2. If the [Model Answer] is not an option letter, then the [Model Answer] must completely match the option content of [Standard Answer].
    [Nan-Multiple-Choice questions]
    1. The [Model Answer] and [Standard Answer] should exactly match.
    2. If the meaning is expressed in the same way, it is also considered consistent, for example, 0.5m and 50cm.

    Output Format:
    1. If they are consistent, output 1; if they are different, output 0.
    2. DIRECTLY output 1 or 0 without any other content.

    Example 1:
    Question: What is the main object in image?\\nOptions: A. teddy bear B. rabbit C. cat D. dog
    [Model Answer]: a cute teddy bear
    [Standard Answer]: A
    Your output: 1

    Example 2:
    Question: Find the value of AB. Choices: A.1;B.5;C.9;D.10
    [Model Answer]: \\\\boxed{5}
    [Standard Answer]: B
    Your output: 1

    Example 3:
    Question: Three of the following four slides are from the same presentation, but one is from a different one. Please identify the outlier: \\n\\n<image> <image> <image> <image>\\nA. the forth image\\nB. the second image\\nC. the third image\\nD. None of the choices provided
    [Model Answer]: \\\\boxed{B}
    [Standard Answer]: A
    Your output: 0



    """

  /// `Precision_Evaluation_Prompt`, verbatim.
  static let precisionSystem =
    """

    # Task Overview
    Given a solution with multiple reasoning steps for an video-based problem, reformat it into well-structured steps and evaluate their correctness.

    # Step 1: Reformatting the Solution
    Convert the unstructured solution into distinct reasoning steps while:
    - Preserving all original content and order
    - Not adding new interpretations
    - Not omitting any steps

    ## Step Types
    1. Logical Inference Steps
       - Contains exactly one logical deduction
       - Must produce a new derived conclusion
       - Cannot be just a summary or observation

    2. Video Description Steps
       - Pure visual observations
       - Only includes directly visible elements
       - No inferences or assumptions
       - Contains event time

    3. Background Review Steps:
       - Repetition or review of the problem
       - Not directly related to solving the problem.

    ## Step Requirements
    - Each step must be atomic (one conclusion per step)
    - No content duplication across steps
    - Initial analysis counts as background information
    - Final answer determination counts as logical inference

    # Step 2: Evaluating Correctness
    Evaluate each step against:

    ## Ground Truth Matching
    For video descriptions:
    - Key elements must match ground truth descriptions

    For logical inferences:
    - Conclusion must EXACTLY match or be DIRECTLY entailed by ground truth

    For Background review:
    -  Without special circumstances are deemed to be redundant

    ## Reasonableness Check (if no direct match)
    If Step:
    - Premises must not contradict any ground truth or correct answer
    - Logic is valid
    - Conclusion must not contradict any ground truth
    - Conclusion must support or be neutral to correct answer
    - Helpful in solving the problem, non-redundant steps
    this Step be viewed as matched.

    ## Judgement Categories
    - "Match": Aligns with ground truth
    - "Wrong": Contradictory with ground truth
    - "Redundant": Redundant steps that do not help solve the problem

    # Output Requirements
    1. The output format MUST be in valid JSON format without ANY other content.
    2. For highly repetitive patterns, output it as a single step.
    3. Output maximum 35 steps. Always include the final step that contains the answer.

    Here is the json output format:
    ## Output Format
    [
      {{
        "step": "reformatted the solution step",
        "step_type": "Video Description Steps|Logical Inference Steps|Background Review Steps",
        "reasons_for_judgment": "The reason for judging the matching result of the step in the solution based on Ground Truth Information. Sufficient evidence needs to be found in Ground Truth Information to determine the correctness of the reformatted the solution step. The video event description time error is no more than 3 seconds and is considered correct. If the solution step does not specify the time, it is considered wrong.",
        "judgment": "Matched|Wrong|Redundant",
      }}
    ]

    Here is the problem, and the solution that needs to be reformatted to steps:


    """

  /// `Recall_Evaluation_Prompt`, verbatim.
  static let recallSystem =
    """
    You are an expert system for verifying solutions to video-based problems. Your task is to match the ground truth middle steps with the provided solution.

    INPUT FORMAT:
    1. Problem: The original question/task
    2. A Solution of a model
    3. Ground Truth: Essential steps required for a correct answer

    MATCHING PROCESS:

    You need to match each ground truth middle step with the solution:

    Match Criteria:
    - The middle step should exactly match in the content or is directly entailed by a certain content in the solution
    - All the details must be matched, including the specific value and content
    - You should judge all the middle steps for whethere there is a match in the solution

    Step Types:
    1. Logical Inference Steps
       - Contains exactly one logical deduction
       - Must produce a new derived conclusion
       - Cannot be just a summary or observation

    2. Video Description Steps
       - Pure visual observations
       - Only includes directly visible elements
       - No inferences or assumptions
       - Contains event time

    3. Background Review Steps:
       - Repetition or review of the problem
       - Not directly related to solving the problem.

    OUTPUT FORMAT:
    JSON array of judgments:
    [
      {{
        "step": ground truth middle step,
        "step_type": "Video Description Steps|Logical Inference Steps|Background Review Steps",
        "judgment": "Matched" | "Unmatched",
      }}
    ]

    ADDITIONAL RULES:
    1. Only output the json array with no additional information.
    2. Judge each ground truth middle step in order without omitting any step.

    Here is the problem, answer, solution, and the ground truth middle steps:

    """

  /// `build_Extraction_prompt`.
  static func extraction(question: String, response: String) -> String { "Question: \(question)\nAnswer: \(response)\nYour output:" }

  /// `build_Scoring_prompt`.
  static func scoring(question: String, extracted: String, answer: String) -> String {
    "Question: \(question)\n[Model Answer]: \(extracted)\n[Standard Answer]: \(answer)\nYour output:"
  }

  /// `build_Precision_prompt`.
  static func precision(question: String, solution: String, reasoning: String) -> String {
    "[Problem]:\(question)\n[Solution]:\(solution)\n[Ground Truth Information]:\(reasoning)"
  }

  /// `build_Recall_prompt`.
  static func recall(question: String, answer: String, solution: String, reasoning: String) -> String {
    "[Problem]:\(question)\n[Answer]:\(answer)\n[Solution]:\(solution)\n[Ground Truth Information]:\(reasoning)"
  }
}

/// `VCRBench.evaluate`'s four passes. Record ids: round 1 `{id}:extract` (rows with a
/// prediction, as step 1 skips the others), `{id}:precision` and `{id}:recall` (every row, a
/// missing prediction shown as `nan`, as steps 3 and 4 ask); round 2 `r2:{id}:score` (every row,
/// with round 1's extracted answer, `-1` for a row without a prediction, as step 2 asks).
struct VCRBenchRule: ScoringRule {
  var name: String { "vcrbench" }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    // Without the references nothing is asked; `score` says why.
    guard VCRBenchScorer.hasReferences(rows) else { return .prompts([]) }
    return .prompts(
      (0..<rows.count).flatMap { r -> [JudgePrompt] in
        let id = rows.id(r)
        let q = VCRBenchScorer.text(rows, r, "question"), reasoning = VCRBenchScorer.text(rows, r, "reasoning")
        let solution = rows.prediction(r) ?? "nan"
        var out: [JudgePrompt] = []
        if let pred = rows.prediction(r) {
          out.append(
            JudgePrompt(
              id: id + ":extract", kind: "vcrbench_extract", system: VCRBenchTexts.extractionSystem,
              prompt: VCRBenchTexts.extraction(question: q, response: pred)))
        }
        out.append(
          JudgePrompt(
            id: id + ":precision", kind: "vcrbench_precision", system: VCRBenchTexts.precisionSystem,
            prompt: VCRBenchTexts.precision(question: q, solution: solution, reasoning: reasoning)))
        out.append(
          JudgePrompt(
            id: id + ":recall", kind: "vcrbench_recall", system: VCRBenchTexts.recallSystem,
            prompt: VCRBenchTexts.recall(question: q, answer: VCRBenchScorer.text(rows, r, "answer"), solution: solution, reasoning: reasoning)))
        return out
      })
  }

  func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt] {
    guard round == 2, VCRBenchScorer.hasReferences(rows) else { return [] }
    let s = VCRBenchScorer(rows: rows, replies: replies, strict: strict)
    return (0..<rows.count).compactMap { r in
      guard let extracted = s.extracted(r) else { return nil }
      return JudgePrompt(
        id: rows.id(r) + ":score", kind: "vcrbench_score", system: VCRBenchTexts.scoringSystem,
        prompt: VCRBenchTexts.scoring(
          question: VCRBenchScorer.text(rows, r, "question"), extracted: VCRBenchScorer.read(extracted),
          answer: VCRBenchScorer.text(rows, r, "answer")),
        round: 2)
    }
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else { throw CaptionQAJudge.needsJudge("VCR-Bench") }
    guard VCRBenchScorer.hasReferences(rows) else {
      throw SimpleToolError(
        "the table has no 'answer' or 'reasoning' column (VCR-Bench's references: merge the results with vmerge --meta on the dataset's TSV)",
        status: .dataError)
    }
    return VCRBenchScorer(rows: rows, replies: judged, strict: ctx.strict).score(ctx)
  }
}

/// `eval.py`'s step counting: `json.loads` of the judge's reply, then each step's `step_type`
/// and `judgment` counted, where both name a known key.
enum VCRBenchSteps {
  /// The three step types, in `calculate_precision`'s order.
  static let types = ["Video Description Steps", "Logical Inference Steps", "Background Review Steps"]
  static let precisionJudgments = ["Matched", "Wrong", "Redundant"]
  static let recallJudgments = ["Matched", "Unmatched"]

  /// Counts by type and judgment; nil where Python raises (no JSON, a step that is no object
  /// or lacks a known `step_type` / `judgment`, a reply that is not iterable or iterates
  /// strings: a non-empty object or string).
  static func counts(_ reply: String, judgments: [String]) -> [[Int]]? {
    guard let v = try? JSONParser.parse(reply) else { return nil }
    var c = [[Int]](repeating: [Int](repeating: 0, count: judgments.count), count: types.count)
    switch v {
    case .array(let items):
      for item in items {
        guard case .object(let o) = item, case .string(let t)? = o["step_type"], let ti = types.firstIndex(of: t),
          case .string(let j)? = o["judgment"], let ji = judgments.firstIndex(of: j)
        else { return nil }
        c[ti][ji] += 1
      }
      return c
    case .object(let o): return o.isEmpty ? c : nil
    case .string(let s): return s.isEmpty ? c : nil
    default: return nil
    }
  }

  /// `precision(item)`: per type (video, logic, background) matched / (matched + wrong), the
  /// overall of video and logic, and the efficiency (steps not redundant / all steps); nil
  /// entries are VLMEvalKit's `""`. nil where it raises (no step at all divides by zero).
  static func precision(_ reply: String) -> [Double?]? {
    guard let c = counts(reply, judgments: precisionJudgments) else { return nil }
    let all = c.joined().reduce(0, +)
    guard all > 0 else { return nil }
    func ratio(_ m: Int, _ n: Int) -> Double? { n == 0 ? nil : Double(m) / Double(n) }
    var out = c.map { ratio($0[0], $0[0] + $0[1]) }
    out.append(ratio(c[0][0] + c[1][0], c[0][0] + c[1][0] + c[0][1] + c[1][1]))
    out.append(Double(all - c.map { $0[2] }.reduce(0, +)) / Double(all))
    return out
  }

  /// `recall(item)`: per type matched / (matched + unmatched), and the overall of video and
  /// logic; nil entries are `""`. nil where it raises.
  static func recall(_ reply: String) -> [Double?]? {
    guard let c = counts(reply, judgments: recallJudgments) else { return nil }
    func ratio(_ m: Int, _ n: Int) -> Double? { n == 0 ? nil : Double(m) / Double(n) }
    return c.map { ratio($0[0], $0[0] + $0[1]) } + [ratio(c[0][0] + c[1][0], c[0][0] + c[0][1] + c[1][0] + c[1][1])]
  }
}

/// The tables of `evaluate`, `cau_acc.calu_acc_main` and `cau_total.calu_pre_recall`.
struct VCRBenchScorer {
  let rows: Rows
  let replies: JudgeReplies
  let strict: Bool

  static let precisionColumns = ["Video_precision", "logic_precision", "background_precision", "overall_precision", "efficiency"]
  static let recallColumns = ["Video_recall", "logic_recall", "background_recall", "overall_recall"]
  /// `cau_total`'s metrics (video, logic, overall) and the names it prints.
  static let metrics = [(0, "Perception"), (1, "Reasoning"), (3, "Overall")]

  static func hasReferences(_ rows: Rows) -> Bool { rows.table.has("answer") && rows.table.has("reasoning") }

  /// A cell as `.format` prints it after pandas read the table (`nan` for an empty one).
  static func text(_ rows: Rows, _ r: Int, _ column: String) -> String { rows.cell(r, column) ?? "nan" }

  /// A judge reply as pandas reads it back from the xlsx it was written to (`nan` for an
  /// empty one or a missing-value word).
  static func read(_ text: String) -> String { PandasRecords.missing.contains(text) ? "nan" : text }

  /// The reply to a record, nil when it is not there yet or (`--strict`) failed.
  func reply(round: Int, _ id: String) -> JudgeReply? {
    guard let r = replies.reply(round: round, id) else { return nil }
    return strict && r.failed ? nil : r
  }

  /// The `extracted_answer` cell: the extraction reply, `-1` for a row without a prediction;
  /// nil while the reply is missing.
  func extracted(_ r: Int) -> String? {
    guard rows.prediction(r) != nil else { return "-1" }
    return reply(round: 1, rows.id(r) + ":extract")?.text
  }

  /// A precision or recall row: the metrics as they come back from `_pre_score.json` (pandas
  /// writes 10 decimals).
  static func fromJSON(_ v: Double?) -> Double? { v.flatMap { Double(PandasRecords.float($0)) } }

  func score(_ ctx: ScoreContext) -> Outcome {
    let n = rows.count
    // Steps 1 and 2: a missing reply is VLMEvalKit's -1 (and no score without an extraction).
    let extracted = (0..<n).map { self.extracted($0) ?? "-1" }
    let scoring = (0..<n).map { r in self.extracted(r) == nil ? "-1" : reply(round: 2, rows.id(r) + ":score")?.text ?? "-1" }
    var unjudged = 0, failed = 0
    for r in 0..<n {
      let id = rows.id(r)
      let needed = (rows.prediction(r) == nil ? [] : [(1, ":extract")]) + [(1, ":precision"), (1, ":recall"), (2, ":score")]
      if needed.contains(where: { reply(round: $0.0, id + $0.1) == nil }) { unjudged += 1 }
      failed += needed.filter { replies.reply(round: $0.0, id + $0.1)?.failed == true }.count
    }

    // cau_acc: answer_scoring == '1'; dimensions in order of first appearance; duration buckets.
    var dimOrder: [String] = []
    var dims: [String: (Int, Int)] = [:]
    var buckets = [(0, 0), (0, 0), (0, 0)]
    var correct = 0, bad = 0
    for r in 0..<n {
      let ok = scoring[r] == "1"
      if ok { correct += 1 }
      if let d = rows.cell(r, "dimension"), !PandasRecords.missing.contains(d) {
        if dims[d] == nil { dimOrder.append(d) }
        let p = dims[d] ?? (0, 0)
        dims[d] = (p.0 + (ok ? 1 : 0), p.1 + 1)
      }
      guard let du = rows.cell(r, "duration").flatMap({ MMMUMatching.pythonFloat(PyStr($0)) }), !du.isNaN else {
        ctx.diag.warning("row \(rows.id(r)): no numeric duration; left out of the duration table (VLMEvalKit raises)")
        bad += 1
        continue
      }
      let b = du <= 60 ? 0 : (du <= 300 ? 1 : 2)
      buckets[b] = (buckets[b].0 + (ok ? 1 : 0), buckets[b].1 + 1)
    }
    func ratio(_ c: Int, _ t: Int) -> Double { t > 0 ? Double(c) / Double(t) : 0 }
    func f3(_ x: Double) -> String { String(format: "%.3f", x) }
    let bucketNames = ["0-60", "60-300", "300+"]
    var acc = "===== Statistics =====\nOverall Accuracy: \(f3(ratio(correct, n)))\n\nAccuracy by Dimension:\n"
    for d in dimOrder { acc += "  \(d): \(f3(ratio(dims[d]!.0, dims[d]!.1)))\n" }
    acc += "\nAccuracy by Duration:\n"
    for (b, name) in bucketNames.enumerated() { acc += "  \(name): \(f3(ratio(buckets[b].0, buckets[b].1)))\n" }
    acc += "\n\n"
    var printed = [SummaryRow(group: "accuracy", name: "overall", correct: Double(correct), total: n, value: ratio(correct, n))]
    printed += dimOrder.map {
      SummaryRow(group: "dimension", name: $0, correct: Double(dims[$0]!.0), total: dims[$0]!.1, value: ratio(dims[$0]!.0, dims[$0]!.1))
    }
    printed += bucketNames.enumerated().map {
      SummaryRow(
        group: "duration", name: $0.element, correct: Double(buckets[$0.offset].0), total: buckets[$0.offset].1,
        value: ratio(buckets[$0.offset].0, buckets[$0.offset].1))
    }

    // Steps 3 and 4: the rows whose reply VLMEvalKit's parsing takes, with their metrics.
    let pre: [(Int, [Double?])] = (0..<n).compactMap { r in
      reply(round: 1, rows.id(r) + ":precision").flatMap { VCRBenchSteps.precision($0.text) }.map { (r, $0) }
    }
    let rec: [(Int, [Double?])] = (0..<n).compactMap { r in
      reply(round: 1, rows.id(r) + ":recall").flatMap { VCRBenchSteps.recall($0.text) }.map { (r, $0) }
    }
    // cau_total: sums and counts of the truthy values (a 0 is left out), metrics in order of
    // first appearance.
    var order: [Int] = []
    var sums: [Int: (p: Double, pc: Int, r: Double, rc: Int)] = [:]
    var zeros = 0
    for (isRecall, table) in [(false, pre), (true, rec)] {
      for (_, values) in table {
        for (m, _) in Self.metrics {
          guard let v = Self.fromJSON(values[m]) else { continue }
          guard v != 0 else {
            zeros += 1
            continue
          }
          if sums[m] == nil { order.append(m) }
          var s = sums[m] ?? (0, 0, 0, 0)
          if isRecall { (s.r, s.rc) = (s.r + v, s.rc + 1) } else { (s.p, s.pc) = (s.p + v, s.pc + 1) }
          sums[m] = s
        }
      }
    }
    var total = "===== Metrics Summary =====\nOverall Metrics:\n"
    for m in order {
      let s = sums[m]!
      let p = s.pc > 0 ? s.p / Double(s.pc) : 0, rc = s.rc > 0 ? s.r / Double(s.rc) : 0
      let f = p + rc > 0 ? 2 * p * rc / (p + rc) : 0
      let name = Self.metrics.first { $0.0 == m }!.1
      total += "  \(name):\n    precision: \(f3(p))\n    recall: \(f3(rc))\n    f1: \(f3(f))\n"
      printed += [
        SummaryRow(group: name, name: "precision", total: s.pc, value: p), SummaryRow(group: name, name: "recall", total: s.rc, value: rc),
        SummaryRow(group: name, name: "f1", total: min(s.pc, s.rc), value: f),
      ]
    }

    var summary = Summary(dataset: ctx.dataset, rules: "VCR-Bench", mode: ctx.mode, metric: "accuracy, step P/R/F1 (0-1)", rows: printed)
    summary.notes.append(
      "judge: \(ctx.judgeName), four passes in two rounds (1: answer extraction, step precision, step recall; 2: answer consistency 0/1); VLMEvalKit's evaluate returns nothing: vscore reports its _answer_score.txt and _precision_recall_score.txt"
    )
    summary.notes.append(
      "\(n - pre.count) rows left out of the precision table and \(n - rec.count) out of the recall table (no reply, or one VLMEvalKit's json.loads and step counting raise on, or no step for precision), as VLMEvalKit drops them"
    )
    if zeros > 0 {
      summary.notes.append("\(zeros) precision/recall values of 0 are left out of the averages, as cau_total's `if precision` leaves them out")
    }
    if unjudged > 0 { summary.notes.append("\(unjudged) rows lack a judge reply: a missing extraction or score is VLMEvalKit's -1 (not correct)") }
    if failed > 0 {
      summary.notes.append(
        strict
          ? "\(failed) failed judgements: --strict reads them as missing" : "\(failed) failed judgements read as replies, as VLMEvalKit reads them")
    }

    // The files, named as VLMEvalKit names them: `{stem}_{judge}_extracted_answer.xlsx`,
    // `_answer_score.xlsx/.json/.txt`, `_pre_score.xlsx/.json`, `_recall_score.xlsx/.json`,
    // `_precision_recall_score.txt`.
    let columns = rows.table.columns + ["extracted_answer"]
    let base = (0..<n).map { rows.table.rows[$0] + [extracted[$0]] }
    func side(_ pass: String, _ metrics: [String], _ kept: [(Int, [Double?])]) -> ResultTable {
      let cells = kept.map { (r, v) in base[r] + [reply(round: 1, rows.id(r) + ":" + pass)?.text] + v.map(Num.cell) }
      return ResultTable(columns: columns + [pass + "_eval"] + metrics, rows: cells, name: rows.table.name)
    }
    let preTable = side("precision", Self.precisionColumns, pre)
    let recTable = side("recall", Self.recallColumns, rec)
    let kinds: [String: PandasRecords.Kind] = [
      "extracted_answer": .judged, "answer_scoring": .judged, "precision_eval": .judged, "recall_eval": .judged,
    ]
    func records(_ t: ResultTable) -> String {
      PandasRecords.json(t, scoreColumn: t.columns.last!, scores: t.rows.map { ($0.last ?? nil) ?? "" }, kinds: kinds)
    }
    func sheet(_ suffix: String, _ t: ResultTable, numeric: Int) -> (suffix: String, columns: [String], rows: [[String]], numeric: Set<Int>) {
      (suffix, t.columns, t.rows.map { $0.map { $0 ?? "" } }, Set((t.columns.count - numeric)..<t.columns.count))
    }
    let answerTable = ResultTable(columns: columns + ["answer_scoring"], rows: (0..<n).map { base[$0] + [scoring[$0]] }, name: rows.table.name)
    var o = Outcome(scores: scoring, fileInfix: "_\(ctx.judgeName)", summary: summary, badRows: bad)
    o.table = (columns, base)
    o.scoreColumn = "answer_scoring"
    o.numericScores = false
    o.scoreFileSuffix = "_answer_score.xlsx"
    o.sheets = [
      sheet("_extracted_answer", ResultTable(columns: columns, rows: base, name: rows.table.name), numeric: 0),
      sheet("_pre_score", preTable, numeric: Self.precisionColumns.count), sheet("_recall_score", recTable, numeric: Self.recallColumns.count),
    ]
    o.textFiles = [
      ("_answer_score.json", records(answerTable)), ("_answer_score.txt", acc), ("_pre_score.json", records(preTable)),
      ("_recall_score.json", records(recTable)), ("_precision_recall_score.txt", total),
    ]
    return o
  }
}
