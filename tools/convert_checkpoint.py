"""Convert a ViTPose checkpoint of another layout into vitpose_ext's.

    python tools/convert_checkpoint.py SRC DST --format FORMAT [--config CFG]

  official    the ViTPose release (mmpose 0.x: backbone.blocks.N..., keypoint_head...)
  mmpretrain  mmpretrain VisionTransformer / MAE pre-training (backbone.layers.N..., neck.*)
  hf          transformers VitPoseForPoseEstimation (backbone.encoder.layer.N..., head.*);
              .safetensors files need the safetensors package
  knowledge-token  a knowledge-token distillation checkpoint (stage-1 teacher + token, or
              stage-2 student) as a plain ViTPose with backbone.extra_tokens (deployment)
  official_pp the ViTPose++ release (mlp.experts.T, keypoint_head + associate_keypoint_heads.i)
              -> MultiTaskTopdownPoseEstimator (configs/vitpose_pp/)
  hf_moe      transformers ViTPose++ (VitPoseBackboneMoeMLP; one head -> heads.0)

With --config the converted weights are loaded into the model that config builds, and the
missing / unexpected keys are reported (exit status 1 if any backbone key is missing).
SRC is loaded safely (no code from the file runs); a file that needs more than tensors and
NumPy arrays is refused with the reason, unless --trust-checkpoint is given.
DST is an MMEngine checkpoint: use it as `load_from`, or as the backbone's
`init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=DST)`.
"""
import argparse
import sys

import torch

from vitpose_ext.converters import CONVERTERS
from vitpose_ext.utils.checkpoint import (describe_load, load_checkpoint_file,
                                          load_into_config_model)


def load_source(path, trusted=False):
    if path.endswith('.safetensors'):
        try:
            from safetensors.torch import load_file
        except ImportError:
            sys.exit('reading .safetensors needs `pip install safetensors`')
        return load_file(path)
    return load_checkpoint_file(path, map_location='cpu', trusted=trusted)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('dst')
    parser.add_argument('--format', required=True, choices=sorted(CONVERTERS))
    parser.add_argument('--config', help='check the result against the model of this config')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='SRC may hold more than tensors and NumPy arrays: load it with '
                        'weights_only=False, which can run code from the file (only for files '
                        'you trust)')
    args = parser.parse_args(argv)

    state_dict = CONVERTERS[args.format](load_source(args.src, args.trust_checkpoint))
    torch.save({'state_dict': state_dict, 'meta': {'converted_from': args.format}}, args.dst)
    print(f'wrote {len(state_dict)} tensors to {args.dst}')
    if args.config:
        missing, unexpected = load_into_config_model(state_dict, args.config)
        print(describe_load(missing, unexpected))
        if any(k.startswith('backbone.') for k in missing):
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
