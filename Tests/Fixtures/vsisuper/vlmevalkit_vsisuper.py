"""Load VLMEvalKit's vsibench.py (VsiSuperRecall, VsiSuperCount) at the mirror's HEAD with the
real spatial_bench scorer; decord, num2words, the judge modules and the video base are stubbed."""
import os, re, subprocess, sys, tempfile, types
REPO = '/work/.mirror/open-compass+VLMEvalKit/repo'
tmp = tempfile.mkdtemp()
def show(p): return subprocess.check_output(['git', '-C', REPO, 'show', f'HEAD:{p}'])
base = os.path.join(tmp, 'vlmeval', 'dataset', 'utils', 'spatial_bench')
os.makedirs(os.path.join(base, 'tools'))
for f in ['matching_func.py', 'cal_scores.py', 'tools/files.py']:
    open(os.path.join(base, f), 'wb').write(show(f'vlmeval/dataset/utils/spatial_bench/{f}'))
open(os.path.join(tmp, 'vlmeval', 'dataset', 'vsibench.py'), 'wb').write(show('vlmeval/dataset/vsibench.py'))
file_src = show('vlmeval/smp/file.py').decode()
WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
         'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
sys.modules['num2words'] = types.SimpleNamespace(num2words=lambda i, lang='en': WORDS[i])
sys.modules['decord'] = types.ModuleType('decord')
def pkg(name, **attrs):
    m = types.ModuleType(name); m.__path__ = []; m.__dict__.update(attrs); sys.modules[name] = m; return m
import pandas as pd
pkg('vlmeval'); ds = pkg('vlmeval.dataset'); ds.__path__ = [os.path.join(tmp, 'vlmeval', 'dataset')]
pkg('vlmeval.dataset.utils')
sp = pkg('vlmeval.dataset.utils.spatial_bench'); sp.__path__ = [base]
pkg('vlmeval.dataset.utils.spatial_bench.tools').__path__ = [os.path.join(base, 'tools')]
pkg('vlmeval.dataset.utils.judge_util', build_judge=None)
pkg('vlmeval.dataset.utils.spatial_bench.llm_extract', parallel_llm_extract=None)
fm = pkg('vlmeval.smp.file', os=os)
for fn in ['get_file_extension', 'get_eval_file_format', 'get_pred_file_format', 'get_intermediate_file_path']:
    m = re.search(rf'^def {fn}\(.*?(?=^\S)', file_src, re.S | re.M)
    exec(m.group(0), fm.__dict__)
def load(f):
    return {'xlsx': pd.read_excel, 'tsv': lambda p: pd.read_csv(p, sep='\t'), 'csv': pd.read_csv}[f.split('.')[-1]](f)
pkg('vlmeval.smp', LMUDataRoot=lambda: tmp, get_cache_path=lambda r: None, load=load, modelscope_flag_set=lambda: False)
pkg('vlmeval.smp.vlm', gpt_key_set=lambda: False)
class VideoBaseDataset:
    pass
pkg('vlmeval.dataset.video_base', VideoBaseDataset=VideoBaseDataset)
from vlmeval.dataset.vsibench import VsiSuperRecall, VsiSuperCount  # noqa: E402

def make(cls, name, root='/data/root', frames=None):
    d = object.__new__(cls)
    d.dataset_name = name; d.data_root = root; d.duration = name.split('_')[1]
    d.save_video_frames = lambda video, video_llm=False: (frames or [], [], {})
    return d
