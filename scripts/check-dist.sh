#!/usr/bin/env bash
# Fails when the committed dist/ is not what the current sources build to.
#
# GitHub runs dist/index.js, not src/: a change to src/ without a rebuild would ship old code.
# Builds into a temporary directory, so the working tree is never touched.
set -euo pipefail

cd "$(dirname "$0")/.."
expected="$(mktemp -d)"
trap 'rm -rf "$expected"' EXIT

bash scripts/bundle.sh "$expected/dist"

if [ ! -d dist ]; then
  echo "check-dist: dist/ is missing. Run 'npm run bundle' and commit dist/." >&2
  exit 1
fi

if ! diff -r --brief dist "$expected/dist" >"$expected/diff.txt"; then
  echo "check-dist: dist/ is stale: it differs from a fresh build of src/." >&2
  sed 's/^/  /' "$expected/diff.txt" >&2
  echo "Run 'npm run bundle' (or 'npm run build') and commit dist/." >&2
  exit 1
fi
echo "check-dist: dist/ matches a fresh build."
