#!/usr/bin/env node
// The `lambda-cost-gate` command: the CLI bundled by ncc (see scripts/bundle.sh).
import '../dist/cli/index.js';
