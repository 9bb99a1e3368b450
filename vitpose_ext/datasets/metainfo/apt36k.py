# APT-36K's metainfo (an MMEngine config file, read by MMPose's parse_pose_metainfo): AP-10K's 17
# keypoints, skeleton, flip pairs and OKS sigmas under APT-36K's own name and paper, so that
# MultiDatasetEvaluator, which keys its metrics by dataset_name, keeps the two data sets apart.
_base_ = ['mmpose::_base_/datasets/ap10k.py']
dataset_info = dict(
    dataset_name='apt36k',
    paper_info=dict(
        author='Yang, Yuxiang and Yang, Junjie and Xu, Yufei and Zhang, Jing and Lan, Long and '
        'Tao, Dacheng',
        title='APT-36K: A Large-scale Benchmark for Animal Pose Estimation and Tracking',
        container='Advances in Neural Information Processing Systems Datasets and Benchmarks '
        'Track',
        year='2022',
        homepage='https://github.com/pandorgan/APT-36K',
    ))
