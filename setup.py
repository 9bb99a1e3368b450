import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

MIM_FILES = ('configs', 'tools', 'model-index.yml')


def add_mim_extension():
    """Put the configs, tools and model-index.yml under vitpose_ext/.mim, where OpenMMLab's mim
    finds them (`mim search vitpose_ext`, `mim train vitpose_ext CONFIG_NAME`): symbolic links for
    an editable install, copies for a wheel."""
    if any(cmd in sys.argv for cmd in ('develop', 'editable_wheel')):
        mode = 'symlink'
    elif any(cmd in sys.argv for cmd in ('bdist_wheel', 'sdist', 'build', 'install')):
        mode = 'copy'
    else:
        return
    root = osp.dirname(osp.abspath(__file__))
    mim = osp.join(root, 'vitpose_ext', '.mim')
    os.makedirs(mim, exist_ok=True)
    for name in MIM_FILES:
        src, dst = osp.join(root, name), osp.join(mim, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns('__pycache__'))
        else:
            shutil.copyfile(src, dst)


add_mim_extension()

setup(
    name='vitpose_ext',
    version='0.1.0',
    description='ViTPose and friends as an MMPose 1.x plugin',
    packages=find_packages(include=['vitpose_ext', 'vitpose_ext.*']),
    include_package_data=True,
    package_data={'vitpose_ext': ['.mim/model-index.yml', '.mim/configs/**/*',
                                  '.mim/tools/**/*', 'datasets/metainfo/*.py']},
    license='Apache-2.0',
    python_requires='>=3.11',
    # The OpenMMLab stack cannot be resolved by pip alone (mmcv must be compiled against the
    # installed torch, mmpose's chumpy does not build): tools/setup_env.sh installs it.
    install_requires=[],
    extras_require={
        # ONNX export (tools/deploy/export_onnx.py) and onnxruntime inference
        'deploy': ['onnx', 'onnxruntime', 'onnxscript'],
        # TensorBoard logging (vis_backends) and MMPose's tools/analysis_tools/analyze_logs.py
        'vis': ['tensorboard', 'seaborn'],
    },
    entry_points={'console_scripts': [
        'vitpose-make-synth=vitpose_ext.datasets.synthetic:main',
    ]},
)
