#!/usr/bin/env python3
"""Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def main() -> int:
    if CHROMIUM.exists():
        print(f"browser: {CHROMIUM} is installed")
        return 0
    if not shutil.which("apt-get"):
        print("browser: /usr/bin/chromium is missing and there is no apt-get here; install your system's "
              "'chromium' package so that /usr/bin/chromium exists, then run the tests again", file=sys.stderr)
        return 1
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("browser: installing Debian's chromium with apt-get (once)")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(sudo + command, env=env).returncode != 0:
            print(f"browser: '{' '.join(sudo + command)}' failed", file=sys.stderr)
            return 1
    return 0 if CHROMIUM.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
