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


def main(argv):
    vlm_dir, repos, work, expected = argv[1:5]
    setup(vlm_dir)
    setup_a()
    os.makedirs(expected, exist_ok=True)
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
