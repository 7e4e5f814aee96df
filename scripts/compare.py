#!/usr/bin/env python3
"""The comparison runner's command line (scripts/runner/, the README's
first command through scripts/run.sh, which builds first):

  compare.py [--mode auto|icount|kvm|tcg] [--quick] [--only a,b] [--profile] ...
  compare.py compare A.json B.json
  compare.py side-by-side INITRAMFS | --hello

`compare.py --help` lists the options; docs/benchmarks.md says more.

The plots need Debian's python3-matplotlib (scripts/setup.sh), which is
Debian's /usr/bin/python3's: when the python3 that runs this lacks it (a
pyenv or venv python first in PATH), the runner runs under Debian's."""
import os
import subprocess
import sys

DEBIAN_PYTHON = "/usr/bin/python3"


def debian_python_instead():
    try:
        import matplotlib  # noqa: F401
        return None
    except ImportError:
        pass
    if os.environ.get("TERN_RUNNER_PYTHON") or not os.path.exists(DEBIAN_PYTHON):
        return None
    if os.path.realpath(sys.executable) == os.path.realpath(DEBIAN_PYTHON):
        return None
    ok = subprocess.run([DEBIAN_PYTHON, "-c", "import matplotlib"], stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode == 0
    return DEBIAN_PYTHON if ok else None


if __name__ == "__main__":
    other = debian_python_instead()
    if other:
        os.execve(other, [other] + sys.argv, dict(os.environ, TERN_RUNNER_PYTHON=other))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from runner.cli import main
    sys.exit(main())
