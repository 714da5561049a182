#!/usr/bin/env python3
"""Write small synthetic Hugging Face dataset repos for vdata's tests.

    python3 make_hub_repos.py OUTDIR

Each repo becomes one folder, OUTDIR/{org}--{name}[@{branch}], holding the repo's files as
they sit at the repo root.  The repos are shaped like the real ones that VLMEvalKit's
`prepare_dataset` reads (see README.md next to this script): OpenGVLab/MVBench (main),
OpenGVLab/MVBench@video, lmms-lab/Video-MME and opencompass/MMBench-Video.

Standard library only, except the Video-MME Parquet file, which needs pyarrow: without
pyarrow that one repo is skipped (message on stderr) and the script still exits 0.
The output is deterministic: fixed zip timestamps and permissions, entries in a fixed order,
fixed pickle protocols.  Video files are dummy bytes (preparation never decodes them).
"""

import hashlib
import json
import os
import pickle
import shutil
import sys
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def dummy(name, size=64):
    """Deterministic filler bytes that differ per file name."""
    seed = hashlib.sha256(name.encode('utf-8')).digest()
    out = bytearray()
    while len(out) < size:
        out += seed
        seed = hashlib.sha256(seed).digest()
    return bytes(out[:size])


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(path, 'wb') as f:
        f.write(data)


def write_zip(path, entries, compress=zipfile.ZIP_STORED):
    """entries: list of (name, bytes) in the order wanted; a name ending in '/' is a folder entry."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, 'w') as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3
            if name.endswith('/'):
                info.external_attr = (0o40755 << 16) | 0x10
                info.compress_type = zipfile.ZIP_STORED
                z.writestr(info, b'')
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = compress
                z.writestr(info, data)


def write_json(path, obj):
    write(path, json.dumps(obj, ensure_ascii=False, indent=1) + '\n')


def readme(title):
    return f'---\nlicense: other\n---\n# {title} (synthetic test fixture for vtools vdata)\n'


GITATTRIBUTES = '*.zip filter=lfs diff=lfs merge=lfs -text\n*.pkl filter=lfs diff=lfs merge=lfs -text\n' \
    '*.parquet filter=lfs diff=lfs merge=lfs -text\n*.mp4 filter=lfs diff=lfs merge=lfs -text\n'

# Hostile text shared by the repos.
Q_QUOTE_TAB_NL = 'What does the man say "hello"\tto?\nAnswer briefly.'
Q_CR_MIX = 'lone\rcarriage return, CRLF\r\n, caf\u00e9, nbsp\u00a0here, back\\slash, it\'s'
Q_UNICODE = 'line separator\u2028 zero-width\u200djoiner, emoji \U0001F600, combining e\u0301'
C_APOS = "it's the cup"            # str(list) picks double quotes for this one
C_BOTH = 'both \' and " marks'     # ... and single quotes with \' for this one
C_TAB = 'tab\tinside'
C_NBSP = 'no\u00a0break'           # repr writes \xa0
C_BSL = 'back\\slash'              # repr writes \\
C_NL = 'two\nlines'
C_CR = 'lone\rcr'
C_NONASCII = 'caf\u00e9 \u00fcber \u4e2d\u6587'
C_ZWJ = 'zero\u200dwidth'          # repr writes \u200d


# ---------------------------------------------------------------------------------------------
# TencentARC/Video-Holmes (VLMEvalKit class Video_Holmes): test_Video-Holmes.json -> TSV;
# videos.zip flattened into video/ (only a file named exactly videos.zip).

def video_holmes(out):
    root = os.path.join(out, 'TencentARC--Video-Holmes')
    write(os.path.join(root, 'README.md'), readme('TencentARC/Video-Holmes'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    items = [
        {'Question ID': 'SR-1', 'video ID': 'Yx2PaQ01', 'Question Type': 'SR', 'Question': Q_QUOTE_TAB_NL,
         # keys out of order, an extra key G that is not read, apostrophes removed from each option
         'Options': {'B': C_APOS, 'A': C_BOTH, 'C': C_TAB, 'G': 'never read', 'D': C_NBSP},
         'Answer': 'B', 'Explanation': Q_CR_MIX},
        {'Question ID': 'IMC-7', 'video ID': 'Yx2PaQ01', 'Question Type': 'IMC', 'Question': Q_UNICODE,
         'Options': {'A': C_NONASCII, 'B': C_ZWJ, 'C': C_NL, 'D': C_CR, 'E': C_BSL, 'F': 'the sixth'},
         'Answer': 'F', 'Explanation': 'two\nlines of "reasoning"'},
        # no Explanation, no Question Type: '' as upstream; a number and null as options
        {'Question ID': 'TCI-3', 'video ID': 'bb_03-x', 'Question': 'How many doors?',
         'Options': {'A': 3, 'B': 2.5, 'C': None, 'D': True}, 'Answer': 'A'},
        # no Options at all: an empty candidates list
        {'Question ID': 'MHR-9', 'video ID': 'nested_clip', 'Question Type': 'MHR', 'Question': "Who's there?",
         'Answer': 'C', 'Explanation': ''},
    ]
    write_json(os.path.join(root, 'test_Video-Holmes.json'), items)
    write_zip(os.path.join(root, 'videos.zip'), [
        ('videos/', b''),
        ('videos/Yx2PaQ01.mp4', dummy('Yx2PaQ01')),
        ('videos/bb_03-x.mp4', dummy('bb_03-x')),
        ('videos/deeper/', b''),
        ('videos/deeper/nested_clip.mp4', dummy('nested_clip')),
        ('videos/deeper/Yx2PaQ01.mp4', b'the later entry of the same base name wins\n'),
    ], zipfile.ZIP_DEFLATED)
    # Not named exactly videos.zip: never extracted.
    write_zip(os.path.join(root, 'videos_extra.zip'), [('videos/not-extracted.mp4', dummy('n'))])


def write_shipped_tsv(path, header, rows):
    """A TSV the repo ships (preparation never rewrites it): csv-style quoting, one line a row."""
    def cell(v):
        s = str(v)
        if any(c in s for c in '\t\n"\r'):
            s = '"' + s.replace('"', '""') + '"'
        return s
    write(path, ''.join('\t'.join(cell(x) for x in r) + '\n' for r in [header] + rows))


# ---------------------------------------------------------------------------------------------
# zhangzicheng/Q-Bench-Video (VLMEvalKit classes QBench_Video_MCQ, QBench_Video_VQA): two TSVs
# shipped; video.zip extracted into the root (its own tree) when video/ is not there.

def qbench_video(out):
    root = os.path.join(out, 'zhangzicheng--Q-Bench-Video')
    write(os.path.join(root, 'README.md'), readme('zhangzicheng/Q-Bench-Video'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write_shipped_tsv(os.path.join(root, 'qbenchvideo_single_MCQ.tsv'),
                      ['index', 'video', 'video_path', 'question', 'answer', 'candidates'], [
                          [0, 'q001', './video/q001.mp4', Q_QUOTE_TAB_NL, 'A', "['A. Good', 'B. Poor']"],
                          # normpath: 'sub/..' cancels lexically (there is no video/sub/)
                          [1, 'q002', 'video/sub/../nested/q002.mp4', 'How is the sharpness?', 'B', "['A. x', 'B. y']"],
                      ])
    write_shipped_tsv(os.path.join(root, 'qbenchvideo_single_VQA.tsv'),
                      ['index', 'video', 'video_path', 'question', 'answer'], [
                          [0, 'q001', './video/q001.mp4', Q_CR_MIX, C_NONASCII],
                          [1, 'q003', './video/q003.mp4', 'Describe the noise.', 'Heavy.'],
                      ])
    write_zip(os.path.join(root, 'video.zip'), [
        ('video/', b''),
        ('video/nested/', b''),
        ('video/nested/q002.mp4', dummy('q002')),
        ('video/q001.mp4', dummy('q001')),
        ('video/q003.mp4', dummy('q003')),
        ('video_notes.txt', b'an entry outside video/: extracted into the root too\n'),
    ], zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------------------------
# gaotiexinqu/V2P-Bench (VLMEvalKit class V2PBench): TSV shipped; every videos/*.zip extracted
# into videos/ unless all 13 source folders are there (never, here: only four zips), a doubled
# videos/X/X/ folded into videos/X/; vp_frames.zip into the root.

def v2p_bench(out):
    root = os.path.join(out, 'gaotiexinqu--V2P-Bench')
    write(os.path.join(root, 'README.md'), readme('gaotiexinqu/V2P-Bench'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write_shipped_tsv(os.path.join(root, 'V2P-Bench.tsv'),
                      ['index', 'video_path', 'image_path', 'question', 'answer', 'candidates'], [
                          [0, 'ActivityNet/v_abc', 'frames/0.png', Q_QUOTE_TAB_NL, 'A', "['A. a', 'B. b']"],
                          [1, 'MVBench/star/AAA01.mp4', 'frames/0.png', Q_UNICODE, 'B', "['A. a', 'B. b']"],
                          [2, 'Video-MME_xk/v.x.y', 'frames/2.png', 'Which one?', 'A', "['A. a', 'B. b']"],
                          [3, 'LVBench/deep/lv_1', 'frames/3.png', 'Which one?', 'B', "['A. a', 'B. b']"],
                      ])
    write_zip(os.path.join(root, 'vp_frames.zip'), [
        ('frames/', b''),
        ('frames/0.png', dummy('v2p0')),
        ('frames/2.png', dummy('v2p2')),
        ('frames/3.png', dummy('v2p3')),
    ])
    # LVBench.zip holds its folder twice: unzip_video folds LVBench/LVBench/ into LVBench/
    write_zip(os.path.join(root, 'videos', 'LVBench.zip'), [
        ('LVBench/', b''),
        ('LVBench/LVBench/', b''),
        ('LVBench/LVBench/deep/', b''),
        ('LVBench/LVBench/deep/lv_1.mp4', dummy('lv_1')),
        ('LVBench/LVBench/lv_top.mp4', dummy('lv_top')),
    ])
    write_zip(os.path.join(root, 'videos', 'ActivityNet.zip'), [
        ('ActivityNet/', b''),
        ('ActivityNet/v_abc.mp4', dummy('v_abc')),
    ])
    write_zip(os.path.join(root, 'videos', 'MVBench.zip'), [
        ('MVBench/star/AAA01.mp4', dummy('AAA01 v2p')),
        ('MVBench/star/AAA02.mp4', dummy('AAA02 v2p')),
    ], zipfile.ZIP_DEFLATED)
    write_zip(os.path.join(root, 'videos', 'Video-MME_xk.zip'), [
        ('Video-MME_xk/v.x.y', dummy('v.x.y')),          # has an extension ('.y'): no .mp4 added
    ])
    # not a zip: left alone
    write(os.path.join(root, 'videos', 'LICENSE.txt'), 'dummy licence\n')


# ---------------------------------------------------------------------------------------------
# insomnia7/omtg_bench (VLMEvalKit class OMTGBench): TSV shipped; videos.zip extracted into the
# root (its own tree) when videos/ is not there.

def omtg_bench(out):
    root = os.path.join(out, 'insomnia7--omtg_bench')
    write(os.path.join(root, 'README.md'), readme('insomnia7/omtg_bench'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write_shipped_tsv(os.path.join(root, 'OMTGBench.tsv'),
                      ['index', 'video', 'question', 'answer', 'task_type'], [
                          [0, 'clip_01', Q_QUOTE_TAB_NL, '[[1.0, 2.5]]', 'single'],
                          [1, 'clip_02.mp4', 'When does the dog bark?', '[[0.0, 1.0], [3.0, 4.0]]', 'multi'],
                          [2, 'sub/clip_03', Q_CR_MIX, '[]', 'none'],
                      ])
    write_zip(os.path.join(root, 'videos.zip'), [
        ('videos/', b''),
        ('videos/clip_01.mp4', dummy('clip_01')),
        ('videos/clip_02.mp4', dummy('clip_02')),
        ('videos/sub/', b''),
        ('videos/sub/clip_03.mp4', dummy('clip_03')),
    ], zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------------------------
# plnguyen2908/AV-SpeakerBench, branch vlm_eval_version (VLMEvalKit class AVSpeakerBench):
# test.tsv shipped; every root zip's files written to {first folder}/{base name}, an existing
# file kept.

def av_speakerbench(out):
    root = os.path.join(out, 'plnguyen2908--AV-SpeakerBench@vlm_eval_version')
    write(os.path.join(root, 'README.md'), readme('plnguyen2908/AV-SpeakerBench'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write_shipped_tsv(os.path.join(root, 'test.tsv'),
                      ['index', 'video', 'audio_visual_path', 'visual_path', 'audio_path', 'question', 'candidates',
                       'answer'], [
                          [0, 'spk_01', 'audio_visual/spk_01.mp4', 'visual/spk_01.mp4', 'audio/spk_01.wav',
                           Q_QUOTE_TAB_NL, "['(A) one', '(B) two']", 'A'],
                          # an empty audio_path and a 'nan' one: not checked (pd.isna)
                          [1, 'spk_02', 'audio_visual/spk_02.mp4', 'visual/spk_02.mp4', '', Q_UNICODE,
                           "['(A) one', '(B) two']", 'B'],
                          [2, 'spk_03', 'audio_visual/spk_03.mp4', 'visual/spk_03.mp4', 'nan', 'Who speaks?',
                           "['(A) one', '(B) two']", 'A'],
                      ])
    write_zip(os.path.join(root, 'audio_visual.zip'), [
        ('audio_visual/', b''),
        ('audio_visual/part1/', b''),
        ('audio_visual/part1/spk_01.mp4', dummy('av spk_01')),
        ('audio_visual/part1/spk_02.mp4', dummy('av spk_02')),
        ('audio_visual/part2/spk_01.mp4', b'a later entry of the same target: skipped\n'),
        ('audio_visual/part2/spk_03.mp4', dummy('av spk_03')),
        ('README.md', b'a top-level entry whose target exists (the repo file): skipped\n'),
        ('notes.txt', b'a top-level entry: written to the root\n'),
    ], zipfile.ZIP_DEFLATED)
    write_zip(os.path.join(root, 'b_visual.zip'), [
        ('visual/spk_01.mp4', dummy('v spk_01')),
        ('visual/deep/er/spk_02.mp4', dummy('v spk_02')),
        ('visual/spk_03.mp4', dummy('v spk_03')),
        ('notes.txt', b'sorted after audio_visual.zip: its notes.txt stays\n'),
    ])
    write_zip(os.path.join(root, 'c_audio.zip'), [
        ('audio/spk_01.wav', dummy('a spk_01')),
    ])


def ustar_bytes(entries):
    """A deterministic ustar archive of (name, bytes) entries; a name ending in '/' is a folder."""
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.USTAR_FORMAT) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name.rstrip('/'))
            info.mtime = 315532800
            info.uid = info.gid = 0
            info.uname = info.gname = ''
            if name.endswith('/'):
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            else:
                info.mode = 0o644
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
def split_tar_repo(out, repo, folder, files, part_names):
    """A repo (README, .gitattributes) whose ustar archive of `folder/` and `files` ((name, bytes)
    under it) is cut into equal parts named part_names (the last takes the rest); its root."""
    root = os.path.join(out, repo.replace('/', '--'))
    write(os.path.join(root, 'README.md'), readme(repo))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES + '*.tar* filter=lfs diff=lfs merge=lfs -text\n')
    tar = ustar_bytes([(folder + '/', b'')] + [(f'{folder}/{n}', data) for n, data in files])
    size = len(tar) // len(part_names)
    for i, name in enumerate(part_names):
        write(os.path.join(root, name), tar[i * size:(i + 1) * size if i + 1 < len(part_names) else len(tar)])
    return root


# Enxin/VLMEval-MovieChat1k (VLMEvalKit class MovieChat1k): TSV shipped; videos.tar split in
# three parts, joined into videos.tar and extracted into the root.

def moviechat1k(out):
    root = split_tar_repo(out, 'Enxin/VLMEval-MovieChat1k', 'videos',
                          [('1.mp4', dummy('movie 1', 3000)), ('movie_02.mp4', dummy('movie 2', 2500))],
                          ['videos.tar.part0', 'videos.tar.part1', 'videos.tar.part2'])
    write_shipped_tsv(os.path.join(root, 'MovieChat1k.tsv'), ['index', 'video', 'question', 'answer', 'mode'], [
        [0, '1', Q_QUOTE_TAB_NL, C_APOS, 'global'],
        [1, '1', 'What happens at the end?', 'They leave.', 'breakpoint'],
        [2, 'movie_02.mp4', Q_CR_MIX, C_NONASCII, 'global'],
    ])


# ---------------------------------------------------------------------------------------------
# Srikant86/MVTamperBench, MVTamperBenchStart, MVTamperBenchEnd (VLMEvalKit class MVTamperBench):
# json/ task files (19, with tamper_type) -> TSV; video/*.zip extracted into video/, then the
# data0613 and perception moves.

MVTAMPER_FILES = [
    ('action_sequence.json', 'star/Charades_v1_480/'), ('action_prediction.json', 'star/Charades_v1_480/'),
    ('action_antonym.json', 'ssv2_video/'), ('fine_grained_action.json', 'Moments_in_Time_Raw/videos/'),
    ('unexpected_action.json', 'FunQA_test/test/'), ('object_existence.json', 'clevrer/video_validation/'),
    ('object_interaction.json', 'star/Charades_v1_480/'), ('object_shuffle.json', 'perception/videos/'),
    ('moving_direction.json', 'clevrer/video_validation/'), ('action_localization.json', 'sta/sta_video/'),
    ('scene_transition.json', 'scene_qa/video/'), ('action_count.json', 'perception/videos/'),
    ('moving_count.json', 'clevrer/video_validation/'), ('moving_attribute.json', 'clevrer/video_validation/'),
    ('state_change.json', 'perception/videos/'), ('character_order.json', 'perception/videos/'),
    ('egocentric_navigation.json', 'vlnqa/'), ('episodic_reasoning.json', 'tvqa/frames_fps3/'),
    ('counterfactual_inference.json', 'clevrer/video_validation/'),
]


def mvtamperbench(out, subset):
    root = os.path.join(out, f'Srikant86--{subset}')
    write(os.path.join(root, 'README.md'), readme(f'Srikant86/{subset}'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    tag = subset[len('MVTamperBench'):] or 'Mid'
    items = {
        'action_sequence.json': [
            dict(video='AAA01.mp4', question=Q_QUOTE_TAB_NL, candidates=[C_APOS, C_TAB], answer=C_APOS,
                 start=12.5, end=30, tamper_type='original'),
            dict(video=f'AAA01_masking_{tag}.mp4', question='Is the clip tampered?', candidates=['Yes', 'No'],
                 answer='Yes', start=3, end=12, tamper_type='masking'),
            # its video is in no zip: skipped, as upstream
            dict(video='missing.mp4', question='Not there', candidates=['Yes', 'No'], answer='No', tamper_type='original'),
        ],
        'action_antonym.json': [
            dict(video='20422.mp4', question=Q_CR_MIX, candidates=[C_BOTH, C_BSL, C_CR], answer=C_BSL,
                 tamper_type='dropping'),
        ],
        'object_shuffle.json': [
            # perception/videos/part1/x.mp4 moved up to perception/videos/x.mp4
            dict(video='video_7794.mp4', question=Q_UNICODE, candidates=[C_NONASCII, C_ZWJ, C_NBSP], answer=C_NBSP,
                 tamper_type='repetition'),
        ],
        'action_localization.json': [
            # from data0613/sta/sta_video/ (moved), start without end, a null end
            dict(video='moved.mp4', question='When?', candidates=['Early', 'Late'], answer='Late', start=4.5,
                 tamper_type='substitution'),
            dict(video='kept.mp4', question='Which copy?', candidates=['zip', 'data0613'], answer='zip', start=1,
                 end=None, tamper_type='original'),
        ],
        'episodic_reasoning.json': [
            dict(video='castle_s07e04_seg02_clip_14', question='What did Castle say?', candidates=['a', 'b'],
                 answer='a', start=1, end=20.75, tamper_type=7),
        ],
    }
    zips = {
        'star.zip': [('star/', b''), ('star/Charades_v1_480/', b''),
                     ('star/Charades_v1_480/AAA01.mp4', dummy('tamper AAA01')),
                     (f'star/Charades_v1_480/AAA01_masking_{tag}.mp4', dummy('tamper masking ' + tag))],
        'ssv2_video.zip': [('ssv2_video/20422.mp4', dummy('tamper 20422'))],
        'perception.zip': [('perception/videos/part1/video_7794.mp4', dummy('tamper 7794')),
                           ('perception/videos/video_1001.mp4', dummy('tamper 1001'))],
        'sta.zip': [('sta/sta_video/kept.mp4', b'the copy from the zip stays\n'),
                    ('data0613/sta/sta_video/kept.mp4', b'the data0613 copy is not moved over it\n'),
                    ('data0613/sta/sta_video/moved.mp4', dummy('tamper moved')),
                    ('data0613/sta/readme.txt', b'depth 2: not moved\n')],
        'tvqa.zip': [(f'tvqa/frames_fps3/castle_s07e04_seg02_clip_14/{i:05d}.jpg', dummy(f'frame {i}', 32))
                     for i in range(1, 3)],
    }
    for name, _ in MVTAMPER_FILES:
        write_json(os.path.join(root, 'json', name), items.get(name, []))
    for zname, entries in sorted(zips.items()):
        write_zip(os.path.join(root, 'video', zname), entries,
                  zipfile.ZIP_DEFLATED if zname == 'star.zip' else zipfile.ZIP_STORED)


def mvtamperbench_all(out):
    for subset in ['MVTamperBench', 'MVTamperBenchStart', 'MVTamperBenchEnd']:
        mvtamperbench(out, subset)


# ---------------------------------------------------------------------------------------------
# MVU-Eval-Team/MVU-Eval-Data (VLMEvalKit class MVUEval): only *.json, *.mp4, *.zip are
# downloaded; the JSON (a dict of index to item) -> mvu_eval.tsv; the zip flattened into the root.

def mvu_eval(out):
    root = os.path.join(out, 'MVU-Eval-Team--MVU-Eval-Data')
    write(os.path.join(root, 'README.md'), readme('MVU-Eval-Team/MVU-Eval-Data'))   # not downloaded
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write(os.path.join(root, 'notes.txt'), 'not downloaded (allow_patterns)\n')
    annos = {
        # keys out of order: rows sorted by index
        '10': {'video_paths': ['video/a1.mp4', 'video/b2.mp4'], 'question': Q_QUOTE_TAB_NL,
               'options': [C_APOS, C_BOTH, C_TAB, C_NL], 'ground_truth': 'A', 'task': 'Counting'},
        '2': {'video_paths': ['c3.mp4'], 'question': Q_UNICODE,
              'options': [C_NONASCII, C_ZWJ, C_NBSP, C_BSL, 'ctl\x01\x7f', 3, 2.5, None, True],
              'ground_truth': 'B'},   # no task: ''
        '7': {'video_paths': [' video/a1.mp4 ', 'b2'], 'question': Q_CR_MIX, 'options': [C_CR, '\u2028sep'],
              'ground_truth': 'C', 'task': 'Ordering'},
    }
    write_json(os.path.join(root, 'MVU_Eval_QA.json'), annos)
    write_zip(os.path.join(root, 'MVU_Eval_videos.zip'), [
        ('videos/', b''),
        ('videos/a1.mp4', dummy('mvu a1')),
        ('videos/part2/', b''),
        ('videos/part2/b2.mp4', dummy('mvu b2')),
        ('videos/part2/c3.mp4', dummy('mvu c3')),
        ('__MACOSX/videos/._a1.mp4', b'resource fork: skipped\n'),
    ], zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------------------------
# Enxin/VLMEval-VDC (VLMEvalKit class VDC): TSV shipped; video.tar split in two parts, joined
# into video.tar and extracted into the root unless video/ is there.

def vdc(out):
    root = split_tar_repo(out, 'Enxin/VLMEval-VDC', 'video', [('v_001.mp4', dummy('vdc 1', 2100)), ('v_002.mp4', dummy('vdc 2', 1900))],
                          ['video.tar.part_aa', 'video.tar.part_ab'])
    write_shipped_tsv(os.path.join(root, 'VDC.tsv'), ['index', 'video', 'caption_type', 'question', 'answer'], [
        [0, 'v_001.mp4', 'detailed', 'Describe the video.', C_APOS],
        [1, 'v_002', 'short', Q_QUOTE_TAB_NL, C_NONASCII],
    ])


# ---------------------------------------------------------------------------------------------
# Enxin/Video-MMLU (VLMEvalKit classes Video_MMLU_CAP, Video_MMLU_QA): two TSVs shipped;
# youtube_videos.tar split in two parts (joined) and slides.zip in one (used as it is), each
# extracted into the root unless a folder of its base name is there; nothing when
# youtube_videos/ is there.

def video_mmlu(out):
    root = split_tar_repo(out, 'Enxin/Video-MMLU', 'youtube_videos',
                          [('lec_01.mp4', dummy('mmlu 1', 2300)), ('lec_02.mp4', dummy('mmlu 2', 2200))],
                          ['youtube_videos.tar.part0', 'youtube_videos.tar.part1'])
    write_shipped_tsv(os.path.join(root, 'Video_MMLU_CAP.tsv'), ['index', 'video', 'discipline', 'question', 'answer'], [
        [0, 'lec_01.mp4', 'Math', 'Describe the lecture.', C_APOS],
        [1, 'lec_02.mp4', 'physics', Q_CR_MIX, C_NONASCII],
    ])
    write_shipped_tsv(os.path.join(root, 'Video_MMLU_QA.tsv'), ['index', 'video', 'discipline', 'question', 'answer'], [
        [0, 'lec_01.mp4', 'Math', 'What is 2+2?', '4'],
        [1, 'lec_02.mp4', 'physics', Q_QUOTE_TAB_NL, C_TAB],
    ])
    write_zip(os.path.join(root, 'slides.zip'), [('slides/', b''), ('slides/lec_01.pdf', dummy('slides 1'))])


# ---------------------------------------------------------------------------------------------
# DREAM-1K (VLMEvalKit class DREAM): the TSV from mjuicem/DREAM-1k-VLMEvalKit, the videos from
# omni-research/DREAM-1K's video/video.zip (only those files downloaded), flattened into the
# dataset root without __MACOSX entries unless the root has an .mp4.

def dream(out):
    root = os.path.join(out, 'mjuicem--DREAM-1k-VLMEvalKit')
    write(os.path.join(root, 'README.md'), readme('mjuicem/DREAM-1k-VLMEvalKit'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write_shipped_tsv(os.path.join(root, 'DREAM-1K.tsv'), ['index', 'video', 'source', 'question', 'answer', 'events'], [
        [0, 'video/1', 'Film', 'Describe the video in detail.', C_APOS, '["A man waves."]'],
        [1, 'video/2', 'Shorts', 'Describe the video in detail.', Q_CR_MIX, 'nan'],
    ])
    write(os.path.join(root, 'other/DREAM-1K-old.tsv'), 'index\tvideo\nnot downloaded\n')
    root = os.path.join(out, 'omni-research--DREAM-1K')
    write(os.path.join(root, 'README.md'), readme('omni-research/DREAM-1K'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    write_json(os.path.join(root, 'json/DREAM-1K.json'), [{'idx': 1, 'note': 'not downloaded'}])
    write_zip(os.path.join(root, 'video/video.zip'), [
        ('video/', b''),
        ('video/1.mp4', dummy('dream 1', 1800)),
        ('video/sub/2.mp4', dummy('dream 2', 1700)),
        ('__MACOSX/video/._1.mp4', b'resource fork: skipped\n'),
    ], zipfile.ZIP_DEFLATED)


CAPTION_REPOS = ['Enxin--VLMEval-VDC', 'Enxin--Video-MMLU', 'mjuicem--DREAM-1k-VLMEvalKit', 'omni-research--DREAM-1K']


# Group B's repos: the folders they write, and the functions that write them (main() runs them).
GROUP_B_REPOS = ['TencentARC--Video-Holmes', 'zhangzicheng--Q-Bench-Video', 'gaotiexinqu--V2P-Bench',
                 'insomnia7--omtg_bench', 'plnguyen2908--AV-SpeakerBench@vlm_eval_version',
                 'Enxin--VLMEval-MovieChat1k', 'Srikant86--MVTamperBench', 'Srikant86--MVTamperBenchStart',
                 'Srikant86--MVTamperBenchEnd', 'MVU-Eval-Team--MVU-Eval-Data']
GROUP_B = [video_holmes, qbench_video, v2p_bench, omtg_bench, av_speakerbench, moviechat1k, mvtamperbench_all,
           mvu_eval]


# ---------------------------------------------------------------------------------------------
# OpenGVLab/MVBench, main branch (VLMEvalKit class MVBench)

# task json, prefix (after 'your_data_path' -> 'video'), zip it ships in, items
MVBENCH_TASKS = [
    ('action_sequence.json', 'video/star/Charades_v1_480/', 'star.zip', [
        dict(video='AAA01.mp4', question=Q_QUOTE_TAB_NL, candidates=[C_APOS, 'Put down the book.', C_TAB],
             answer=C_APOS, start=12.5, end=30.1),
        dict(video='AAA02.mp4', question='What did the person do first?', candidates=['Sat down.', 'Stood up.'],
             answer='Stood up.', start=3, end=12),
    ]),
    ('action_prediction.json', 'video/star/Charades_v1_480/', 'star.zip', [
        dict(video='AAA03.mp4', question='What will the person do next?', candidates=['Open the door.', 'Close the box.'],
             answer='Close the box.', start=0, end=7.25),
    ]),
    ('action_antonym.json', 'video/ssv2_video/', 'ssv2_video.zip', [
        dict(video='166583.mp4', question='What is the action performed by the person in the video?',
             candidates=['Not sure', 'Pushing something', 'Pulling something'], answer='Pulling something'),
        dict(video='20422.mp4', question=Q_CR_MIX, candidates=[C_BOTH, C_BSL, C_CR], answer=C_BSL),
    ]),
    ('fine_grained_action.json', 'video/Moments_in_Time_Raw/videos/', 'Moments_in_Time_Raw.zip', [
        dict(video='juggling/getty-juggling-video-id1.mp4', question='What is the action in the video?',
             candidates=['juggling', 'drumming', 'sewing'], answer='juggling'),
    ]),
    ('unexpected_action.json', 'video/FunQA_test/test/', 'FunQA_test.zip', [
        dict(video='H_A_101_1433_1557.mp4', question='What is funny about the video?',
             candidates=['The cat falls.', 'The dog jumps.'], answer='The cat falls.'),
        # a lone CR and nothing else that needs quoting: Python <= 3.12's csv module leaves the
        # field unquoted, 3.13 quotes it (see README.md)
        dict(video='H_A_102_0001_0100.mp4', question='Why is it funny?\rOnly a lone carriage return here.',
             candidates=['It is not.', 'The ending.'], answer='The ending.'),
    ]),
    ('object_existence.json', 'video/clevrer/video_validation/', 'clevrer.zip', [
        dict(video='video_10000.mp4', question='Are there any moving green objects when the video ends?',
             candidates=['not sure', 'yes', 'no'], answer='yes'),
        dict(video='video_10001.mp4', question=Q_UNICODE, candidates=[C_NONASCII, C_ZWJ, C_NBSP], answer=C_NBSP),
    ]),
    ('object_interaction.json', 'video/star/Charades_v1_480/', 'star.zip', [
        dict(video='AAA04.mp4', question='Which object was tidied up by the person?',
             candidates=['The clothes.', 'The towel.'], answer='The towel.', start=1e-05, end=123456789.125),
    ]),
    ('object_shuffle.json', 'video/perception/videos/', 'perception.zip', [
        dict(video='video_7794.mp4', question='Where is the hidden object at the end of the game?',
             candidates=['Under the first object from the left.', 'Under the third object from the left.'],
             answer='Under the first object from the left.'),
    ]),
    ('moving_direction.json', 'video/clevrer/video_validation/', 'clevrer.zip', [
        dict(video='video_10002.mp4', question="What direction is the cyan sphere moving within the video's duration?",
             candidates=['up and to the right', 'down'], answer='down'),
    ]),
    ('action_localization.json', 'video/sta/sta_video/', 'sta.zip', [
        dict(video='5d8c2bf6-5b5e-4e6e-9d6f-0f6c3e4b1a2c.mp4', question='During which part of the video does the action occur?',
             candidates=['At the beginning.', 'In the middle.', 'At the end.'], answer='In the middle.', start=22.0, end=37),
        dict(video='6e9d3c07-6c6f-4f7f-8e70-1a7d4f5c2b3d.mp4', question='When does the person pick up the knife?',
             candidates=['Throughout the video.', 'At the end.'], answer='At the end.', start=4.5),
    ]),
    ('scene_transition.json', 'video/scene_qa/video/', 'scene_qa.zip', [
        dict(video='0e7a2b1c.mp4', question="What's the right option for how the scenes in the video change?",
             candidates=['From the kitchen to the garden.', 'From the street to the shop.'],
             answer='From the street to the shop.'),
    ]),
    ('action_count.json', 'video/perception/videos/', 'perception.zip', [
        dict(video='video_1001.mp4', question='How many times did the person launch objects on the table?',
             candidates=['3', '2', '4'], answer='3'),
    ]),
    ('moving_count.json', 'video/clevrer/video_validation/', 'clevrer.zip', [
        dict(video='video_10003.mp4', question='How many metal objects are moving when the video ends?',
             candidates=['1', '0', '2'], answer='0'),
    ]),
    ('moving_attribute.json', 'video/clevrer/video_validation/', 'clevrer.zip', [
        dict(video='video_10004.mp4', question='What color is the object that is stationary?',
             candidates=['red', 'blue', 'gray'], answer='gray'),
    ]),
    ('state_change.json', 'video/perception/videos/', 'perception.zip', [
        dict(video='video_2002.mp4', question='What is the state of the lid at the end?',
             candidates=['open', 'closed'], answer='closed'),
    ]),
    ('fine_grained_pose.json', 'video/nturgbd/', 'nturgbd.zip', [
        dict(video='S001C001P001R001A001_rgb.mp4', question='What is the pose performed by the person?',
             candidates=['drink water', 'eat meal', 'brush teeth'], answer='drink water'),
    ]),
    ('character_order.json', 'video/perception/videos/', 'perception.zip', [
        dict(video='video_3003.mp4', question='What letters did the person type on the computer in order?',
             candidates=['b, a, c', 'a, b, c'], answer='a, b, c'),
    ]),
    ('egocentric_navigation.json', 'video/vlnqa/', 'vlnqa.zip', [
        dict(video='1LXtFkjw3qL_0.mp4', question="This is a navigation video of an agent following instruction: "
             "'Walk to the sofa.' What is the next action it should take?",
             candidates=['Turn left and move forward', 'Stop'], answer='Stop'),
    ]),
    ('episodic_reasoning.json', 'video/tvqa/frames_fps3_hq/', 'tvqa.zip', [
        # 'frame' type: the "video" is a folder of JPEG frames
        dict(video='castle_s07e04_seg02_clip_14', question='What did Castle say after he sat down?',
             candidates=['I know who did it.', "It's not over."], answer="It's not over.", start=3.5, end=10),
        dict(video='house_s02e06_seg02_clip_03', question='Why is House angry?',
             candidates=['Because of the test.', 'Because of the call.'], answer='Because of the call.', start=1, end=20.75),
    ]),
    ('counterfactual_inference.json', 'video/clevrer/video_validation/', 'clevrer.zip', [
        dict(video='video_10005.mp4', question='Which event will happen if the cylinder is removed?',
             candidates=['The sphere collides with the cube.', 'The cube and the sphere collide.'],
             answer='The cube and the sphere collide.'),
    ]),
]

# Zips whose entries sit under data0613/ (VLMEvalKit's move_files moves
# video/data0613/X/Y/ITEM to video/X/Y/ITEM afterwards).
DATA0613_ZIPS = {'sta.zip', 'tvqa.zip'}
# Zips written with folder entries ('x/' names); the others hold file entries only.
ZIPS_WITH_DIR_ENTRIES = {'star.zip', 'tvqa.zip', 'clevrer.zip'}
# Zips written deflated; the others stored.
DEFLATED_ZIPS = {'clevrer.zip', 'tvqa.zip'}
FRAME_COUNT = 3


def mvbench_main(out):
    root = os.path.join(out, 'OpenGVLab--MVBench')
    write(os.path.join(root, 'README.md'), readme('OpenGVLab/MVBench'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    zips = {}   # zip name -> list of (name, bytes)

    def add(zname, name, data):
        zips.setdefault(zname, [])
        if not any(n == name for n, _ in zips[zname]):
            zips[zname].append((name, data))

    for json_name, prefix, zname, items in MVBENCH_TASKS:
        write_json(os.path.join(root, 'json', json_name), items)
        inner = prefix[len('video/'):]          # e.g. 'star/Charades_v1_480/'
        if zname in DATA0613_ZIPS:
            inner = 'data0613/' + inner
        for it in items:
            if json_name == 'episodic_reasoning.json':
                for i in range(1, FRAME_COUNT + 1):
                    p = f'{inner}{it["video"]}/{i:05d}.jpg'
                    add(zname, p, dummy(p, 48))
            else:
                p = inner + it['video']
                add(zname, p, dummy(p))
    # Extra entries: a depth-2 file under data0613 that move_files leaves where it is, and a
    # stray top-level file (not a video, not moved).
    add('sta.zip', 'data0613/sta/readme.txt', b'sta annotations live in json/action_localization.json\n')
    add('perception.zip', 'perception/LICENSE.txt', b'dummy licence\n')

    for zname in sorted(zips):
        entries = sorted(zips[zname])
        if zname in ZIPS_WITH_DIR_ENTRIES:
            dirs = set()
            for n, _ in entries:
                parts = n.split('/')[:-1]
                for k in range(1, len(parts) + 1):
                    dirs.add('/'.join(parts[:k]) + '/')
            entries = sorted(entries + [(d, b'') for d in dirs])
        write_zip(os.path.join(root, 'video', zname), entries,
                  zipfile.ZIP_DEFLATED if zname in DEFLATED_ZIPS else zipfile.ZIP_STORED)


# ---------------------------------------------------------------------------------------------
# OpenGVLab/MVBench, branch 'video' (VLMEvalKit class MVBench_MP4): test.json + plain MP4s.

def mvbench_video_branch(out):
    root = os.path.join(out, 'OpenGVLab--MVBench@video')
    write(os.path.join(root, 'README.md'), readme('OpenGVLab/MVBench (video branch)'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    # 'root' in a different key order than 'meta' (prefixes are looked up by task name);
    # one prefix without a trailing slash.
    root_map = {
        'Episodic Reasoning': 'video/tvqa',
        'Action Sequence': 'video/star/',
        'Object Existence': 'video/clevrer/',
        'Action Antonym': 'video/ssv2_video/',
    }
    meta = {
        'Action Sequence': [
            dict(video='AAA01.mp4', question=Q_QUOTE_TAB_NL, answer=C_APOS,
                 candidates=[C_APOS, 'Put down the book.', C_TAB], start=12.5, end=30.1),
            dict(video='AAA02.mp4', question='What did the person do first?', answer='Stood up.',
                 candidates=['Sat down.', 'Stood up.']),
        ],
        'Action Antonym': [
            dict(video='166583.mp4', question=Q_CR_MIX, answer=C_BSL, candidates=[C_BOTH, C_BSL, C_CR]),
        ],
        'Object Existence': [
            dict(video='video_10001.mp4', question=Q_UNICODE, answer=C_NBSP, candidates=[C_NONASCII, C_ZWJ, C_NBSP]),
        ],
        'Episodic Reasoning': [
            dict(video='castle_s07e04_seg02_clip_14.mp4', question='What did Castle say after he sat down?',
                 answer="It's not over.", candidates=['I know who did it.', "It's not over."]),
        ],
    }
    write_json(os.path.join(root, 'test.json'), {'root': root_map, 'meta': meta})
    for task, items in meta.items():
        for it in items:
            p = os.path.join(root_map[task], it['video'])
            write(os.path.join(root, p), dummy(p))


# ---------------------------------------------------------------------------------------------
# lmms-lab/Video-MME (VLMEvalKit class VideoMME)

VIDEOMME_ROWS = [
    # video_id, duration, domain, sub_category, videoID, question_id, task_type, question, options, answer
    ('001', 'short', 'Knowledge', 'Humanity & History', 'fFjv93ACGo8', '001-1', 'Counting Problem',
     'When demonstrating the Germany modern Christmas tree is initially decorated with apples, candles and berries, '
     'which kind of the decoration has the largest number?',
     ['A. Apples.', 'B. Candles.', 'C. Berries.', 'D. The three kinds are of the same number.'], 'C'),
    ('001', 'short', 'Knowledge', 'Humanity & History', 'fFjv93ACGo8', '001-2', 'Information Synopsis',
     Q_QUOTE_TAB_NL, ['A. ' + C_APOS, 'B. ' + C_BOTH, 'C. ' + C_TAB, 'D. ' + C_NBSP], 'A'),
    ('002', 'medium', 'Film & Television', 'Animation', '-Ab_9xZ-0Qc', '002-1', 'Object Recognition',
     Q_CR_MIX, ['A. ' + C_BSL, 'B. ' + C_NL, 'C. ' + C_CR, 'D. ' + C_NONASCII], 'D'),
    ('003', 'long', 'Sports Competition', 'Basketball', 'x9MbK2fTq1E', '003-1', 'Temporal Reasoning',
     Q_UNICODE, ['A. ' + C_ZWJ, 'B. First.', 'C. Second.', 'D. Third.'], 'B'),
    ('003', 'long', 'Sports Competition', 'Basketball', 'x9MbK2fTq1E', '003-2', 'Action Reasoning',
     'Why does the player raise his arm?', ['A. To wave.', 'B. To shoot.', 'C. To block.', 'D. To stretch.'], 'C'),
]


def videomme(out):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        print('make_hub_repos.py: pyarrow is missing; skipped lmms-lab/Video-MME (its Parquet file needs it)',
              file=sys.stderr)
        return False
    root = os.path.join(out, 'lmms-lab--Video-MME')
    write(os.path.join(root, 'README.md'), readme('lmms-lab/Video-MME'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    cols = {k: [] for k in ['video_id', 'duration', 'domain', 'sub_category', 'url', 'videoID',
                            'question_id', 'task_type', 'question', 'options', 'answer']}
    for vid, dur, dom, sub, vID, qid, task, q, opts, ans in VIDEOMME_ROWS:
        for k, v in zip(['video_id', 'duration', 'domain', 'sub_category', 'url', 'videoID', 'question_id',
                         'task_type', 'question', 'options', 'answer'],
                        [vid, dur, dom, sub, f'https://www.youtube.com/watch?v={vID}', vID, qid, task, q, opts, ans]):
            cols[k].append(v)
    schema = pa.schema([(k, pa.list_(pa.string()) if k == 'options' else pa.string()) for k in cols])
    table = pa.table({k: pa.array(v, type=schema.field(k).type) for k, v in cols.items()}, schema=schema)
    path = os.path.join(root, 'videomme', 'test-00000-of-00001.parquet')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(table, path, compression='snappy')

    # Videos: nested folders inside the zips (VLMEvalKit flattens them with basename into video/).
    # video_10.zip sorts between video_1.zip and video_2.zip; all three hold a 'shared.mp4' and the
    # copy from video_2.zip (sorted last) is the one that stays.
    write_zip(os.path.join(root, 'video_1.zip'), [
        ('data/', b''),
        ('data/fFjv93ACGo8.mp4', dummy('fFjv93ACGo8')),
        ('data/shared.mp4', b'shared from video_1.zip\n'),
    ])
    write_zip(os.path.join(root, 'video_10.zip'), [
        ('data/shared.mp4', b'shared from video_10.zip\n'),
        ('data/x9MbK2fTq1E.mp4', dummy('x9MbK2fTq1E')),
    ])
    write_zip(os.path.join(root, 'video_2.zip'), [
        ('data/', b''),
        ('data/part2/', b''),
        ('data/part2/-Ab_9xZ-0Qc.mp4', dummy('-Ab_9xZ-0Qc')),
        ('data/part2/deeper/shared.mp4', b'shared from video_2.zip\n'),
    ])
    srt = '1\n00:00:00,000 --> 00:00:02,000\nHello there.\n\n'
    write_zip(os.path.join(root, 'subtitle.zip'), [
        ('subtitle/', b''),
        ('subtitle/fFjv93ACGo8.srt', srt.encode()),
        ('subtitle/nested/x9MbK2fTq1E.srt', (srt + '2\n00:00:02,000 --> 00:00:04,000\nCaf\u00e9.\n\n').encode()),
    ], zipfile.ZIP_DEFLATED)
    # Not named video*.zip: must not be extracted.  (A zip in a subfolder is not looked at either.)
    write_zip(os.path.join(root, 'extra_frames.zip'), [('frames/fFjv93ACGo8/00001.jpg', dummy('frame'))])
    write_zip(os.path.join(root, 'videomme', 'video_3.zip'), [('data/not-extracted.mp4', dummy('n'))])
    return True


# ---------------------------------------------------------------------------------------------
# opencompass/MMBench-Video (VLMEvalKit class MMBenchVideo): TSV shipped in the repo, videos in
# pickles under video_pkl/, each a dict {video name (str): mp4 bytes}.

def mmbench_video(out):
    root = os.path.join(out, 'opencompass--MMBench-Video')
    write(os.path.join(root, 'README.md'), readme('opencompass/MMBench-Video'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    rows = [
        (0, 'Vz3Fb1cNmXo', 'What is the man holding?', 'A red umbrella.', "['Attribute Recognition']"),
        (1, 'Vz3Fb1cNmXo', Q_QUOTE_TAB_NL, C_APOS, "['Counting', 'Temporal Reasoning']"),
        (2, '-dL9_kq2Zp0', Q_CR_MIX, C_NONASCII, "['Object Recognition']"),
        (3, 'big_video_01', 'Where does the scene take place?', 'In a kitchen.', "['Scene Recognition']"),
        (4, 'shared_ref_a', 'What color is the car?', 'Blue.', "['Attribute Recognition']"),
        (5, 'dup_name', 'Which pickle won?', 'The last one.', "['Causal Reasoning']"),
    ]

    def cell(v):
        s = str(v)
        if any(c in s for c in '\t\n"') or '\r' in s:
            s = '"' + s.replace('"', '""') + '"'
        return s
    lines = ['index\tvideo\tvideo_path\tquestion\tanswer\tdimensions']
    for idx, vid, q, a, dims in rows:
        lines.append('\t'.join(cell(x) for x in [idx, vid, f'./video/{vid}.mp4', q, a, dims]))
    write(os.path.join(root, 'MMBench-Video.tsv'), '\n'.join(lines) + '\n')

    shared = dummy('shared_ref', 300)          # one bytes object under two names: a memo reference
    os.makedirs(os.path.join(root, 'video_pkl'), exist_ok=True)
    pkls = [
        # file name, protocol, dict
        ('video_pkl_0.pkl', 4, {'Vz3Fb1cNmXo': dummy('Vz3Fb1cNmXo', 200),       # SHORT_BINBYTES
                                'big_video_01': dummy('big_video_01', 70000),   # BINBYTES, outside a frame
                                'shared_ref_a': shared, 'shared_ref_b': shared,
                                'dup_name': b'dup from video_pkl_0.pkl\n'}),
        ('video_pkl_1.pkl', 3, {'-dL9_kq2Zp0': dummy('-dL9_kq2Zp0', 1000),
                                'dup_name': b'dup from video_pkl_1.pkl\n'}),
        ('video_pkl_2.pkl', 5, {'p5_video': dummy('p5_video', 100)}),
    ]
    for name, proto, d in pkls:
        with open(os.path.join(root, 'video_pkl', name), 'wb') as f:
            pickle.dump(d, f, protocol=proto)


# ---------------------------------------------------------------------------------------------
# MLVU/MVLU (VLMEvalKit classes MLVU_MCQ and MLVU_OpenEnded): task JSON files under MLVU/json/,
# the videos unpacked under MLVU/video/{task folder}/.

MLVU_TASKS = [
    # json file, video folder, items
    ('1_plotQA.json', '1_plotQA', [
        dict(video='movie101_66.mp4', duration=246, question=Q_QUOTE_TAB_NL,
             candidates=[C_APOS, C_BOTH, C_TAB, C_NBSP], answer=C_APOS, question_type='plotQA'),
        dict(video='movie101_67.mp4', duration=180.5, question='Who opens the door?',
             candidates=['The boy', 'The girl'], answer='The girl', question_type='plotQA'),
    ]),
    ('2_needle.json', '2_needle', [
        dict(video='needle_32.mp4', duration=467, question=Q_CR_MIX,
             candidates=[C_BSL, C_NL, C_CR, C_NONASCII], answer=C_NL, question_type='needle'),
    ]),
    ('3_ego.json', '3_ego', [
        dict(video='ego_35.mp4', duration=1000, question=Q_UNICODE, candidates=[C_ZWJ, 'kitchen'],
             answer='kitchen', question_type='ego'),
    ]),
    ('4_count.json', '4_count', [
        dict(video='count_1.mp4', duration=321, question='How many dogs?', candidates=['1', '2', '3'], answer='2'),
    ]),
    ('5_order.json', '5_order', [
        dict(video='order_9.mp4', duration=300.25, question='Which order?', candidates=['(1)(2)', '(2)(1)'],
             answer='(2)(1)'),
    ]),
    ('6_anomaly_reco.json', '6_anomaly_reco', [
        dict(video='surveil_7.mp4', duration=200, question='What anomaly?', candidates=['Fighting', 'Arson'],
             answer='Arson'),
    ]),
    ('7_topic_reasoning.json', '7_topic_reasoning', [
        dict(video='AWA-6.mp4', duration=500, question='What is the topic?', candidates=['Nature', 'Sports'],
             answer='Nature'),
        dict(video='AWA-6.mp4', duration=500, question='Second question, same video?', candidates=['Yes', 'No'],
             answer='Yes'),
    ]),
    ('8_sub_scene.json', '8_sub_scene', [
        dict(video='subPlot_new_all_126.mp4', duration=480, question=Q_QUOTE_TAB_NL, answer=C_BOTH,
             scoring_points=['The man says hello.', C_TAB]),
        dict(video='subPlot_new_all_127.mp4', duration=420.5, question='What happens next?', answer='He leaves.'),
    ]),
    ('9_summary.json', '9_summary', [
        dict(video='summary_5.mp4', duration=900, question=Q_UNICODE, answer=C_NONASCII,
             scoring_points='a plain string, not a list'),
    ]),
]


def mlvu(out):
    root = os.path.join(out, 'MLVU--MVLU')
    write(os.path.join(root, 'README.md'), readme('MLVU/MVLU'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    for json_name, folder, items in MLVU_TASKS:
        write_json(os.path.join(root, 'MLVU', 'json', json_name), items)
        for it in items:
            p = f'MLVU/video/{folder}/{it["video"]}'
            write(os.path.join(root, p), dummy(p))


# ---------------------------------------------------------------------------------------------
# honglyhly/WorldSense (VLMEvalKit class WorldSense): worldsense_qa.json (video -> its fields and
# its 'task*' entries), worldsense_videos*.zip and worldsense_subtitles.zip, each flattened.

def worldsense(out):
    root = os.path.join(out, 'honglyhly--WorldSense')
    write(os.path.join(root, 'README.md'), readme('honglyhly/WorldSense'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    qa = {
        'AUOlpAcl': {
            'duration': 75.3, 'domain': 'Sports', 'sub_category': 'Basketball', 'audio_class': ['speech', 'music'],
            'video_caption': Q_QUOTE_TAB_NL,
            'task1': dict(question=Q_CR_MIX, candidates=['A. ' + C_APOS, 'B. ' + C_BOTH, 'C. ' + C_TAB, 'D. x'],
                          answer='A', task_domain='Recognition', task_type='Audio Recognition'),
            'not_a_question': 'ignored (no "task" in the key)',
            'task2': dict(question=Q_UNICODE, candidates=['A. ' + C_NONASCII, 'B. ' + C_ZWJ, 'C. ' + C_NL, 'D. y'],
                          answer='C', task_domain='Reasoning', task_type='Causal Reasoning'),
        },
        '0019Zeb1': {
            'duration': 120, 'domain': 'Film & TV', 'sub_category': 'Animation', 'audio_class': ['sound'],
            'video_caption': 'caf\u00e9 \u4e2d\u6587',
            'subtask': dict(question='Why?', candidates=['A. ' + C_BSL, 'B. ' + C_CR, 'C. c', 'D. d'],
                            answer='B', task_domain='Understanding', task_type='Emotion'),
        },
        'zz_last': {
            'duration': 30, 'domain': 'Music', 'sub_category': 'Concert', 'audio_class': [],
            'video_caption': 'The last video.',
            'task1': dict(question='Who sings?', candidates=['A. a', 'B. b', 'C. c', 'D. d'],
                          answer='D', task_domain='Recognition', task_type='Speaker'),
        },
    }
    write_json(os.path.join(root, 'worldsense_qa.json'), qa)
    # worldsense_videos_10.zip sorts before _2; 'shared.mp4' is in both, the copy from _2 stays.
    write_zip(os.path.join(root, 'worldsense_videos_1.zip'), [
        ('videos/', b''),
        ('videos/AUOlpAcl.mp4', dummy('AUOlpAcl')),
    ])
    write_zip(os.path.join(root, 'worldsense_videos_10.zip'), [
        ('part/0019Zeb1.mp4', dummy('0019Zeb1')),
        ('part/shared.mp4', b'shared from worldsense_videos_10.zip\n'),
    ])
    write_zip(os.path.join(root, 'worldsense_videos_2.zip'), [
        ('a/', b''),
        ('a/b/', b''),
        ('a/b/zz_last.mp4', dummy('zz_last')),
        ('a/b/shared.mp4', b'shared from worldsense_videos_2.zip\n'),
    ], zipfile.ZIP_DEFLATED)
    srt = '1\n00:00:00,000 --> 00:00:02,000\nHi.\n\n'
    write_zip(os.path.join(root, 'worldsense_subtitles.zip'), [
        ('subtitles/', b''),
        ('subtitles/AUOlpAcl.srt', srt.encode()),
        ('subtitles/deep/0019Zeb1.srt', (srt + 'Caf\u00e9.\n').encode()),
    ], zipfile.ZIP_DEFLATED)
    # Not worldsense_videos*: never extracted.
    write_zip(os.path.join(root, 'other_videos.zip'), [('not-extracted.mp4', dummy('n'))])


# ---------------------------------------------------------------------------------------------
# longvideobench/LongVideoBench (VLMEvalKit class LongVideoBench): lvb_val.json (read with
# pd.read_json, whose column typing matters), the videos as a tar split into parts, subtitles.tar,
# and a single tar in a subfolder (the glob is recursive).

def tar_bytes(entries):
    """entries: (name, bytes or None for a folder); fixed owner, mode and time."""
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ''
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            else:
                info.mode = 0o644
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def longvideobench(out):
    root = os.path.join(out, 'longvideobench--LongVideoBench')
    write(os.path.join(root, 'README.md'), readme('longvideobench/LongVideoBench'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES + '*.tar* filter=lfs diff=lfs merge=lfs -text\n')
    # Written as JSON text by hand: the number spellings matter (pandas' ujson reads a long
    # fraction differently from Python's float; 8.0 and 12 become one int64 column).
    records = [
        '{"video_id": "86CxyhFV9MI", "question": %s, "question_wo_referring_query": "q", '
        '"candidates": %s, "correct_choice": 0, "position": [1, 2.5], "topic_category": "NP-News-Programs", '
        '"question_category": "TOS", "level": "L2-Relation", "id": "86CxyhFV9MI_0", "video_path": "86CxyhFV9MI.mp4", '
        '"subtitle_path": "86CxyhFV9MI_en.json", "duration_group": 600, "starting_timestamp_for_subtitles": 0, '
        '"duration": 8.0, "view_count": "1024", "frac": 9.98177921181141328, "score": 0.1}'
        % (json.dumps(Q_QUOTE_TAB_NL), json.dumps([C_APOS, C_BOTH, C_TAB, C_NBSP])),
        '{"video_id": "@jonijawne-7289222365787163910", "question": %s, "question_wo_referring_query": %s, '
        '"candidates": %s, "correct_choice": 3, "position": [], "topic_category": "KS-Knowledge", '
        '"question_category": "S2E", "level": "L1-Perception", "id": "@jonijawne_1", '
        '"video_path": "@jonijawne-7289222365787163910.mp4", "subtitle_path": "@jonijawne_en.json", '
        '"duration_group": 15, "starting_timestamp_for_subtitles": 12.25, "duration": 12, "view_count": " 7 ", '
        '"frac": 1.5e2, "score": null, "extra": {"k": [1.25, "v"]}}'
        % (json.dumps(Q_CR_MIX, ensure_ascii=False), json.dumps(Q_UNICODE),
           json.dumps([C_BSL, C_NL, C_CR, C_NONASCII, C_ZWJ], ensure_ascii=False)),
        '{"video_id": "zz9", "question": "Third?", "question_wo_referring_query": "Third?", "candidates": ["a", "b"], '
        '"correct_choice": 1, "position": [3], "topic_category": "LA-Life", "question_category": "E2O", '
        '"level": "L1-Perception", "id": "zz9_0", "video_path": "zz9.mp4", "subtitle_path": "zz9_en.json", '
        '"duration_group": 3600, "starting_timestamp_for_subtitles": 1.0, "duration": 30.0, "view_count": "1_000", '
        '"frac": -0.125, "score": 3}',
    ]
    write(os.path.join(root, 'lvb_val.json'), '[\n' + ',\n'.join(records) + '\n]\n')
    write(os.path.join(root, 'lvb_test_wo_gt.json'), '[]\n')
    videos = tar_bytes([
        ('videos', None),
        ('videos/86CxyhFV9MI.mp4', dummy('86CxyhFV9MI', 3000)),
        ('videos/@jonijawne-7289222365787163910.mp4', dummy('@jonijawne', 2500)),
        ('videos/zz9.mp4', dummy('zz9', 700)),
    ])
    third = len(videos) // 3
    for suffix, chunk in [('aa', videos[:third]), ('ab', videos[third:2 * third]), ('ac', videos[2 * third:])]:
        write(os.path.join(root, f'videos.tar.part.{suffix}'), chunk)
    write(os.path.join(root, 'subtitles.tar'), tar_bytes([
        ('subtitles/86CxyhFV9MI_en.json', json.dumps([{'start': '0:00:00.000', 'end': '0:00:02.000', 'line': 'Hi.'}]).encode()),
        ('subtitles/@jonijawne_en.json', json.dumps([{'timestamp': [0.0, 1.5], 'text': 'caf\u00e9'}]).encode()),
    ]))
    write(os.path.join(root, 'extras', 'notes.tar'), tar_bytes([('notes/readme.txt', b'extracted into the root\n')]))


# ---------------------------------------------------------------------------------------------
# lmms-lab/TempCompass (VLMEvalKit classes TempCompass_MCQ, _Captioning, _YorN): one Parquet
# file per task ({task}/test-00000-of-00001.parquet; VLMEvalKit turns each into {task}.json with
# pandas' to_json), the videos in tempcompass_videos.zip (extracted as is).

def tempcompass(out):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        print('make_hub_repos.py: pyarrow is missing; skipped lmms-lab/TempCompass (its Parquet files need it)',
              file=sys.stderr)
        return False
    root = os.path.join(out, 'lmms-lab--TempCompass')
    write(os.path.join(root, 'README.md'), readme('lmms-lab/TempCompass'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    mcq_q = 'What is the man doing?\nA. ' + C_APOS + '\nB. ' + C_BOTH + '\r\nC. ' + C_TAB + '\nD. ' + C_NONASCII
    tasks = {
        'multi-choice': [
            dict(video_id='1008212365', question=mcq_q, answer='A. ' + C_APOS, dim='action', num=3),
            dict(video_id='video/with/slash', question=Q_UNICODE + '\n(A) x\n(B) y', answer='(B) y', dim='speed', num=0),
        ],
        'caption_matching': [
            dict(video_id='1008212365', question='Which caption matches?\nOption 1: ' + Q_CR_MIX + '\nOption 2: </b>',
                 answer='Option 2: </b>', dim='direction', num=-7),
        ],
        'captioning': [
            dict(video_id='25423', question='Describe it.\nWith "two" lines\tand a tab', answer='The cat falls.',
                 dim='order', mc_question='Which?\nA. up\nB. down', mc_answer='B. down', num=1),
        ],
        'yes_no': [
            dict(video_id='25423', question='Is the cat falling?\nPlease answer yes or no.', answer='yes', dim='attribute_change',
                 num=2),
            dict(video_id='1008212365', question=Q_QUOTE_TAB_NL + '\u0001\u007f', answer='no', dim='action', num=5),
        ],
    }
    for task, rows in tasks.items():
        keys = list(rows[0].keys())
        schema = pa.schema([(k, pa.int64() if k == 'num' else pa.string()) for k in keys])
        table = pa.table({k: pa.array([r[k] for r in rows], type=schema.field(k).type) for k in keys}, schema=schema)
        path = os.path.join(root, task, 'test-00000-of-00001.parquet')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        pq.write_table(table, path, compression='snappy')
    write_zip(os.path.join(root, 'tempcompass_videos.zip'), [
        ('videos/', b''),
        ('videos/1008212365.mp4', dummy('1008212365')),
        ('videos/25423.mp4', dummy('25423')),
        ('videos/video/', b''),
        ('videos/video/with/', b''),
        ('videos/video/with/slash.mp4', dummy('slash')),
    ], zipfile.ZIP_DEFLATED)
    return True


# ---------------------------------------------------------------------------------------------
# lmms-lab/video-tt (VLMEvalKit class VideoTT): data/test-00000-of-00001.parquet and
# Benchmark-AllVideos-LQ*.zip, flattened into video/.

def videott(out):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        print('make_hub_repos.py: pyarrow is missing; skipped lmms-lab/video-tt (its Parquet file needs it)',
              file=sys.stderr)
        return False
    root = os.path.join(out, 'lmms-lab--video-tt')
    write(os.path.join(root, 'README.md'), readme('lmms-lab/video-tt'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    rows = [
        # video_id, duration, question, question_prompt, capability, answer, qid (dropped)
        ('7417283924', 31.5, Q_QUOTE_TAB_NL, 'A. ' + C_APOS + '\nB. ' + C_BOTH, 'Plot Attribute (Montage)', 'A', 'q1'),
        ('7417283924', None, Q_CR_MIX, 'Answer with a word.', 'Element Counting', C_NONASCII, 'q2'),
        ('-xY_9z', 12.0, Q_UNICODE, '', 'Displacement Attribute', C_TAB, 'q3'),
    ]
    cols = ['qid', 'video_id', 'duration', 'question', 'question_prompt', 'capability', 'answer']
    data = {k: [] for k in cols}
    for vid, dur, q, qp, cap, ans, qid in rows:
        for k, v in zip(cols, [qid, vid, dur, q, qp, cap, ans]):
            data[k].append(v)
    schema = pa.schema([(k, pa.float64() if k == 'duration' else pa.string()) for k in cols])
    table = pa.table({k: pa.array(v, type=schema.field(k).type) for k, v in data.items()}, schema=schema)
    path = os.path.join(root, 'data', 'test-00000-of-00001.parquet')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(table, path, compression='snappy')
    write_zip(os.path.join(root, 'Benchmark-AllVideos-LQ.zip'), [
        ('Benchmark-AllVideos-LQ/', b''),
        ('Benchmark-AllVideos-LQ/7417283924.mp4', dummy('7417283924')),
        ('Benchmark-AllVideos-LQ/sub/-xY_9z.mp4', dummy('-xY_9z')),
    ], zipfile.ZIP_DEFLATED)
    write_zip(os.path.join(root, 'Benchmark-AllVideos-HQ.zip'), [('not-extracted.mp4', dummy('hq'))])
    return True


# ---------------------------------------------------------------------------------------------
# MME-Benchmarks/Video-MME-v2 (VLMEvalKit class VideoMMEv2):
# test.parquet (video_id an integer) and videos/*.zip, flattened into video/.

def videommev2(out):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        print('make_hub_repos.py: pyarrow is missing; skipped MME-Benchmarks/Video-MME-v2 (its Parquet file needs it)',
              file=sys.stderr)
        return False
    root = os.path.join(out, 'MME-Benchmarks--Video-MME-v2')
    write(os.path.join(root, 'README.md'), readme('MME-Benchmarks/Video-MME-v2'))
    write(os.path.join(root, '.gitattributes'), GITATTRIBUTES)
    cols = ['video_id', 'url', 'group_type', 'group_structure', 'question_id', 'question', 'options', 'answer',
            'level', 'second_head', 'third_head', 'duration']
    rows = [
        [1, 'https://www.youtube.com/watch?v=a1', 'consistency', 'parallel', 1, Q_QUOTE_TAB_NL,
         'A. ' + C_APOS + '\nB. ' + C_BOTH + '\nC. ' + C_TAB, 'A', 1, 'Perception', 'Counting', 'short'],
        [1, 'https://www.youtube.com/watch?v=a1', 'consistency', 'parallel', 2, Q_CR_MIX,
         'A. ' + C_NONASCII + '\nB. ' + C_ZWJ, 'B', 2, 'Reasoning', None, 'short'],
        [12, 'https://www.youtube.com/watch?v=b2', 'coherence', 'progressive', 3, Q_UNICODE,
         'A. x\nB. y', 'A', 3, 'Perception', 'Temporal', 'long'],
    ]
    types = {'video_id': pa.int64(), 'question_id': pa.int64(), 'level': pa.int64()}
    schema = pa.schema([(k, types.get(k, pa.string())) for k in cols])
    table = pa.table({k: pa.array([r[i] for r in rows], type=schema.field(k).type) for i, k in enumerate(cols)},
                     schema=schema)
    pq.write_table(table, os.path.join(root, 'test.parquet'), compression='snappy')
    write_zip(os.path.join(root, 'videos', 'videos_01.zip'), [
        ('001/', b''),
        ('001/1.mp4', dummy('v2-1')),
    ])
    write_zip(os.path.join(root, 'videos', 'videos_02.zip'), [
        ('deep/er/12.mp4', dummy('v2-12')),
        ('deep/er/1.mp4', b'1.mp4 from videos_02.zip\n'),
    ], zipfile.ZIP_DEFLATED)
    write_zip(os.path.join(root, 'videos_root.zip'), [('not-extracted.mp4', dummy('v2-root'))])
    write_zip(os.path.join(root, 'subtitle.zip'), [('1.jsonl', b'{"text": "not extracted by VLMEvalKit"}\n')])
    return True


# ---------------------------------------------------------------------------------------------
# The EASI spatial family (VLMEvalKit classes STIBench, DSRBench): TSVs from
# lmms-lab-si/EASI-Leaderboard-Data (prepare_tsv's resolve/main URL into LMUData), media from
# each benchmark's repo, every *.zip of one folder extracted in place, then a sentinel file.

EASI_REPOS = ['lmms-lab-si--EASI-Leaderboard-Data', 'MINT-SJTU--STI-Bench', 'nyu-visionx--VSI-Bench', 'nyu-visionx--VSI-SUPER-Recall',
              'nyu-visionx--VSI-SUPER-Count', 'franky-veteran--SITE-Bench', 'rbler--MMSI-Video-Bench']


def easi(out):
    lb = os.path.join(out, 'lmms-lab-si--EASI-Leaderboard-Data')
    write(os.path.join(lb, 'README.md'), readme('lmms-lab-si/EASI-Leaderboard-Data'))
    write(os.path.join(lb, '.gitattributes'), GITATTRIBUTES)
    write_shipped_tsv(os.path.join(lb, 'STIBench.tsv'),
                      ['index', 'video', 'question', 'time_start', 'time_end', 'options', 'answer', 'task_type'], [
                          [0, 'videos/a.mp4', Q_QUOTE_TAB_NL, 0, 1.5, str([C_APOS, C_BOTH, '3 m']), 'B',
                           'Displacement & Path Length'],
                          [1, 'videos/sub/b.mp4', Q_UNICODE, 0.5, 2, str([C_TAB, C_NONASCII]), 'A', 'Ego-Centric Orientation'],
                      ])
    write_shipped_tsv(os.path.join(lb, 'DSRBench.tsv'), ['index', 'video', 'question', 'options', 'answer', 'task_type'], [
        [0, 'clips/x.mp4', Q_CR_MIX, str(['A. left', 'B. right']), 'A', 'abs_dir'],
        [1, 'clips/deep/y.mp4', 'How fast?', str(['A. slow', 'B. fast']), 'B', 'rel_spd'],
    ])
    # Another family's TSV and zip: never downloaded for these two.
    write_shipped_tsv(os.path.join(lb, 'OtherBench.tsv'), ['index', 'video'], [[0, 'o.mp4']])
    write_zip(os.path.join(lb, 'raw_data', 'other.zip'), [('other/o.mp4', dummy('o'))])
    write_zip(os.path.join(lb, 'raw_data', 'dsr-bench.zip'), [
        ('dsr-bench/', b''),
        ('dsr-bench/clips/x.mp4', dummy('dsr-x')),
        ('dsr-bench/clips/deep/y.mp4', dummy('dsr-y')),
    ], zipfile.ZIP_DEFLATED)
    sti = os.path.join(out, 'MINT-SJTU--STI-Bench')
    write(os.path.join(sti, 'README.md'), readme('MINT-SJTU/STI-Bench'))
    write(os.path.join(sti, '.gitattributes'), GITATTRIBUTES)
    write(os.path.join(sti, 'notes.txt'), 'not an archive\n')
    write_zip(os.path.join(sti, 'video.zip'), [
        ('videos/', b''),
        ('videos/a.mp4', dummy('sti-a')),
        ('videos/sub/b.mp4', dummy('sti-b')),
    ], zipfile.ZIP_DEFLATED)
    # Sorted after video.zip: its a.mp4 replaces the first one, as upstream's loop writes it.
    write_zip(os.path.join(sti, 'video_patch.zip'), [('videos/a.mp4', b'the later archive wins\n')])
    easi_more(out, lb)


def easi_more(out, lb):
    """VSI-Bench (+Debiased), VSI-SUPER-Recall/Count (10 and 30 minutes), SITE-Bench video, MMSI-Video-Bench."""
    for name, rows in [('VSI-Bench', [[0, 'arkitscenes', 'arkitscenes/41069025.mp4', 'object_counting', Q_QUOTE_TAB_NL, '', '3'],
                                      [1, 'scannet', 'scannet/scene0011_00.mp4', 'route_planning', Q_UNICODE,
                                       str([C_APOS, C_NONASCII]), 'A']]),
                       ('VSI-Bench-Debiased', [[0, 'scannet', 'scannet/scene0011_00.mp4', 'object_counting', 'How many?', '', '2']])]:
        write_shipped_tsv(os.path.join(lb, f'{name}.tsv'),
                          ['index', 'dataset', 'video', 'question_type', 'question', 'options', 'ground_truth'], rows)
    vsi = os.path.join(out, 'nyu-visionx--VSI-Bench')
    write(os.path.join(vsi, 'README.md'), readme('nyu-visionx/VSI-Bench'))
    write(os.path.join(vsi, '.gitattributes'), GITATTRIBUTES)
    write_zip(os.path.join(vsi, 'arkitscenes.zip'), [('arkitscenes/', b''), ('arkitscenes/41069025.mp4', dummy('vsi-ark'))],
              zipfile.ZIP_DEFLATED)
    write_zip(os.path.join(vsi, 'scannet.zip'), [('scannet/scene0011_00.mp4', dummy('vsi-scan'))])
    write(os.path.join(vsi, 'test.jsonl'), '{"id": 0}\n')
    for kind, durations in [('Recall', [10, 30]), ('Count', [10, 30])]:
        repo = os.path.join(out, f'nyu-visionx--VSI-SUPER-{kind}')
        write(os.path.join(repo, 'README.md'), readme(f'nyu-visionx/VSI-SUPER-{kind}'))
        write(os.path.join(repo, '.gitattributes'), GITATTRIBUTES)
        for d in durations:
            qtypes = ['mcq', 'mcq'] if kind == 'Recall' else ['count', 'count_streaming']
            write_shipped_tsv(os.path.join(lb, f'VsiSuper{kind}_{d}mins.tsv'), ['index', 'video', 'question_type', 'question', 'answer'], [
                [0, f'{d}mins/v1.mp4', qtypes[0], 'Which order?' if kind == 'Recall' else 'How many chairs?', 'B' if kind == 'Recall' else '4'],
                [1, f'{d}mins/v2.mp4', qtypes[1], C_CR, 'A' if kind == 'Recall' else '7'],
            ])
            write_zip(os.path.join(repo, f'{d}mins.zip'), [(f'{d}mins/v1.mp4', dummy(f'{kind}{d}v1')), (f'{d}mins/v2.mp4', dummy(f'{kind}{d}v2'))])
        if kind == 'Count':
            # `10mins*.zip` takes this part of the 10-minute set too; `30mins*.zip` does not.
            write_zip(os.path.join(repo, '10mins_part2.zip'), [('10mins/v3.mp4', dummy('count10v3'))])
    write_shipped_tsv(os.path.join(lb, 'SiteBenchVideo.tsv'), ['index', 'video_path', 'question', 'candidates', 'answer', 'category'], [
        [0, 'videos/ego/clip_1.mp4', Q_QUOTE_TAB_NL, str([C_APOS, 'two']), 'A', 'counting & existence'],
        [1, 'videos/clip_2.mp4', 'Where?', str(['left', 'right', 'up']), 'C', 'object localization & positioning'],
    ])
    site = os.path.join(out, 'franky-veteran--SITE-Bench')
    write(os.path.join(site, 'README.md'), readme('franky-veteran/SITE-Bench'))
    write(os.path.join(site, '.gitattributes'), GITATTRIBUTES)
    write_zip(os.path.join(site, 'videos.zip'), [('videos/ego/clip_1.mp4', dummy('site1')), ('videos/clip_2.mp4', dummy('site2'))])
    write_zip(os.path.join(site, 'images.zip'), [('images/x.jpg', dummy('sitex'))])
    write_shipped_tsv(os.path.join(lb, 'MMSIVideoBench.tsv'),
                      ['index', 'image_path', 'ref_images', 'video_fps', 'question', 'answer', 'type'], [
        [0, str([['frames/c1/000.jpg', 'frames/c1/001.jpg'], ['frames/c2/000.jpg']]), str(['refs/r1.jpg']), 1, 'Which clip <image>?', 'A',
         'Camera Motion'],
    ])
    mmsi = os.path.join(out, 'rbler--MMSI-Video-Bench')
    write(os.path.join(mmsi, 'README.md'), readme('rbler/MMSI-Video-Bench'))
    write(os.path.join(mmsi, '.gitattributes'), GITATTRIBUTES)
    write_zip(os.path.join(mmsi, 'frames.zip'), [('frames/c1/000.jpg', dummy('m0')), ('frames/c1/001.jpg', dummy('m1')),
                                                  ('frames/c2/000.jpg', dummy('m2')), ('refs/r1.jpg', dummy('mr'))])
    # Never downloaded (ignore_patterns='videos.zip').
    write_zip(os.path.join(mmsi, 'videos.zip'), [('videos/c1.mp4', dummy('mv'))])


def main(argv):
    if len(argv) != 2:
        print('usage: make_hub_repos.py OUTDIR', file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for d in GROUP_B_REPOS + ['OpenGVLab--MVBench', 'OpenGVLab--MVBench@video', 'lmms-lab--Video-MME', 'opencompass--MMBench-Video',
              'MLVU--MVLU', 'honglyhly--WorldSense', 'longvideobench--LongVideoBench',
              'lmms-lab--TempCompass', 'lmms-lab--video-tt', 'MME-Benchmarks--Video-MME-v2'] + EASI_REPOS + CAPTION_REPOS:
        shutil.rmtree(os.path.join(out, d), ignore_errors=True)
    for make in GROUP_B:
        make(out)
    mvbench_main(out)
    mvbench_video_branch(out)
    videomme(out)
    mmbench_video(out)
    mlvu(out)
    worldsense(out)
    longvideobench(out)
    tempcompass(out)
    videott(out)
    videommev2(out)
    easi(out)
    vdc(out)
    video_mmlu(out)
    dream(out)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
