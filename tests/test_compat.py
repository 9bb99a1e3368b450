"""vitpose_ext.compat: importing the package changes other packages only by the fixes it names,
each applied where needed; with VITPOSE_EXT_NO_COMPAT=all it changes nothing at all."""
import json
import logging
import re
import os
import os.path as osp
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import torch

import vitpose_ext  # noqa: F401  (applies the fixes)
from helpers import import_fingerprint
from helpers.common import REPO
from vitpose_ext import compat

FINGERPRINT = osp.join(REPO, 'tests', 'helpers', 'import_fingerprint.py')
# where each fix changes other packages' code (regular expressions matched at the start of
# fingerprint keys)
CHANGES = {
    'mmpretrain_transformers5': ['sys.meta_path'],  # its finder, until mmpretrain loads
    'safe_checkpoint_loading': ['mmengine.runner.checkpoint.CheckpointLoader._schemes'],
    'bf16_to_numpy': [r'mmpose\.(\w+\.)*to_numpy$'],  # the function and where it is imported
    'opencv_radius': ['mmpose.visualization.opencv_backend_visualizer.OpencvBackendVisualizer.'
                      'draw_circles'],
    'grayscale_load_image': ['mmpose.datasets.transforms.loading.LoadImage.transform'],
    'contiguous_flip': [r'mmcv\.(\w+\.)*imflip$', r'mmpose\.(\w+\.)*imflip$'],
    'fast_truncnorm': ['mmpose.datasets.transforms.common_transforms.RandomBBoxTransform.'
                       '_truncnorm'],
    'inferencer_bboxes': ['mmpose.apis.inferencers.pose2d_inferencer.Pose2DInferencer.'
                          'preprocess_single'],
    'sdpa_flops': ['mmengine.analysis.complexity_analysis._DEFAULT_SUPPORTED_'],
    # the one log line: MMEngine's logger made on first use
    'log': ['mmengine.logging.logger.MMLogger._instance_dict', 'mmengine.utils.manager.'],
}


def changed_by(key, patterns):
    return any(re.match(p, key) for p in patterns)


def run(code, env=None):
    env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, timeout=300, cwd=REPO)


@pytest.fixture(scope='module')
def modules(tmp_path_factory):
    """The modules of MMEngine, MMPose, ... that importing vitpose_ext loads with every fix on
    (the checks and fixes import what they patch), in import order. The fingerprint process
    imports them all first, so both regimes start from the same modules."""
    result = run('''
        import json, sys
        import vitpose_ext
        print(json.dumps(list(sys.modules)))
        ''', {compat.ENV: ''})
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp('modules') / 'modules.json'
    path.write_text(result.stdout.strip().splitlines()[-1])
    return str(path)


def import_changes(modules, switch):
    result = subprocess.run([sys.executable, FINGERPRINT, modules], capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, **{compat.ENV: switch}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stdout + result.stderr


@pytest.mark.slow
def test_switched_off_the_import_changes_nothing(modules):
    changes, output = import_changes(modules, 'all')
    assert changes == dict(changed=[], new_modules=[])
    assert 'compatibility fixes' not in output


@pytest.mark.slow
def test_otherwise_only_the_named_fixes_change_anything(modules):
    changes, output = import_changes(modules, '')
    line = next(line for line in output.splitlines() if 'compatibility fixes applied' in line)
    applied = line.split('applied: ')[1].split(' (')[0].split(', ')
    assert 'safe_checkpoint_loading' in applied and compat.ENV in line
    assert changes['new_modules'] == []
    allowed = [p for name in applied + ['log'] for p in CHANGES[name]]
    unexplained = [k for k in changes['changed'] if not changed_by(k, allowed)]
    assert not unexplained, unexplained
    for name in applied:  # and each applied fix did change what it names
        assert any(changed_by(k, CHANGES[name]) for k in changes['changed']), name


@pytest.mark.slow
def test_one_fix_can_be_left_out(modules):
    changes, output = import_changes(modules, 'bf16_to_numpy,sdpa_flops')
    assert not any(changed_by(k, CHANGES['bf16_to_numpy'] + CHANGES['sdpa_flops'])
                   for k in changes['changed'])
    assert any(changed_by(k, CHANGES['safe_checkpoint_loading']) for k in changes['changed'])


def overwrite_coco_dataset(monkeypatch):
    from mmpose.registry import DATASETS
    monkeypatch.setattr(DATASETS, '_module_dict', dict(DATASETS.module_dict))
    DATASETS.register_module(name='CocoDataset', force=True, module=type('CocoDataset', (), {}))


def register_a_new_name(monkeypatch):
    from mmpose.registry import DATASETS
    monkeypatch.setattr(DATASETS, '_module_dict', dict(DATASETS.module_dict))
    DATASETS.register_module(name='NewDataset', module=type('NewDataset', (), {}))


def ignore_warnings(monkeypatch):
    monkeypatch.setattr(warnings, 'filters', list(warnings.filters))
    warnings.filterwarnings('ignore')


def add_root_handler(monkeypatch):
    monkeypatch.setattr(logging.root, 'handlers', list(logging.root.handlers))
    logging.root.addHandler(logging.NullHandler())


def swap_code(monkeypatch):
    from mmpose.utils import tensor_utils
    monkeypatch.setattr(tensor_utils.to_tensor, '__code__', (lambda x, device=None: x).__code__)


def swap_defaults(monkeypatch):
    from mmpose.utils import tensor_utils
    monkeypatch.setattr(tensor_utils.to_tensor, '__defaults__', ('cpu', ))


# what importing a plugin must not do, and the fingerprint entries that show it
GLOBAL_CHANGES = [
    (overwrite_coco_dataset, ['registry mmpose.dataset CocoDataset']),
    (register_a_new_name, []),
    (ignore_warnings, ['warnings.filters']),
    (add_root_handler, ['logging.root.handlers']),
    (lambda mp: mp.setattr(logging.root, 'level', logging.ERROR), ['logging.root.level']),
    (lambda mp: mp.setattr(torch, 'load', lambda *a, **k: None), ['torch.load']),
    (swap_code, ['mmpose.utils.tensor_utils.to_tensor']),
    (swap_defaults, ['mmpose.utils.tensor_utils.to_tensor']),
    (lambda mp: mp.setattr(torch.backends.cudnn, 'benchmark', True),
     ['torch.backends.cudnn.benchmark']),
    (lambda mp: setattr(torch.backends.cuda.matmul, 'allow_tf32', True),
     ['torch.backends.cuda.matmul.allow_tf32', 'torch.get_float32_matmul_precision()']),
    (lambda mp: torch.set_default_dtype(torch.float64),
     ['torch.Storage', 'torch.get_default_dtype()']),
]


@pytest.mark.parametrize('change, keys', GLOBAL_CHANGES,
                         ids=[c.__name__ if c.__name__ != '<lambda>' else k[0]
                              for c, k in GLOBAL_CHANGES])
def test_the_fingerprint_sees_global_changes(change, keys, monkeypatch):
    """Each change made between two fingerprints is reported, by the entries it changed; a new
    registry name is none. What a change mutates in place is a copy that monkeypatch puts back."""
    import mmpose.datasets  # noqa: F401  (registers CocoDataset)
    modules = import_fingerprint.of_packages(['mmpose.registry', 'mmpose.utils.tensor_utils',
                                              'torch'])
    dtype, tf32 = torch.get_default_dtype(), torch.backends.cuda.matmul.allow_tf32
    before = import_fingerprint.fingerprint(modules)
    try:
        change(monkeypatch)
        after = import_fingerprint.fingerprint(modules)
    finally:  # what monkeypatch cannot put back
        torch.set_default_dtype(dtype)
        torch.backends.cuda.matmul.allow_tf32 = tf32
    assert import_fingerprint.changes(before, after) == keys


def test_an_unknown_name_is_refused(monkeypatch):
    monkeypatch.setenv(compat.ENV, 'bf16_to_numpy,typo')
    with pytest.raises(ValueError, match=r"unknown fixes \['typo'\].*bf16_to_numpy"):
        compat.switched_off()
    monkeypatch.setenv(compat.ENV, 'all')
    assert compat.switched_off() == compat.NAMES


def test_the_readme_lists_every_fix():
    with open(osp.join(REPO, 'README.md')) as f:
        section = f.read().split('### Compatibility fixes')[1].split('\n#')[0]
    assert sorted(re.findall(r'^\| `(\w+)` \|', section, re.M)) == sorted(compat.NAMES)


def test_each_check_sees_the_fixed_behaviour_gone():
    """After the import, no fix is needed any more (the checks test what the fixes fix), but
    the safe loader, which is applied whatever the versions."""
    assert [f.name for f in compat.FIXES if f.needed()] == ['safe_checkpoint_loading']


def test_bfloat16_tensors_become_float32_arrays_everywhere_mmpose_converts():
    from mmpose.models.heads.heatmap_heads import heatmap_head
    from mmpose.utils import tensor_utils
    x = torch.tensor([[0.5, -1.25]], dtype=torch.bfloat16)
    for to_numpy in (tensor_utils.to_numpy, heatmap_head.to_numpy):
        out = to_numpy(x)
        assert out.dtype == np.float32 and out.tolist() == [[0.5, -1.25]]
        assert [a.dtype for a in to_numpy((x, x.float()))] == [np.float32, np.float32]
    x = torch.arange(3, dtype=torch.float16)  # everything else as MMPose does it
    assert tensor_utils.to_numpy(x).dtype == np.float16
    assert tensor_utils.to_numpy(x, return_device=True)[1] == x.device


def test_grayscale_arrays_are_loaded_as_bgr():
    from mmpose.datasets.transforms.loading import LoadImage
    for img in (np.full((4, 5), 7, np.uint8), np.full((4, 5, 1), 7, np.uint8)):
        out = LoadImage()(dict(img=img))['img']
        assert out.shape == (4, 5, 3) and (out == 7).all()


def test_flipped_images_are_contiguous_with_numpys_values():
    import mmcv
    from mmpose.datasets.transforms.common_transforms import RandomFlip, imflip
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, (5, 7, 3), dtype=np.uint8), rng.random((5, 7), np.float32),
              rng.integers(0, 999, (5, 7, 4)).astype(np.uint16)]
    for img in images:
        for direction, axes in (('horizontal', 1), ('vertical', 0), ('diagonal', (0, 1))):
            for flip in (mmcv.imflip, imflip):  # MMCV's and where MMPose imported it
                out = flip(img, direction)
                assert out.flags.c_contiguous and np.array_equal(out, np.flip(img, axes))
    odd = rng.integers(0, 9, (5, 7, 3))  # int64: not OpenCV's, goes to MMCV's function
    assert np.array_equal(imflip(odd), np.flip(odd, 1)) and not imflip(odd).flags.c_contiguous
    one = images[0][..., :1]  # (H, W, 1): OpenCV would return (H, W)
    assert imflip(one).shape == (5, 7, 1) and np.array_equal(imflip(one), np.flip(one, 1))
    out = RandomFlip(prob=1.0)(dict(img=images[0], img_shape=(5, 7)))['img']
    assert out.flags.c_contiguous and np.array_equal(out, images[0][:, ::-1])


def test_bbox_transform_draws_scipys_values_from_numpys_generator(monkeypatch):
    from mmpose.datasets.transforms.common_transforms import RandomBBoxTransform
    from scipy.stats import truncnorm
    assert getattr(RandomBBoxTransform._truncnorm, '_vitpose_ext', False)  # the fix's sampler
    for low, high, size in ((-1., 1., (1, 4)), (-2., 0.5, (3, 4)), (0.5, 2., (2, 4))):
        for seed in range(200):
            np.random.seed(seed)
            expected = truncnorm.rvs(low, high, size=size).astype(np.float32)  # MMPose's code
            np.random.seed(seed)
            out = RandomBBoxTransform._truncnorm(low, high, size)
            assert out.dtype == np.float32 and np.array_equal(out, expected), (low, high, seed)

    def bbox_transform():  # the whole transform, as a pipeline runs it
        np.random.seed(1)
        results = dict(bbox_center=np.array([[50., 40.]], np.float32),
                       bbox_scale=np.array([[20., 30.]], np.float32))
        return RandomBBoxTransform(rotate_prob=1.0)(results)

    ours = bbox_transform()
    monkeypatch.setattr(RandomBBoxTransform, '_truncnorm', staticmethod(
        lambda low=-1., high=1., size=(): truncnorm.rvs(low, high, size=size).astype(np.float32)))
    stock = bbox_transform()
    for key in ('bbox_center', 'bbox_scale', 'bbox_rotation'):
        assert np.array_equal(ours[key], stock[key]), key


def test_the_opencv_visualiser_draws_with_a_radius_array():
    from mmpose.visualization.opencv_backend_visualizer import OpencvBackendVisualizer
    vis = OpencvBackendVisualizer(name='test_compat', backend='opencv')
    vis.set_image(np.zeros((20, 20, 3), np.uint8))
    vis.draw_circles(np.array([10, 10]), radius=np.array([3]), face_colors=(0, 0, 255))
    image = vis.get_image()
    assert image[10, 10].tolist() == [0, 0, 255] and image[0, 0].tolist() == [0, 0, 0]


def fake_transformers(root, version):
    """A 'transformers' distribution of ``version`` that has none of the classes BLIP needs."""
    pkg = root / 'transformers'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('')
    info = root / f'transformers-{version}.dist-info'
    info.mkdir()
    (info / 'METADATA').write_text(f'Metadata-Version: 2.1\nName: transformers\nVersion: {version}\n')
    return str(root)


@pytest.mark.slow
def test_mmpretrain_imports_with_transformers_5(tmp_path):
    env = dict(PYTHONPATH=os.pathsep.join([fake_transformers(tmp_path, '5.0.0'),
                                           os.environ.get('PYTHONPATH', '')]))
    result = run('import mmpretrain.models', env)
    assert result.returncode != 0 and "from 'transformers'" in result.stderr  # the problem
    result = run('''
        import vitpose_ext
        from mmpretrain.models import VisionTransformer
        from mmpretrain.registry import MODELS
        VisionTransformer(arch='deit-tiny', img_size=32, patch_size=16)
        try:
            MODELS.build(dict(type='Blip2Caption'))
        except ImportError as exc:
            print('placeholder:', exc)
        ''', env)
    assert result.returncode == 0, result.stderr
    assert 'placeholder:' in result.stdout and 'mmpretrain_transformers5' in result.stdout + \
        result.stderr


def test_the_transformers_check(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(fake_transformers(tmp_path, '4.57.1'))
    assert not compat._transformers5()
