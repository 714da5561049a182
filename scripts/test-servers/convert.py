"""Runs the llama.cpp converter of the llama-cpp-python sdist on the tiny model.

The converter recognises a BPE pre-tokenizer by hashing how a known text tokenizes; a locally made
tokenizer has no known hash, so this names it: the model's pre-tokenizer is Qwen2's own regex
(make-model.py), which is what "qwen2" means to llama.cpp. Everything else is the converter as shipped.
Usage: convert.py LLAMA_CPP_DIR MODEL_DIR [converter arguments...]
"""

import sys

llama_dir = sys.argv[1]
sys.path.insert(0, f"{llama_dir}/gguf-py")
sys.path.insert(0, llama_dir)
import conversion.base as base  # noqa: E402
import convert_hf_to_gguf as conv  # noqa: E402

base.TextModel.get_vocab_base_pre = lambda self, tokenizer: "qwen2"
sys.argv = ["convert_hf_to_gguf.py"] + sys.argv[2:]
conv.main()
