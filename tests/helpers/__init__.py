"""Test helpers: ``common`` (imported by the tests as ``helpers.common``) and
``distributed_run.py`` (a script, run as a subprocess by tests/test_distributed.py)."""
