#!/usr/bin/env bash
# Bundles the action into one directory (default: dist/). Used by `npm run bundle` and by
# scripts/check-dist.sh, so the committed dist/ and the staleness check are built the same way.
#
# Usage: bash scripts/bundle.sh [OUT_DIR]
set -euo pipefail

out="${1:-dist}"
cd "$(dirname "$0")/.."

# Step 1: tsc compiles only the files the entry points import (tsconfig.build.json), so a type error
# in a test or in unrelated work in progress cannot block the bundle. It compiles inside the repo
# because ncc finds node_modules and "type": "module" (ESM output) from the compiled file's location.
# ncc's own TypeScript loader is not used: with type checking it checks every file tsconfig.json
# includes, and in transpile-only mode it cannot see "type": "module" and emits CommonJS.
rm -rf build/bundle-src
npx tsc -p tsconfig.build.json

# Step 2: ncc bundles the JavaScript. Start from an empty directory: ncc only deletes old .js files,
# and a leftover file would make dist/ differ from a clean build.
# --no-cache: the bytes must depend on the sources and package-lock.json only, never on a local cache.
# ncc deletes every .js under its output directory before writing, so a bundle that goes into a
# subdirectory (dist/cli) must be built AFTER this one.
rm -rf "$out"
npx ncc build build/bundle-src/index.js -o "$out" --license licenses.txt --no-cache --quiet
# The CLI bundle (`lambda-cost-gate emulator|demo`), after the action's: see above.
npx ncc build build/bundle-src/cli.js -o "$out/cli" --license licenses.txt --no-cache --quiet
