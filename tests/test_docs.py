"""The docs are true about the tree: every relative link and every repository path that a doc or a
config cites exists, every README section that a file cites by its heading exists, and every
command in the README's code blocks runs a real entry point."""
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
# the stand-ins for a user's names in the docs' paths and commands (projects/x/configs/CONFIG.py)
PLACEHOLDERS = ('CFG', 'CKPT', 'CHECKPOINT', 'CONFIG', 'DIR', 'FILE', 'IMAGE', 'IMAGES', 'INPUT',
                'NAME', 'OUT', 'PATH', 'WORK_DIR', 'WORK_ROOT')
README = osp.join(REPO, 'README.md')
SECTION = re.compile(r'README(?:\'s)? "([^"\n]+)"')  # a README section cited by its heading
TEXTS = sorted(p for ext in ('py', 'md', 'txt', 'sh', 'ini')
               for p in glob.glob(osp.join(REPO, f'**/*.{ext}'), recursive=True)
               if not osp.relpath(p, REPO).startswith('work_dirs') and '/measurements/' not in p)
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
    """The repository paths cited in ``path``'s text, those of examples, placeholders and work
    dirs left out."""
    text = open(path).read()
    skip = re.compile(r'\.\.\.|work_dirs|<|\b(%s)\b' % '|'.join(PLACEHOLDERS))
    return sorted({m for m in REPO_PATH.findall(text) if not skip.search(m)})


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


def readme_headings():
    """The README's headings (outside its code blocks), without their #s."""
    headings, inside = set(), False
    for line in open(README):
        if line.startswith('```'):
            inside = not inside
        elif not inside and line.startswith('#'):
            headings.add(line.lstrip('#').strip())
    return headings


def cited_sections(path):
    return set(SECTION.findall(open(path).read()))


@pytest.mark.parametrize('path', [p for p in TEXTS if cited_sections(p)], ids=rel)
def test_cited_readme_sections_exist(path):
    missing = sorted(cited_sections(path) - readme_headings())
    assert not missing, f'{rel(path)} cites README sections that are no heading: {missing}'


def readme_commands():
    """(line, argv) of every command line in the README's fenced code blocks."""
    lines, inside = [], False
    for line in open(README):
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
    doc.write_text('see `tools/no_such_tool.py` and [x](missing.md), `configs/pct/` exists, '
                   '`docs/SPEC.md`, not `projects/x/configs/CONFIG.py`; README' + ' "Install", '
                   'README' + ' "No such section"')
    assert cited_paths(str(doc)) == ['configs/pct/', 'docs/SPEC.md', 'tools/no_such_tool.py']
    assert cited_sections(str(doc)) - readme_headings() == {'No such section'}
    assert not exists(osp.join(REPO, 'tools/no_such_tool.py'))
    assert exists(osp.join(REPO, '{configs,tools}/'))
    assert not exists(osp.join(REPO, '{configs,nothing}/'))
