#!/usr/bin/env bash
# `npm test` runs this first (pretest). The tests run compiled, so .taprc drops tap's
# TypeScript and mock plugins (their import hooks cost every test process and worker
# seconds). tap rebuilds itself when its configured plugins change, but the run that
# rebuilds still starts its test processes with the hooks of the build it loaded: after a
# fresh install that is every process of the suite. So the rebuild happens here, once.
set -euo pipefail
cd "$(dirname "$0")/.."
options="$(npx --no-install tap node-options)"
if [[ "$options" == *@tapjs/typescript* || "$options" == *@tapjs/mock* ]]; then
  echo "ensure-tap-plugins: building tap without its TypeScript and mock plugins (.taprc)" >&2
  npx --no-install tap build >/dev/null
fi
