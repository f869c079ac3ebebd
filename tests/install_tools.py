#!/usr/bin/env python3
"""Install what the tests drive besides Python: Debian's Chromium (never a downloaded browser), Java and
Node.js from Debian when missing, and the npm test tools pinned in tests/package-lock.json."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
# What the tests run -> the Debian package that provides it.
SYSTEM = {"chromium": "chromium", "java": "default-jre-headless", "node": "nodejs", "npm": "npm"}


def _present(command: str) -> bool:
    return CHROMIUM.exists() if command == "chromium" else shutil.which(command) is not None


def system_packages() -> int:
    missing = [package for command, package in SYSTEM.items() if not _present(command)]
    if not missing:
        print(f"tools: {', '.join(SYSTEM)} are installed")
        return 0
    if not shutil.which("apt-get"):
        print(f"tools: {', '.join(missing)} missing and there is no apt-get here; install your system's packages "
              "for them (Chromium must be at /usr/bin/chromium), then run the tests again", file=sys.stderr)
        return 1
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"tools: installing {', '.join(missing)} with apt-get (once)")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        if subprocess.run(sudo + command, env=env).returncode != 0:
            print(f"tools: '{' '.join(sudo + command)}' failed", file=sys.stderr)
            return 1
    return 0 if all(_present(command) for command in SYSTEM) else 1


def npm_tools() -> int:
    # Install scripts are off: vnu-jar's would download a Java runtime; the machine's Java runs it.
    command = ["npm", "install", "--prefix", str(HERE), "--no-audit", "--no-fund", "--ignore-scripts",
               "--loglevel=error"]
    if subprocess.run(command).returncode != 0:
        print(f"tools: '{' '.join(command)}' failed", file=sys.stderr)
        return 1
    print("tools: npm test tools installed in tests/node_modules")
    return 0


def main() -> int:
    return system_packages() or npm_tools()


if __name__ == "__main__":
    sys.exit(main())
