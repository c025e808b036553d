#!/usr/bin/env bash
# Regenerates the README's pictures in docs/images from a real run: the browser e2e (packed plugin, fresh temp
# workspace with the demo plan, real nx commands, Debian's headless Chromium offline) takes the screenshots and
# copies plan-view.png, run-gantt.png and nx-graph-recipe.png here. Needs /usr/bin/chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
NX_PHASES_README_IMAGES="$PWD/docs/images" npx jest -c packages/nx-phases-e2e/jest.config.js packages/nx-phases-e2e/src/browser-pages.e2e.spec.ts
ls -l docs/images
