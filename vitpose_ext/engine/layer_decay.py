"""Layer-wise learning-rate decay for plain ViT backbones (ViTPose's fine-tuning recipe).

A backbone parameter of depth ``id`` gets lr scale ``rate ** (L + 1 - id)``: patch and position
embeddings depth 0, block i depth i + 1, the final norm depth L + 1 (scale 1). Parameters outside
the backbone (neck, head) keep scale 1. 1-D parameters, biases and the backbone's
``no_weight_decay()`` names (``ViTPoseBackbone``: position embedding, extra tokens), or else
parameters whose names contain a ``no_decay_keys`` entry, get no weight decay. ``custom_keys``
(``lr_mult`` / ``decay_mult``, the longest matching key wins, as in MMEngine) multiply on top.

Depths come from the backbone: ``layer_id(name)`` (vitpose_ext's ``ViTPoseBackbone``) or
mmpretrain's ``get_layer_depth(name)`` (``mmpretrain.VisionTransformer``).
"""
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor

from ..registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class ViTLayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """``paramwise_cfg`` keys: ``layer_decay_rate`` (float, required), ``backbone`` (attribute
    name, default 'backbone'), ``no_decay_keys`` (default: the backbone's ``no_weight_decay()``
    where it has one, else ('pos_embed', 'extra_tokens', 'cls_token'), matched as substrings
    of the model's parameter names), ``custom_keys`` (dict)."""

    def __init__(self, optim_wrapper_cfg, paramwise_cfg=None):
        # keys are read, not popped: MMEngine skips add_params() for an empty paramwise_cfg
        paramwise_cfg = paramwise_cfg or {}
        name = type(self).__name__
        if 'layer_decay_rate' not in paramwise_cfg:
            raise ValueError(f'{name}: paramwise_cfg needs layer_decay_rate')
        self.layer_decay_rate = float(paramwise_cfg['layer_decay_rate'])
        if not 0 < self.layer_decay_rate <= 1:
            raise ValueError(f'{name}: layer_decay_rate must be in (0, 1], '
                             f'got {self.layer_decay_rate}')
        self.backbone_attr = paramwise_cfg.get('backbone', 'backbone')
        self.no_decay_keys = paramwise_cfg.get('no_decay_keys')
        super().__init__(optim_wrapper_cfg, paramwise_cfg)

    def _depth_fn(self, model):
        """(name relative to the backbone -> depth, number of blocks L)."""
        backbone = getattr(model, self.backbone_attr, None)
        if hasattr(backbone, 'layer_id'):
            return backbone.layer_id, backbone.num_layers
        if hasattr(backbone, 'get_layer_depth'):  # mmpretrain: returns (depth, L + 2)
            return (lambda n: backbone.get_layer_depth(n, prefix='')[0]), backbone.num_layers
        raise ValueError(f'{type(self).__name__}: model.{self.backbone_attr} '
                         f'({type(backbone).__name__}) exposes neither layer_id() nor '
                         f'get_layer_depth()')

    def _no_decay(self, model):
        """name -> whether it is one of the extra no-decay parameters (see the class)."""
        backbone = getattr(model, self.backbone_attr, None)
        if self.no_decay_keys is None and hasattr(backbone, 'no_weight_decay'):
            names = {f'{self.backbone_attr}.{n}' for n in backbone.no_weight_decay()}
            return names.__contains__
        keys = (('pos_embed', 'extra_tokens', 'cls_token') if self.no_decay_keys is None
                else tuple(self.no_decay_keys))
        return lambda name: any(k in name for k in keys)

    def add_params(self, params, module, **kwargs):
        if is_model_wrapper(module):
            module = module.module
        depth_of, num_layers = self._depth_fn(module)
        extra_no_decay = self._no_decay(module)
        prefix = self.backbone_attr + '.'
        custom_keys = self.paramwise_cfg.get('custom_keys', {})
        sorted_keys = sorted(custom_keys, key=len, reverse=True)
        groups = {}
        for name, param in module.named_parameters():
            scale = 1.0
            if name.startswith(prefix):
                scale = self.layer_decay_rate**(num_layers + 1 - depth_of(name[len(prefix):]))
            no_decay = param.ndim == 1 or name.endswith('.bias') or extra_no_decay(name)
            lr, decay = self.base_lr * scale, 0.0 if no_decay else (self.base_wd or 0.0)
            key = next((k for k in sorted_keys if k in name), None)
            if key is not None:
                lr *= custom_keys[key].get('lr_mult', 1.0)
                decay *= custom_keys[key].get('decay_mult', 1.0)
            group = groups.setdefault((lr, decay), dict(params=[], lr=lr, weight_decay=decay,
                                                        param_names=[]))
            group['params'].append(param)
            group['param_names'].append(name)
        params.extend(groups.values())
