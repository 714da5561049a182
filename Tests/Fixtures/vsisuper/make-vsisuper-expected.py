"""Expected outputs of VLMEvalKit's own VsiSuperRecall / VsiSuperCount build_prompt, evaluate and
the Count streaming filter (prepare_dataset) on generated rows, for Tests/VBenchmarksTests/
VSISuperTests.swift. usage: python3 make-vsisuper-expected.py"""
import contextlib, io, json, os, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pandas as pd
import vlmevalkit_vsisuper as H

out = {}

# ---- prompts
R = H.make(H.VsiSuperRecall, 'VsiSuperRecall_30mins', frames=['/c/f1.jpg', '/c/f2.jpg'])
C = H.make(H.VsiSuperCount, 'VsiSuperCount_60mins', frames=['/c/f1.jpg', '/c/f2.jpg'])
recall_rows = [
    {'question': '  Which of the following correctly represents the order in which the teddy bear appeared in the video?\n',
     'options': "['A. Bathroom, Kitchen, Bedroom, Living Room', 'B. Kitchen, Bedroom, Bathroom, Living Room', \"C. It's the Hall\", 'D. Bedroom']",
     'video': '30mins/00000012.mp4'},
    {'question': 'Q?', 'options': '["A. 1", "B. 2"]', 'video': 'x.mp4'},
]
count_rows = [
    {'question': '\tHow many chairs are there in the video?  ', 'video': '60mins/scene_0003.mp4'},
    {'question': 'How many tables?', 'video': 'b.mp4'},
]
out['prompts'] = {
    'recall': [[R.build_prompt(r, False), R.build_prompt(r, True)] for r in recall_rows],
    'count': [[C.build_prompt(r, False), C.build_prompt(r, True)] for r in count_rows],
}

def eval_table(rows, columns, cls, name):
    d = tempfile.mkdtemp()
    tsv = '\t'.join(columns) + '\n' + ''.join('\t'.join(r[:-1]) + '\n' for r in rows)
    data = pd.read_csv(io.StringIO(tsv), sep='\t')
    data['prediction'] = [r[-1] for r in rows]
    eval_file = os.path.join(d, f'M_{name}.xlsx')
    data.to_excel(eval_file, index=False, engine='xlsxwriter')
    ds = H.make(cls, name.rsplit('_', 1)[0])
    with contextlib.redirect_stdout(sys.stderr):  # evaluate prints its progress
        summary = ds.evaluate(eval_file)
    acc = open(os.path.join(d, f'M_{name}_extract_matching_acc.csv')).read()
    sheet = pd.read_excel(os.path.join(d, f'M_{name}_extract_matching.xlsx'))
    def text(v):
        if isinstance(v, float):
            return '' if v != v else repr(v)
        return str(v)
    cells = [[text(v) for v in row] for row in sheet.itertuples(index=False)]
    # the header as written (pandas would read a repeated name back as `name.1`)
    import openpyxl
    ws = openpyxl.load_workbook(os.path.join(d, f'M_{name}_extract_matching.xlsx')).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    return {'acc': acc, 'columns': header, 'rows': cells,
            'summary': {k: v for k, v in summary.items()}}

# ---- Recall scoring: (index, video, question, options, answer, question_type, prediction)
opts = "['A. a', 'B. b', 'C. c', 'D. d']"
recall = [
    ('12', 'v1.mp4', 'q', opts, 'A', 'spatial_recall', 'A'),
    ('3', 'v1.mp4', 'q', opts, 'B', 'spatial_recall', 'The answer is B.'),
    ('7', 'v2.mp4', 'q', opts, 'C', 'temporal_recall', '<think>A?</think>C'),
    ('1', 'v2.mp4', 'q', opts, 'D', 'spatial_recall', 'I think A or B'),
    ('10', 'v3.mp4', 'q', opts, 'A', 'temporal_recall', 'Failed to obtain answer via API.'),
    ('2', 'v3.mp4', 'q', opts, 'B', 'spatial_recall', '(B) kitchen'),
    ('5', 'v4.mp4', 'q', opts, 'C', 'odd_type', 'c'),
    ('4', 'v4.mp4', 'q', opts, 'D', 'temporal_recall', 'Answer: D'),
    ('0', 'v5.mp4', 'q', opts, 'A', 'spatial_recall', 'B'),
]
out['recall_score'] = eval_table(recall, ['index', 'video', 'question', 'options', 'answer', 'question_type'],
                                 H.VsiSuperRecall, 'VsiSuperRecall_10mins_32frame')

# ---- Count scoring: (index, video, question, answer, question_type, prediction)
count = [
    ('20', 'a.mp4', 'q', '12', '10mins', '12'),
    ('3', 'a.mp4', 'q', '12', '10mins', 'There are about 11 chairs.'),
    ('7', 'b.mp4', 'q', '5', '10mins', 'five'),
    ('1', 'b.mp4', 'q', '8', '10mins', '<answer>6</answer>'),
    ('11', 'c.mp4', 'q', '0', '10mins', '0'),
    ('2', 'c.mp4', 'q', '0', '10mins', '1'),
    ('9', 'd.mp4', 'q', '20', '10mins', 'none'),
    ('4', 'd.mp4', 'q', '20', '10mins', 'Failed to obtain answer via API.'),
    ('6', 'e.mp4', 'q', '3', '10mins', '[4, 5]'),
    ('5', 'e.mp4', 'q', '10', '10mins', '14.5'),
    ('8', 'f.mp4', 'q', '7', '10mins', '<think>maybe 9</think> 7'),
    ('10', 'f.mp4', 'q', '30', '10mins', '16.5'),
    ('0', 'g.mp4', 'q', '9', 'other_split', '9.0'),
    ('13', 'g.mp4', 'q', '4', 'other_split', 'I count 2, then 3'),
]
out['count_score'] = eval_table(count, ['index', 'video', 'question', 'answer', 'question_type'],
                                H.VsiSuperCount, 'VsiSuperCount_10mins_1fps')

# ---- Count's streaming filter: prepare_dataset on a TSV with streaming rows
def kept(tsv):
    d = tempfile.mkdtemp()
    H.VsiSuperCount.LMUData_root = d
    ds = object.__new__(H.VsiSuperCount)
    ds.dataset_name = 'VsiSuperCount_10mins'
    ds.download_vsisuper = lambda repo_id, allow_patterns: '/root'
    # prepare_tsv leaves the TSV as {LMUData}/{name}.tsv and returns it loaded
    open(os.path.join(d, 'VsiSuperCount_10mins.tsv'), 'w').write(tsv)
    H.VideoBaseDataset.prepare_tsv = lambda self, url, md5: pd.read_csv(io.StringIO(tsv), sep='\t')
    ret = ds.prepare_dataset('VsiSuperCount_10mins')
    return os.path.basename(ret['data_file']), [int(i) for i in pd.read_csv(ret['data_file'], sep='\t')['index']]
types = ['10mins', '10mins_streaming', '', 'streaming', 'x_streaming_y', 'A_STREAMING', '_streaming']
tsv = 'index\tvideo\tquestion\tanswer\tquestion_type\n' + ''.join(f'{i}\tv.mp4\tq\t1\t{t}\n' for i, t in enumerate(types))
out['streaming'] = {'types': types, 'kept': kept(tsv),
                    'no_column': kept('index\tvideo\tquestion\tanswer\n0\tv.mp4\tq\t1\n1\tw.mp4\tq\t2\n')}
json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
print()
