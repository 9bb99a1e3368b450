"""With transformers >= 5 installed, importing vitpose_ext lets mmpretrain's backbones import."""
import os
import subprocess
import sys
import textwrap

import pytest

from vitpose_ext.utils.mmpretrain_compat import transformers_breaks_mmpretrain

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess


def fake_transformers(root, version):
    """A 'transformers' distribution of ``version`` that has none of the classes BLIP needs."""
    pkg = root / 'transformers'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('')
    info = root / f'transformers-{version}.dist-info'
    info.mkdir()
    (info / 'METADATA').write_text(f'Metadata-Version: 2.1\nName: transformers\nVersion: {version}\n')
    return str(root)


def run(code, path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([path, os.environ.get('PYTHONPATH', '')]))
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope='module')
def transformers5(tmp_path_factory):
    return fake_transformers(tmp_path_factory.mktemp('tf5'), '5.0.0')


def test_without_the_package_mmpretrain_models_fail_to_import(transformers5):
    result = run('import mmpretrain.models', transformers5)
    assert result.returncode != 0 and "from 'transformers'" in result.stderr


def test_with_the_package_the_stock_vit_builds_and_multimodal_models_are_placeholders(
        transformers5):
    result = run('''
        import vitpose_ext
        from mmpretrain.models import VisionTransformer
        from mmpretrain.registry import MODELS
        VisionTransformer(arch='deit-tiny', img_size=32, patch_size=16)
        try:
            MODELS.build(dict(type='Blip2Caption'))
        except ImportError as exc:
            print('placeholder:', exc)
        ''', transformers5)
    assert result.returncode == 0, result.stderr
    assert 'placeholder:' in result.stdout
    assert 'transformers >= 5 is installed' in result.stdout + result.stderr


def test_the_version_check(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(fake_transformers(tmp_path, '4.57.1'))
    assert not transformers_breaks_mmpretrain()
