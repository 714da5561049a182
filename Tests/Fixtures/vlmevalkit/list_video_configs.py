"""Prints every video config name of VLMEvalKit, in the order of `supported_video_datasets`.

usage: python3 list_video_configs.py VLMEVALKIT_CHECKOUT > video-configs.txt

Runs `vlmeval/dataset/video_dataset_config.py` itself, without importing vlmeval (whose import
needs torch and the rest): every name the file takes from `from vlmeval.dataset import *` is a
stand-in class, except that `Cls.supported_datasets()` runs the real classmethod's body, taken
from the class's own source file (it only builds a list of names). Only the names are printed;
the partials are not called.
"""
import ast
import builtins
import glob
import os
import sys


def supported_datasets_bodies(root):
    """{class name: function} for every `supported_datasets` classmethod under vlmeval/dataset."""
    found = {}
    for path in glob.glob(os.path.join(root, "vlmeval", "dataset", "**", "*.py"), recursive=True):
        tree = ast.parse(open(path, encoding="utf-8").read())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "supported_datasets":
                    item.decorator_list = []
                    mod = ast.Module(body=[item], type_ignores=[])
                    ns = {}
                    exec(compile(mod, path, "exec"), ns)
                    found[node.name] = ns["supported_datasets"]
    return found


class Namespace(dict):
    def __init__(self, bodies):
        super().__init__()
        self.bodies = bodies

    def __missing__(self, name):
        # exec looks a name up here before the builtins: leave those to them.
        if hasattr(builtins, name):
            raise KeyError(name)
        body = self.bodies.get(name)
        stand_in = type(name, (), {"supported_datasets": classmethod(lambda cls: body(cls))} if body else {})
        self[name] = stand_in
        return stand_in


def main():
    root = sys.argv[1]
    src = open(os.path.join(root, "vlmeval", "dataset", "video_dataset_config.py"), encoding="utf-8").read()
    src = src.replace("from vlmeval.dataset import *", "")
    ns = Namespace(supported_datasets_bodies(root))
    exec(compile(src, "video_dataset_config.py", "exec"), ns)
    for name in ns["supported_video_datasets"]:
        print(name)


if __name__ == "__main__":
    main()
