from setuptools import find_packages, setup

setup(
    name='vitpose_ext',
    version='0.1.0',
    description='ViTPose and friends as an MMPose 1.x plugin',
    packages=find_packages(include=['vitpose_ext', 'vitpose_ext.*']),
    python_requires='>=3.11',
    # The OpenMMLab stack cannot be resolved by pip alone (mmcv must be compiled against the
    # installed torch, mmpose's chumpy does not build): tools/setup_env.sh installs it.
    install_requires=[],
    entry_points={'console_scripts': [
        'vitpose-make-synth=vitpose_ext.datasets.synthetic:main',
    ]},
)
