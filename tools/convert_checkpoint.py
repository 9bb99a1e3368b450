"""Convert a ViTPose checkpoint of another layout into vitpose_ext's.

    python tools/convert_checkpoint.py SRC DST --format FORMAT [--config CFG]

  official    the ViTPose release (mmpose 0.x: backbone.blocks.N..., keypoint_head...)
  mmpretrain  mmpretrain VisionTransformer / MAE pre-training (backbone.layers.N..., neck.*)
  hf          transformers VitPoseForPoseEstimation (backbone.encoder.layer.N..., head.*);
              .safetensors files need the safetensors package
  knowledge-token  a stage-2 knowledge-token distillation student as a plain ViTPose with
              backbone.extra_tokens (deployment; a stage-1 checkpoint already is one, and
              either stage of an earlier version, with knowledge_token, converts too)
  official_pp the ViTPose++ release (mlp.experts.T, keypoint_head + associate_keypoint_heads.i)
              -> MultiTaskTopdownPoseEstimator (configs/vitpose_pp/)
  hf_moe      transformers ViTPose++ (VitPoseBackboneMoeMLP; its one head, COCO's -> heads.0)
  official_pct the PCT release: tokenizer -> PCTTokenizerEstimator, classifier ->
              FrozenBackbonePoseEstimator

--dataset-idx T (official_pp, hf_moe) merges data set T's experts into a plain ViTPose with that
data set's head (loads into a single-data-set config, e.g. configs/vitpose/...-b_...coco...py
for T=0); HuggingFace's files carry only data set 0's head, so hf_moe refuses other T.

With --config the converted weights are loaded into the model that config builds, and the
missing / unexpected keys are reported (exit status 1 if any backbone key is missing).
SRC is loaded safely (no code from the file runs); a file that needs more than tensors and
NumPy arrays is refused with the reason, unless --trust-checkpoint is given.
DST is an MMEngine checkpoint: use it as `load_from`, as the backbone's
`init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=DST)` to fine-tune it, or as a
`FrozenBackbonePoseEstimator`'s `backbone_checkpoint`.
"""
import argparse
import sys

FORMATS = ('hf', 'hf_moe', 'knowledge-token', 'mmpretrain', 'official', 'official_pct',
           'official_pp')


def load_source(path, trusted=False):
    from vitpose_ext.utils.checkpoint import load_checkpoint_file
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
    parser.add_argument('--format', required=True, choices=FORMATS)
    parser.add_argument('--config', help='check the result against the model of this config')
    parser.add_argument('--dataset-idx', type=int,
                        help='official_pp / hf_moe: a plain ViTPose for this data set')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='SRC may hold more than tensors and NumPy arrays: load it with '
                        'weights_only=False, which can run code from the file (only for files '
                        'you trust)')
    args = parser.parse_args(argv)  # before the heavy imports: --help stays fast
    import torch

    from vitpose_ext.converters import CONVERTERS, merge_experts, merge_hf_vitpose_moe
    from vitpose_ext.utils.checkpoint import describe_load, load_into_config_model
    assert sorted(CONVERTERS) == list(FORMATS), sorted(CONVERTERS)
    source = load_source(args.src, args.trust_checkpoint)
    if args.dataset_idx is None:
        state_dict = CONVERTERS[args.format](source)
    elif args.format == 'hf_moe':
        state_dict = merge_hf_vitpose_moe(source, args.dataset_idx)
    elif args.format == 'official_pp':
        state_dict = merge_experts(CONVERTERS[args.format](source), args.dataset_idx)
    else:
        parser.error('--dataset-idx applies to the ViTPose++ formats (official_pp, hf_moe)')
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
