"""The docs are true about the tree: every relative link and every repository path that a doc or a
config cites exists, and every command in the README's code blocks runs a real entry point."""
import glob
import importlib.util
import os.path as osp
import re
import shlex

import mmpose
import pytest

from helpers.common import REPO

# docs/measurements/ and projects' measurements/ hold the records of past runs, as they ran
DOCS = sorted(p for p in glob.glob(osp.join(REPO, '**/*.md'), recursive=True)
              if not osp.relpath(p, REPO).startswith(('.', 'work_dirs'))
              and '/measurements/' not in p)
CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True)
                 + glob.glob(osp.join(REPO, 'projects/*/configs/**/*.py'), recursive=True))
TOP = ('configs', 'docs', 'projects', 'tests', 'tools', 'vitpose_ext', '.ci')
# a repository path: starts at a top-level folder, ends with a file suffix or a slash
REPO_PATH = re.compile(r'(?<![\w./$-])((?:%s)/[\w./*{}-]*?(?:\.(?:py|md|sh|yml|txt|png|json)|/))'
                       r'(?![\w*-])' % '|'.join(re.escape(t) for t in TOP))
LINK = re.compile(r'\]\(([^)\s]+)\)')
MMPOSE = osp.join(osp.dirname(mmpose.__file__), '.mim')  # MMPose's tools/ and configs/, cited too
rel = lambda path: osp.relpath(path, REPO)  # noqa: E731


def exists(path):
    """A path, a glob (``configs/simcc-deconv_*``) or a brace list (``{configs,tools}/``)."""
    braces = re.search(r'\{([^}]*)\}', path)
    if braces:
        return all(exists(path[:braces.start()] + part + path[braces.end():])
                   for part in braces.group(1).split(','))
    return bool(glob.glob(path)) if '*' in path else osp.exists(path)


def cited_paths(path):
    """The repository paths cited in ``path``'s text, those of examples and work dirs left out."""
    text = open(path).read()
    return sorted({m for m in REPO_PATH.findall(text)
                   if not re.search(r'\.\.\.|work_dirs|<|\b[A-Z]+\b', m)})


@pytest.mark.parametrize('doc', DOCS, ids=rel)
def test_relative_links_resolve(doc):
    broken = []
    for target in LINK.findall(open(doc).read()):
        if re.match(r'[a-z]+:|#', target):
            continue
        target = target.split('#')[0]
        if not exists(osp.join(osp.dirname(doc), target)):
            broken.append(target)
    assert not broken, f'{rel(doc)}: links to missing files {broken}'


@pytest.mark.parametrize('path', DOCS + CONFIGS, ids=rel)
def test_cited_repository_paths_exist(path):
    """A path like ``tools/infer.py`` or ``configs/pct/...`` named in a doc or a config's
    comments (relative to the repository root, or to a project's folder inside one)."""
    base = [REPO, MMPOSE]
    project = re.match(r'(projects/[^/]+)/', rel(path))
    if project:
        base.append(osp.join(REPO, project.group(1)))
    missing = [p for p in cited_paths(path) if not any(exists(osp.join(b, p)) for b in base)]
    assert not missing, f'{rel(path)} cites paths that do not exist: {missing}'


def readme_commands():
    """(line, argv) of every command line in the README's fenced code blocks."""
    lines, inside = [], False
    for line in open(osp.join(REPO, 'README.md')):
        if line.startswith('```'):
            inside = not inside
            continue
        line = line.split('  #')[0].strip().rstrip('\\').strip()
        if inside and re.match(r'(python|bash|mim) ', line):
            lines.append((line, shlex.split(line)))
    return lines


def config_names():
    return {osp.basename(p) for p in CONFIGS if '_base_' not in p}


@pytest.mark.parametrize('line, argv', readme_commands(), ids=[c[0][:60] for c in readme_commands()])
def test_readme_commands_run_real_entry_points(line, argv):
    tool, first = argv[0], argv[1]
    if first == '-m':  # python -m package.module
        assert importlib.util.find_spec(argv[2]) is not None, line
    elif tool == 'mim':
        if first in ('train', 'test'):
            config = argv[3]
            if argv[2] == 'vitpose_ext':
                assert config in config_names(), f'{line}: no config named {config}'
            elif config not in ('CFG', ):
                assert osp.isfile(osp.join(REPO, config)), f'{line}: no file {config}'
        else:
            assert first == 'search', line
    elif '$' not in first:  # python/bash FILE; $MMPOSE/... are MMPose's own scripts
        assert osp.isfile(osp.join(REPO, first)), f'{line}: no file {first}'


def test_the_checks_can_fail(tmp_path):
    doc = tmp_path / 'doc.md'
    doc.write_text('see `tools/no_such_tool.py` and [x](missing.md), `configs/pct/` exists')
    assert cited_paths(str(doc)) == ['configs/pct/', 'tools/no_such_tool.py']
    assert not exists(osp.join(REPO, 'tools/no_such_tool.py'))
    assert exists(osp.join(REPO, '{configs,tools}/'))
    assert not exists(osp.join(REPO, '{configs,nothing}/'))
