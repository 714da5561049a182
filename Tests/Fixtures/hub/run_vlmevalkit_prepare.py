#!/usr/bin/env python3
"""Run VLMEvalKit's own prepare_dataset on the repos make_hub_repos.py writes; write expected/.

    python run_vlmevalkit_prepare.py VLMEVALKIT_CHECKOUT REPOS_DIR WORK_DIR EXPECTED_DIR

VLMEVALKIT_CHECKOUT holds vlmeval/ (e.g. `git archive e8e78f05 vlmeval | tar -x -C DIR`).
Needs pandas and pyarrow (the fixtures in expected/ were made with pandas 2.x, see README.md).
Only the modules the dataset files import are replaced by stand-ins (torch, cv2, decord, ...,
and vlmeval.smp's md5/load/get_cache_path, which are re-stated here as VLMEvalKit has them);
the dataset classes and their prepare_dataset run unchanged.  get_cache_path returns None, so
the "already in the HF cache" short cut is not taken; snapshot_download returns a fresh copy
of the fixture repo under WORK_DIR.  Nothing from VLMEvalKit is copied into this repository.
"""

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import types

import pandas as pd


class _Dummy:
    def __init__(self, *a, **k):
        pass

    def __call__(self, *a, **k):
        return _Dummy()

    def __getattr__(self, name):
        return _Dummy()


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Dummy


def stub(name, **attrs):
    m = _StubModule(name)
    m.__path__ = []
    for k, v in attrs.items():
        setattr(m, k, v)
    sys.modules[name] = m
    parent, _, child = name.rpartition('.')
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, m)
    return m


SNAPSHOT = {}


def snapshot_download(repo_id, repo_type=None, revision=None, **kw):
    return SNAPSHOT[(repo_id, revision or 'main')]


# vlmeval.smp.file.md5 / load, as VLMEvalKit has them (load: json and tsv only).
def md5(s):
    h = hashlib.new('md5')
    if os.path.exists(s):
        with open(s, 'rb') as f:
            for chunk in iter(lambda: f.read(2**20), b''):
                h.update(chunk)
    else:
        h.update(s.encode('utf-8'))
    return str(h.hexdigest())


def load(f, fmt=None):
    suffix = fmt or f.split('.')[-1]
    if suffix == 'json':
        return json.load(open(f, 'r', encoding='utf-8'))
    if suffix == 'tsv':
        return pd.read_csv(f, sep='\t')
    raise ValueError(f)


class VideoBaseDataset:
    def __init__(self, dataset='MMBench-Video', pack=False, nframe=0, fps=-1):
        self.dataset_name = dataset
        self.ret = self.prepare_dataset(dataset)

    def prepare_tsv(self, url, file_md5=None):
        """What VideoBaseDataset.prepare_tsv does on a first run: download_file(url) to
        LMUData/{dataset_name}.tsv (the fixture repo's file for a resolve/main URL)."""
        repo, _, path = url.split('/datasets/', 1)[1].partition('/resolve/main/')
        data_path = os.path.join(LMU_ROOT['root'], f'{self.dataset_name}.tsv')
        os.makedirs(LMU_ROOT['root'], exist_ok=True)
        shutil.copyfile(os.path.join(SNAPSHOT[(repo, 'main')], path), data_path)
        return load(data_path)


def setup(vlm_dir):
    for name in ['cv2', 'imageio', 'portalocker', 'torch', 'torchvision', 'torchvision.transforms',
                 'decord', 'PIL', 'PIL.Image', 'sty', 'validators']:
        stub(name)
    stub('huggingface_hub', snapshot_download=snapshot_download, login=lambda *a, **k: None)
    vlmeval = types.ModuleType('vlmeval')
    vlmeval.__path__ = [os.path.join(vlm_dir, 'vlmeval')]
    sys.modules['vlmeval'] = vlmeval
    ds = types.ModuleType('vlmeval.dataset')
    ds.__path__ = [os.path.join(vlm_dir, 'vlmeval', 'dataset')]
    sys.modules['vlmeval.dataset'] = ds
    stub('vlmeval.smp', md5=md5, load=load, get_cache_path=lambda *a, **k: None,
         modelscope_flag_set=lambda: False)
    stub('vlmeval.utils')
    stub('vlmeval.dataset.utils')
    stub('vlmeval.dataset.utils.mvbench')
    stub('vlmeval.dataset.video_base', VideoBaseDataset=VideoBaseDataset)
    # group B's imports
    for name in ['scipy', 'scipy.optimize', 'vlmeval.dataset.utils.tamperbench', 'vlmeval.dataset.utils.qbench_video',
                 'vlmeval.dataset.video_concat_dataset']:
        stub(name)
    stub('vlmeval.smp.file', load=load, LMUDataRoot=lambda: LMU_ROOT['root'])
    sys.modules['vlmeval.smp'].LMUDataRoot = lambda: LMU_ROOT['root']


def load_dataset_module(vlm_dir, mod):
    name = f'vlmeval.dataset.{mod}'
    spec = importlib.util.spec_from_file_location(name, os.path.join(vlm_dir, 'vlmeval', 'dataset', f'{mod}.py'))
    m = importlib.util.module_from_spec(spec)
    sys.modules[name] = m
    spec.loader.exec_module(m)
    return m


def tree(root):
    out = []
    for d, dirs, files in os.walk(root):
        for f in files:
            out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


class ConcatVideoDataset:
    pass


def setup_a():
    """Stand-ins the MLVU, WorldSense, LongVideoBench and TempCompass modules import besides the above."""
    stub('vlmeval.dataset.utils.mlvu')
    stub('vlmeval.dataset.utils.tempcompass')
    stub('vlmeval.dataset.video_concat_dataset', ConcatVideoDataset=ConcatVideoDataset)
    # WorldSense writes audios/*.wav with moviepy; the stand-in writes nothing (vtools does not either).
    stub('moviepy')
    stub('moviepy.editor')
    stub('tqdm', tqdm=lambda x, *a, **k: x)


def jobs_a():
    return [
        ('MLVU_MCQ', 'mlvu', 'MLVU_MCQ', 'MLVU/MVLU', 'main', 'MLVU--MVLU'),
        ('MLVU_OpenEnded', 'mlvu', 'MLVU_OpenEnded', 'MLVU/MVLU', 'main', 'MLVU--MVLU'),
        ('WorldSense', 'worldsense', 'WorldSense', 'honglyhly/WorldSense', 'main', 'honglyhly--WorldSense'),
        ('LongVideoBench', 'longvideobench', 'LongVideoBench', 'longvideobench/LongVideoBench', 'main',
         'longvideobench--LongVideoBench'),
        ('TempCompass_MCQ', 'tempcompass', 'TempCompass_MCQ', 'lmms-lab/TempCompass', 'main', 'lmms-lab--TempCompass'),
        ('TempCompass_Captioning', 'tempcompass', 'TempCompass_Captioning', 'lmms-lab/TempCompass', 'main',
         'lmms-lab--TempCompass'),
        ('TempCompass_YorN', 'tempcompass', 'TempCompass_YorN', 'lmms-lab/TempCompass', 'main', 'lmms-lab--TempCompass'),
        ('Video-TT', 'videott', 'VideoTT', 'lmms-lab/video-tt', 'main', 'lmms-lab--video-tt'),
        ('Video-MME-v2', 'videommev2', 'VideoMMEv2', 'MME-Benchmarks/Video-MME-v2', 'main',
         'MME-Benchmarks--Video-MME-v2'),
    ]


# LongVideoBench works in get_cache_path's folder, not in the folder snapshot_download returns
# (on a first real run that is the repo folder above the snapshot, and it fails there); it is
# given the snapshot copy, as a second real run would find it.
CACHE_PATH_IS_SNAPSHOT = {'LongVideoBench'}
# Group B: dataset name, module, class, repo id, revision, fixture folder, the TSV preparation
# writes (None: the repo's own, not rewritten), where the prepared root lies under WORK_DIR
# (None: the snapshot copy; MVU-Eval and OMTG-Bench download into a local_dir under LMUData),
# what get_cache_path answers ('snapshot': the snapshot copy, as after a real download).
GROUP_B_JOBS = [
    ('Video_Holmes', 'video_holmes', 'Video_Holmes', 'TencentARC/Video-Holmes', 'main',
     'TencentARC--Video-Holmes', 'Video_Holmes.tsv', None, None),
    ('QBench_Video_MCQ', 'qbench_video', 'QBench_Video_MCQ', 'zhangzicheng/Q-Bench-Video', 'main',
     'zhangzicheng--Q-Bench-Video', None, None, None),
    ('QBench_Video_VQA', 'qbench_video', 'QBench_Video_VQA', 'zhangzicheng/Q-Bench-Video', 'main',
     'zhangzicheng--Q-Bench-Video', None, None, None),
    ('V2P-Bench', 'v2pbench', 'V2PBench', 'gaotiexinqu/V2P-Bench', 'main', 'gaotiexinqu--V2P-Bench', None, None, None),
    # get_cache_path answers None, so OMTGBench downloads into LMUData/OMTGBench (local_dir), as
    # it does when the hub cache lacks the repo; vdata's root is the snapshot, same tree.
    ('OMTGBench', 'omtgbench', 'OMTGBench', 'insomnia7/omtg_bench', 'main', 'insomnia7--omtg_bench', None,
     'OMTGBench', None),
    # AV-SpeakerBench extracts only in the cache it finds after its download (get_cache_path)
    ('AV-SpeakerBench', 'av_speakerbench', 'AVSpeakerBench', 'plnguyen2908/AV-SpeakerBench', 'vlm_eval_version',
     'plnguyen2908--AV-SpeakerBench@vlm_eval_version', None, None, 'snapshot'),
    ('MovieChat1k', 'moviechat1k', 'MovieChat1k', 'Enxin/VLMEval-MovieChat1k', 'main', 'Enxin--VLMEval-MovieChat1k', None,
     None, None),
] + [(s, 'tamperbench', 'MVTamperBench', f'Srikant86/{s}', 'main', f'Srikant86--{s}', f'{s}.tsv', None, None)
      for s in ['MVTamperBench', 'MVTamperBenchStart', 'MVTamperBenchEnd']] + [
    # MVU-Eval downloads into LMUData/datasets/MVU-Eval (local_dir, allow_patterns); vdata's root
    # is the snapshot of the same files
    ('MVU-Eval', 'mvu_eval', 'MVUEval', 'MVU-Eval-Team/MVU-Eval-Data', 'main', 'MVU-Eval-Team--MVU-Eval-Data',
     'mvu_eval.tsv', 'datasets/MVU-Eval', None),
    # VDC and Video-MMLU: their subset/limit filters need the data the stand-in base class never
    # loads (after preparation, as MovieChat1k)
    ('VDC', 'vdc', 'VDC', 'Enxin/VLMEval-VDC', 'main', 'Enxin--VLMEval-VDC', None, None, None),
    ('Video_MMLU_CAP', 'video_mmlu', 'Video_MMLU_CAP', 'Enxin/Video-MMLU', 'main', 'Enxin--Video-MMLU', None, None, None),
    ('Video_MMLU_QA', 'video_mmlu', 'Video_MMLU_QA', 'Enxin/Video-MMLU', 'main', 'Enxin--Video-MMLU', None, None, None),
]
LMU_ROOT = {}


def snapshot_download_b(repo_id, repo_type=None, revision=None, local_dir=None, allow_patterns=None, **kw):
    """snapshot_download for group B: into local_dir when given (only allow_patterns' files)."""
    src = SNAPSHOT[(repo_id, revision or 'main')]
    if local_dir is None:
        return src
    import fnmatch
    if isinstance(allow_patterns, str):     # huggingface_hub takes one pattern as a str too
        allow_patterns = [allow_patterns]
    for rel in tree(src):
        if allow_patterns and not any(fnmatch.fnmatch(rel, p) for p in allow_patterns):
            continue
        os.makedirs(os.path.dirname(os.path.join(local_dir, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(src, rel), os.path.join(local_dir, rel))
    return local_dir


def run_group_b(vlm_dir, repos, work, expected):
    sys.modules['huggingface_hub'].snapshot_download = snapshot_download_b
    lmu = os.path.join(work, 'LMUData')
    LMU_ROOT['root'] = lmu
    for name, mod, cls, repo_id, rev, folder, tsv_name, local, cache in GROUP_B_JOBS:
        src = os.path.join(repos, folder)
        if not os.path.isdir(src):
            print(f'{name}: {src} missing; skipped', file=sys.stderr)
            continue
        snap = os.path.join(work, folder)
        shutil.rmtree(snap, ignore_errors=True)
        shutil.copytree(src, snap)
        SNAPSHOT[(repo_id, rev)] = snap
        dst = os.path.join(lmu, local) if local else snap
        if local:
            shutil.rmtree(dst, ignore_errors=True)
        sys.modules['vlmeval.smp'].get_cache_path = (lambda *a, **k: snap) if cache == 'snapshot' else (lambda *a, **k: None)
        m = load_dataset_module(vlm_dir, mod)
        try:
            ret = getattr(m, cls)(dataset=name).ret
            print(f'{name}: prepare_dataset returned {ret}', file=sys.stderr)
        except Exception as e:          # MovieChat1k: its subset filter needs the data the stand-in base
            # class never loads (after preparation)
            print(f'{name}: {type(e).__name__}: {e}', file=sys.stderr)
        files = tree(dst)
        with open(os.path.join(expected, f'layout-{name}.txt'), 'w', encoding='utf-8') as f:
            f.write(''.join(p + '\n' for p in files))
        created = [p for p in files if not os.path.lexists(os.path.join(src, p))]
        with open(os.path.join(expected, f'sha256-{name}.txt'), 'w', encoding='utf-8') as f:
            for p in created:
                with open(os.path.join(dst, p), 'rb') as g:
                    f.write(f'{hashlib.sha256(g.read()).hexdigest()}  {p}\n')
        if tsv_name:
            shutil.copyfile(os.path.join(dst, tsv_name), os.path.join(expected, f'{name}.tsv'))
    sys.modules['vlmeval.smp'].get_cache_path = lambda *a, **k: None


def run_dream(vlm_dir, repos, work, expected):
    """DREAM-1K downloads its TSV into LMUData (allow_patterns) and video/video.zip into a temp
    folder, moves the zip to LMUData/datasets/DREAM and extracts it flattened there."""
    sys.modules['huggingface_hub'].snapshot_download = snapshot_download_b
    lmu = os.path.join(work, 'LMUData-dream')
    shutil.rmtree(lmu, ignore_errors=True)
    LMU_ROOT['root'] = lmu
    for folder in ['mjuicem--DREAM-1k-VLMEvalKit', 'omni-research--DREAM-1K']:
        snap = os.path.join(work, 'dream', folder)
        shutil.rmtree(snap, ignore_errors=True)
        shutil.copytree(os.path.join(repos, folder), snap)
        SNAPSHOT[(folder.replace('--', '/'), 'main')] = snap
    m = load_dataset_module(vlm_dir, 'dream')
    print(f"DREAM-1K: prepare_dataset returned {m.DREAM(dataset='DREAM-1K').ret}", file=sys.stderr)
    root = os.path.join(lmu, 'datasets', 'DREAM')
    files = tree(root)
    with open(os.path.join(expected, 'layout-DREAM-1K.txt'), 'w', encoding='utf-8') as f:
        f.write(''.join(p + '\n' for p in files))
    with open(os.path.join(expected, 'sha256-DREAM-1K.txt'), 'w', encoding='utf-8') as f:
        for p in files:
            if p.endswith('.mp4'):        # the zip's bytes depend on the zlib that wrote them
                with open(os.path.join(root, p), 'rb') as g:
                    f.write(f'{hashlib.sha256(g.read()).hexdigest()}  {p}\n')
    shutil.copyfile(os.path.join(lmu, 'DREAM-1K.tsv'), os.path.join(expected, 'DREAM-1K.tsv'))


# EASI: dataset name, module, class, media repo id, what get_cache_path answers for it
# ('snapshot' for DSRBench, whose download step joins get_cache_path's answer before any
# download and so fails with None: it works only when the repo is in the HF cache already),
# the dataset root inside the media snapshot.
EASI_JOBS = [
    ('STI-Bench', 'stibench', 'STIBench', 'MINT-SJTU/STI-Bench', None, ''),
    ('DSRBench', 'dsrbench', 'DSRBench', 'lmms-lab-si/EASI-Leaderboard-Data', 'snapshot', 'raw_data/dsr-bench'),
    ('VSI-Bench', 'vsibench', 'VsiBench', 'nyu-visionx/VSI-Bench', None, ''),
    ('VSI-Bench-Debiased', 'vsibench', 'VsiBench', 'nyu-visionx/VSI-Bench', None, ''),
    ('VsiSuperRecall_10mins', 'vsibench', 'VsiSuperRecall', 'nyu-visionx/VSI-SUPER-Recall', None, ''),
    ('VsiSuperRecall_30mins', 'vsibench', 'VsiSuperRecall', 'nyu-visionx/VSI-SUPER-Recall', None, ''),
    ('VsiSuperCount_10mins', 'vsibench', 'VsiSuperCount', 'nyu-visionx/VSI-SUPER-Count', None, ''),
    ('VsiSuperCount_30mins', 'vsibench', 'VsiSuperCount', 'nyu-visionx/VSI-SUPER-Count', None, ''),
    ('SiteBenchVideo', 'sitebench', 'SiteBenchVideo', 'franky-veteran/SITE-Bench', None, ''),
    ('MMSIVideoBench', 'mmsibench', 'MMSIVideoBench', 'rbler/MMSI-Video-Bench', None, ''),
]
# What snapshot_download's allow_patterns / ignore_patterns leave of a repo (the stand-in copies
# the whole fixture repo, so the files a real download skips are removed from a fresh copy).
EASI_PATTERNS = {'VsiSuperRecall_10mins': ['10mins.zip'], 'VsiSuperRecall_30mins': ['30mins.zip'],
                 'VsiSuperCount_10mins': ['10mins*.zip'], 'VsiSuperCount_30mins': ['30mins*.zip']}
EASI_IGNORE = {'MMSIVideoBench': ['videos.zip']}


def run_easi(vlm_dir, repos, work, expected):
    """The TSV VLMEvalKit writes into LMUData, and the tree under the dataset root."""
    sys.modules['huggingface_hub'].snapshot_download = snapshot_download_b
    stub('tqdm', tqdm=lambda x, *a, **k: x)
    lmu = os.path.join(work, 'LMUData-easi')
    LMU_ROOT['root'] = lmu
    shutil.rmtree(lmu, ignore_errors=True)
    import fnmatch
    stub('vlmeval.dataset.image_mcq', ImageMCQDataset=type('ImageMCQDataset', (), {}))
    stub('vlmeval.dataset.utils.spatial_bench')
    for name, mod, cls, repo_id, cache, root in EASI_JOBS:
        # every job on fresh copies, as each dataset's first run
        for folder in ['lmms-lab-si--EASI-Leaderboard-Data', repo_id.replace('/', '--')]:
            snap = os.path.join(work, 'easi', name, folder)
            shutil.rmtree(snap, ignore_errors=True)
            shutil.copytree(os.path.join(repos, folder), snap)
            SNAPSHOT[(folder.replace('--', '/'), 'main')] = snap
        snap = SNAPSHOT[(repo_id, 'main')]
        for rel in tree(snap):
            keep = [p for p in EASI_PATTERNS.get(name, ['*']) if fnmatch.fnmatch(rel, p)]
            if not keep or any(fnmatch.fnmatch(rel, p) for p in EASI_IGNORE.get(name, [])):
                os.remove(os.path.join(snap, rel))
        src = os.path.join(repos, repo_id.replace('/', '--'))
        sys.modules['vlmeval.smp'].get_cache_path = (lambda *a, **k: snap) if cache == 'snapshot' else (lambda *a, **k: None)
        m = load_dataset_module(vlm_dir, mod)
        m.get_cache_path = sys.modules['vlmeval.smp'].get_cache_path
        ret = getattr(m, cls)(dataset=name).ret
        print(f'{name}: prepare_dataset returned {ret}', file=sys.stderr)
        dst = os.path.join(snap, root) if root else snap
        files = tree(dst)
        with open(os.path.join(expected, f'layout-{name}.txt'), 'w', encoding='utf-8') as f:
            f.write(''.join(p + '\n' for p in files))
        created = [p for p in files if not os.path.lexists(os.path.join(src, root, p))]
        with open(os.path.join(expected, f'sha256-{name}.txt'), 'w', encoding='utf-8') as f:
            for p in created:
                with open(os.path.join(dst, p), 'rb') as g:
                    f.write(f'{hashlib.sha256(g.read()).hexdigest()}  {p}\n')
        shutil.copyfile(os.path.join(lmu, f'{name}.tsv'), os.path.join(expected, f'{name}.tsv'))
    sys.modules['vlmeval.smp'].get_cache_path = lambda *a, **k: None


def main(argv):
    vlm_dir, repos, work, expected = argv[1:5]
    setup(vlm_dir)
    setup_a()
    os.makedirs(expected, exist_ok=True)
    run_group_b(vlm_dir, repos, work, expected)
    run_easi(vlm_dir, repos, work, expected)
    run_dream(vlm_dir, repos, work, expected)
    jobs = [
        # dataset name, module, class, repo id, revision, fixture folder
        ('MVBench', 'mvbench', 'MVBench', 'OpenGVLab/MVBench', 'main', 'OpenGVLab--MVBench'),
        ('MVBench_MP4', 'mvbench', 'MVBench_MP4', 'OpenGVLab/MVBench', 'video', 'OpenGVLab--MVBench@video'),
        ('Video-MME', 'videomme', 'VideoMME', 'lmms-lab/Video-MME', 'main', 'lmms-lab--Video-MME'),
        ('MMBench-Video', 'mmbench_video', 'MMBenchVideo', 'opencompass/MMBench-Video', 'main',
         'opencompass--MMBench-Video'),
    ] + jobs_a()
    for name, mod, cls, repo_id, rev, folder in jobs:
        src = os.path.join(repos, folder)
        if not os.path.isdir(src):
            print(f'{name}: {src} missing; skipped', file=sys.stderr)
            continue
        dst = os.path.join(work, folder)
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)
        SNAPSHOT[(repo_id, rev)] = dst
        m = load_dataset_module(vlm_dir, mod)
        if name in CACHE_PATH_IS_SNAPSHOT:
            m.get_cache_path = lambda *a, _dst=dst, **k: _dst
        obj = getattr(m, cls)(dataset=name)
        ret = obj.ret
        print(f'{name}: prepare_dataset returned {ret}', file=sys.stderr)
        files = tree(dst)
        with open(os.path.join(expected, f'layout-{name}.txt'), 'w', encoding='utf-8') as f:
            f.write(''.join(p + '\n' for p in files))
        # Checksums of the files preparation created (not of the repo's own files, whose bytes
        # depend on the zlib and pyarrow versions that wrote them).
        created = [p for p in files if not os.path.lexists(os.path.join(src, p))]
        with open(os.path.join(expected, f'sha256-{name}.txt'), 'w', encoding='utf-8') as f:
            for p in created:
                with open(os.path.join(dst, p), 'rb') as g:
                    f.write(f'{hashlib.sha256(g.read()).hexdigest()}  {p}\n')
        tsv = os.path.join(dst, f'{name}.tsv')
        if name != 'MMBench-Video':          # MMBench-Video's TSV ships in the repo, untouched
            shutil.copyfile(tsv, os.path.join(expected, f'{name}.tsv'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
