"""Print a config as MMEngine resolves it (all ``_base_`` files merged), or check / write the
resolved snapshots of every config in the repository.

    python tools/print_config.py CONFIG [--cfg-options KEY=VALUE ...]
    python tools/print_config.py --check       # exit 1 if a resolved config differs from its snapshot
    python tools/print_config.py --update      # rewrite tests/data/config_snapshots/ after a deliberate change

A snapshot (``tests/data/config_snapshots/<path of the config>.txt``) is the resolved config as a sorted
Python literal, paths inside the repository written as ``<repo>/...``, so that a change to a base
file shows up as a diff of every config it reaches (tests/test_configs.py runs the check).
"""
import argparse
import difflib
import glob
import os
import os.path as osp
import pprint
import sys

from mmengine.config import Config, DictAction

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SNAPSHOTS = osp.join(REPO, 'tests', 'data', 'config_snapshots')


def all_configs():
    """Every config a user runs: configs/ and projects/*/configs/, without the base fragments."""
    paths = glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True) + glob.glob(
        osp.join(REPO, 'projects/*/configs/**/*.py'), recursive=True)
    return sorted(p for p in paths if '_base_' not in p.split(os.sep))


def resolved(path, options=None):
    """The resolved config of ``path`` as text (see the module docstring)."""
    cfg = Config.fromfile(path)
    if options:
        cfg.merge_from_dict(options)
    return pprint.pformat(cfg.to_dict(), width=100, sort_dicts=True).replace(REPO, '<repo>') + '\n'


def snapshot_path(path):
    return osp.join(SNAPSHOTS, osp.relpath(path, REPO)[:-len('.py')] + '.txt')


def differences():
    """[(config, unified diff of its snapshot against the resolved config)] of the configs that
    differ, a missing snapshot included; snapshots of configs that no longer exist too."""
    out = []
    for path in all_configs():
        snap = snapshot_path(path)
        old = open(snap).read() if osp.isfile(snap) else ''
        new = resolved(path)
        if old != new:
            out.append((path, ''.join(difflib.unified_diff(
                old.splitlines(True), new.splitlines(True), osp.relpath(snap, REPO),
                osp.relpath(path, REPO) + ' (resolved)'))))
    expected = {snapshot_path(p) for p in all_configs()}
    for snap in glob.glob(osp.join(SNAPSHOTS, '**/*.txt'), recursive=True):
        if snap not in expected:
            out.append((snap, f'{osp.relpath(snap, REPO)}: no such config any more\n'))
    return out


def update():
    for snap in glob.glob(osp.join(SNAPSHOTS, '**/*.txt'), recursive=True):
        os.remove(snap)
    for path in all_configs():
        snap = snapshot_path(path)
        os.makedirs(osp.dirname(snap), exist_ok=True)
        with open(snap, 'w') as f:
            f.write(resolved(path))
    print(f'wrote {len(all_configs())} snapshots under {osp.relpath(SNAPSHOTS, REPO)}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', nargs='?')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    parser.add_argument('--check', action='store_true', help='compare every config with its '
                        'snapshot')
    parser.add_argument('--update', action='store_true', help='rewrite every snapshot')
    args = parser.parse_args()
    if args.update:
        return update()
    if args.check:
        diffs = differences()
        for _, diff in diffs:
            sys.stdout.write(diff)
        if diffs:
            sys.exit(f'{len(diffs)} resolved configs differ from their snapshots: review the '
                     'diff, then `python tools/print_config.py --update`')
        return print(f'all {len(all_configs())} configs match their snapshots')
    if not args.config:
        parser.error('give a CONFIG, --check or --update')
    sys.stdout.write(resolved(args.config, args.cfg_options))


if __name__ == '__main__':
    main()
