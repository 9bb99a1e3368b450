"""MMPose's tools/train.py, run as it is (the configs here import vitpose_ext themselves).

    python tools/train.py CONFIG ...            # all of MMPose's train.py options
    mim train vitpose_ext CONFIG_NAME ...       # mim runs this file, also outside the clone
"""
import os.path as osp
import runpy

import mmpose

if __name__ == '__main__':
    runpy.run_path(osp.join(osp.dirname(mmpose.__file__), '.mim', 'tools', 'train.py'),
                   run_name='__main__')
