"""Makes a tiny random Qwen2-VL (hidden 64, 2 layers, a 3-block vision tower) and its tokenizer, locally.

Nothing is downloaded: the weights are random (transformers' own initialisation, seed 0) and the
tokenizer is a byte-level BPE with one merge, Qwen2's pre-tokenizer regex, Qwen2-VL's special tokens
and chat template. It answers garbage; the test checks the protocol, not quality.
Usage: make-model.py OUT_DIR
"""

import json
import sys

import torch
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast, Qwen2VLConfig, Qwen2VLForConditionalGeneration

out = sys.argv[1]
torch.manual_seed(0)

QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
byte_chars = pre_tokenizers.ByteLevel.alphabet()
vocab = {c: i for i, c in enumerate(sorted(byte_chars))}
vocab["\u0120t"] = len(vocab)  # one merge (" t"): llama.cpp refuses a BPE vocabulary without merges
tok = Tokenizer(models.BPE(vocab=vocab, merges=[("\u0120", "t")], fuse_unk=False, byte_fallback=False))
tok.pre_tokenizer = pre_tokenizers.Sequence(
    [
        pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ]
)
tok.decoder = decoders.ByteLevel()
specials = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|vision_pad|>",
    "<|image_pad|>",
    "<|video_pad|>",
]
tok.add_special_tokens(specials)
chat_template = (
    "{% set image_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}"
    "<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n"
    "{% else %}{% for content in message['content'] %}"
    "{% if content['type'] == 'image' or 'image' in content or 'image_url' in content %}"
    "<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
fast = PreTrainedTokenizerFast(
    tokenizer_object=tok,
    eos_token="<|im_end|>",
    pad_token="<|endoftext|>",
    additional_special_tokens=specials[1:],
    chat_template=chat_template,
    model_max_length=4096,
)
fast.save_pretrained(out)
ids = {s: fast.convert_tokens_to_ids(s) for s in specials}

config = Qwen2VLConfig(
    vocab_size=len(fast),
    hidden_size=64,
    intermediate_size=128,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=4096,
    rope_theta=1000000.0,
    rope_scaling={"type": "mrope", "mrope_section": [2, 3, 3]},
    tie_word_embeddings=False,
    bos_token_id=ids["<|endoftext|>"],
    eos_token_id=ids["<|im_end|>"],
    vision_start_token_id=ids["<|vision_start|>"],
    vision_end_token_id=ids["<|vision_end|>"],
    vision_token_id=ids["<|vision_pad|>"],
    image_token_id=ids["<|image_pad|>"],
    video_token_id=ids["<|video_pad|>"],
    vision_config={
        "depth": 3,  # at least 3: the converter maps merger.mlp.{0,2} through the block index
        "embed_dim": 32,
        "hidden_size": 64,
        "hidden_act": "quick_gelu",
        "mlp_ratio": 2,
        "num_heads": 2,
        "in_channels": 3,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
    },
)
model = Qwen2VLForConditionalGeneration(config).eval()
model.save_pretrained(out, safe_serialization=True)
# What the converter dispatches on; this transformers version leaves it out of config.json.
with open(f"{out}/config.json") as f:
    saved = json.load(f)
saved["architectures"] = ["Qwen2VLForConditionalGeneration"]
with open(f"{out}/config.json", "w") as f:
    json.dump(saved, f, indent=2)
# The image processor (preprocessor_config.json) the --mmproj conversion reads mean/std from.
with open(f"{out}/preprocessor_config.json", "w") as f:
    f.write(
        '{"image_processor_type": "Qwen2VLImageProcessor", "do_resize": true, "do_normalize": true,'
        ' "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],'
        ' "min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14, "temporal_patch_size": 2,'
        ' "merge_size": 2}\n'
    )
print(f"make-model: {sum(p.numel() for p in model.parameters())} parameters in {out}")
