#!/usr/bin/env bash
# `npm test` runs this first (pretest): the ops page is tested in Debian's chromium, driven by
# playwright-core, and a fresh machine does not have it. Installs it when /usr/bin/chromium
# is missing; fails loudly when it cannot, so the browser test never skips in silence.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "ensure-chromium: /usr/bin/chromium is missing; installing Debian's chromium" >&2
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else echo "ensure-chromium: not root and no sudo: install chromium (apt-get install chromium)" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium || { echo "ensure-chromium: chromium did not install at /usr/bin/chromium" >&2; exit 1; }
