from vitpose_ext import env


def test_report_passes_in_the_installed_environment(capsys):
    assert env.main(['--check']) == 0
    out = capsys.readouterr().out
    assert 'mmcv ops       ok' in out and 'mmpose.models  ok' in out


def test_missing_part_fails_the_check_and_says_what_to_do(monkeypatch, capsys):
    real_probe = env._probe

    def probe(module, attr='__version__'):
        if module == 'mmdet':
            return False, "ModuleNotFoundError: No module named 'mmdet'"
        return real_probe(module, attr)

    monkeypatch.setattr(env, '_probe', probe)
    assert env.main(['--check']) == 1
    out = capsys.readouterr().out
    assert 'mmdet' in out and 'MISSING' in out and 'setup_env.sh' in out
