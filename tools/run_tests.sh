#!/usr/bin/env bash
# Run the test suite in the environment made by tools/setup_env.sh; arguments go to pytest.
#   bash tools/run_tests.sh [PYTEST_ARGS...]      (env VITPOSE_VENV selects the environment)
# Without paths pytest runs pytest.ini's testpaths: tests/ (the library's) and projects/ (each
# project's tests/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VITPOSE_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    echo "run_tests.sh: no environment at $VENV: run 'bash tools/setup_env.sh' first" >&2
    exit 2
fi
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
