"""Imports of the official ViTPose++ release layout and of HF transformers' ViTPose++ layout, on
state dicts written here from a random model of ours."""
import re

import pytest
import torch
import torch.nn.functional as F

from test_converters import to_hf, to_official
from test_merge_experts import T, moe_model
from vitpose_ext.converters import (CONVERTERS, convert_hf_vitpose_moe,
                                    convert_official_vitpose_pp)
from vitpose_ext.models.layers import TokenContext
from vitpose_ext.utils.checkpoint import describe_load

pytestmark = pytest.mark.numerics  # two paths: run in both regimes


def zeroed():
    model = moe_model()
    with torch.no_grad():
        for t in model.state_dict().values():
            t.zero_()
    return model


def to_official_pp(sd, cls):
    """Ours -> the ViTPose++ release: keypoint_head for data set 0, associate_keypoint_heads.i
    for data set i + 1; the experts keep their names."""
    out = {}
    for k, v in to_official(sd, cls)['state_dict'].items():
        m = re.match(r'heads\.(\d+)\.(.*)', k)
        if m:
            k = ('keypoint_head.' if m[1] == '0' else
                 f'associate_keypoint_heads.{int(m[1]) - 1}.') + m[2]
        out[k] = v
    return {'state_dict': out, 'meta': {}}


def release_moe_ffn(sd, prefix, x, indices):
    """The release's ViTMoEMlp maths, written from its state dict: every expert runs on every sample
    and is masked by the sample's index; the shared part comes first."""
    h = F.gelu(F.linear(x, sd[prefix + 'fc1.weight'], sd[prefix + 'fc1.bias']))
    shared = F.linear(h, sd[prefix + 'fc2.weight'], sd[prefix + 'fc2.bias'])
    expert = 0
    for i in range(T):
        mask = (indices == i).view(-1, 1, 1)
        expert = expert + F.linear(h, sd[f'{prefix}experts.{i}.weight'],
                                   sd[f'{prefix}experts.{i}.bias']) * mask
    return torch.cat([shared, expert], dim=-1)


def outputs(model, x):
    with torch.no_grad():
        return [model.heads[t](model.backbone(x, dataset_idx=t)) for t in range(T)]


def test_official_vitpose_pp_release_imports_with_every_key():
    src = moe_model()
    cls = torch.randn(1, 1, 32)
    release = to_official_pp(src.state_dict(), cls)
    sd = release['state_dict']
    assert 'associate_keypoint_heads.1.final_layer.weight' in sd  # data set 2 (AP-10K)
    assert sd['backbone.blocks.1.mlp.experts.2.weight'].shape == (8, 128)
    converted = CONVERTERS['official_pp'](release)
    assert set(converted) == set(src.state_dict())
    assert all(converted[k].shape == v.shape for k, v in src.state_dict().items())
    dst = zeroed()
    missing, unexpected = dst.load_state_dict(converted, strict=False)
    assert (missing, unexpected) == ([], []), describe_load(missing, unexpected)
    x = torch.randn(2, 3, 64, 48)
    for a, b in zip(outputs(dst, x), outputs(src, x)):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)

    # the converted FFN computes the release's maths on the release's tensors, mixed batch
    tokens, idx = torch.randn(4, 5, 32), torch.tensor([2, 0, 1, 2])
    with torch.no_grad():
        ours = dst.backbone.blocks[1].mlp(tokens, TokenContext(dataset_idx=idx))
    torch.testing.assert_close(ours, release_moe_ffn(sd, 'backbone.blocks.1.mlp.', tokens, idx))


def test_hf_vitpose_pp_imports_backbone_experts_and_its_one_head():
    src = moe_model()
    cls = torch.randn(1, 1, 32)
    ours = {('head.' + k[len('heads.0.'):] if k.startswith('heads.0.') else k): v
            for k, v in src.state_dict().items() if not re.match(r'heads\.[12]\.', k)}
    hf = to_hf(ours, cls, simple=False)
    assert 'backbone.encoder.layer.0.mlp.experts.1.weight' in hf
    assert 'backbone.encoder.layer.0.attention.attention.query.weight' in hf
    converted = convert_hf_vitpose_moe(hf)
    dst = zeroed()
    missing, unexpected = dst.load_state_dict(converted, strict=False)
    assert unexpected == [] and missing and all(k.startswith(('heads.1.', 'heads.2.'))
                                                for k in missing)
    x = torch.randn(2, 3, 64, 48)
    torch.testing.assert_close(outputs(dst, x)[0], outputs(src, x)[0], atol=1e-5, rtol=1e-5)
    assert set(convert_hf_vitpose_moe(hf, head_index=2)) - set(converted) == {
        k.replace('heads.0.', 'heads.2.') for k in converted if k.startswith('heads.0.')}
    assert CONVERTERS['hf_moe'] is convert_hf_vitpose_moe

    # deployed for data set 0: its expert merged, the one head; other data sets have no head
    from vitpose_ext.converters import merge_hf_vitpose_moe
    plain = merge_hf_vitpose_moe(hf, 0)
    assert not any('experts' in k or k.startswith('heads.') for k in plain)
    assert set(k for k in plain if k.startswith('head.')) == {
        k.replace('heads.0.', 'head.') for k in converted if k.startswith('heads.0.')}
    with pytest.raises(ValueError, match="data set 1 has no head in the file.*official_pp"):
        merge_hf_vitpose_moe(hf, 1)


def test_a_single_task_release_becomes_head_0():
    sd = {'backbone.blocks.0.mlp.fc2.weight': 1, 'backbone.last_norm.bias': 2,
          'keypoint_head.final_layer.weight': 3, 'associate_keypoint_heads.4.final_layer.bias': 4}
    assert set(convert_official_vitpose_pp(sd)) == {
        'backbone.blocks.0.mlp.fc2.weight', 'backbone.norm.bias', 'heads.0.final_layer.weight',
        'heads.5.final_layer.bias'}
