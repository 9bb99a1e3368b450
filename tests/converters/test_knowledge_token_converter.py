"""--format knowledge-token: a distillation checkpoint as a plain ViTPose with extra tokens."""
import pytest
import torch
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from helpers.common import tiny_vitpose_cfg
from vitpose_ext.converters import CONVERTERS, convert_knowledge_token

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

register_all_modules()


def built(cfg, seed):
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.eval()


@pytest.mark.parametrize('student_dims', [32, 48])  # projected / same width (no projection)
def test_a_folded_student_is_the_same_network(student_dims, tmp_path):
    teacher = tiny_vitpose_cfg(dims=48, num_heads=3)
    stage1 = built(dict(teacher, type='KnowledgeTokenPoseEstimator', num_tokens=2), 1)
    stage1_checkpoint = str(tmp_path / 'stage1.pth')
    torch.save({'state_dict': stage1.state_dict()}, stage1_checkpoint)
    student = built(dict(tiny_vitpose_cfg(dims=student_dims, num_heads=2), teacher=teacher,
                         teacher_checkpoint=stage1_checkpoint, type='TokenDistillPoseEstimator',
                         num_tokens=2, loss_token=dict(type='MSELoss')), 0)
    x = torch.randn(2, 3, 64, 64)
    for model in (stage1, student):
        cfg = tiny_vitpose_cfg(dims=model.backbone.embed_dims, num_heads=model.backbone.blocks[
            0].attn.num_heads, num_extra_tokens=2)
        plain = built(cfg, 2)
        state = CONVERTERS['knowledge-token']({'state_dict': model.state_dict()})
        plain.load_state_dict(state, strict=True)  # nothing missing, nothing left over
        assert torch.allclose(plain._forward(x), model._forward(x), atol=1e-6)


def test_a_stage1_checkpoint_is_already_plain_and_an_earlier_versions_converts():
    stage1 = built(dict(tiny_vitpose_cfg(), type='KnowledgeTokenPoseEstimator', num_tokens=2), 1)
    state = stage1.state_dict()
    assert convert_knowledge_token({'state_dict': state}) == state
    # before the tokens were the backbone's, both stages held them as `knowledge_token`
    earlier = {('knowledge_token' if k == 'backbone.extra_tokens' else k): v
               for k, v in state.items()}
    converted = convert_knowledge_token({'state_dict': earlier})
    assert set(converted) == set(state)
    assert all(torch.equal(converted[k], v) for k, v in state.items())


def test_needs_knowledge_tokens():
    with pytest.raises(ValueError, match='no teacher_tokens, knowledge_token or '
                                         'backbone.extra_tokens'):
        convert_knowledge_token({'state_dict': {'backbone.pos_embed': torch.zeros(1)}})
