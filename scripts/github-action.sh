#!/usr/bin/env bash
# The GitHub Action's step (action.yml): builds the CLI from the action's checkout if it is not built
# yet, then lints in the workspace with annotations on standard output (the runner reads them as
# workflow commands) and, when asked, a SARIF file. The inputs come as environment variables, never
# spliced into the script, so a path or an option with shell characters in it stays one argument.
set -euo pipefail
action="${GITHUB_ACTION_PATH:?run by GitHub Actions, which sets GITHUB_ACTION_PATH}"
cd "${GITHUB_WORKSPACE:-$PWD}"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "::error title=dockerfile-hardener::Node.js 20 or later is needed on the runner (found: $(node --version 2>/dev/null || echo none)); add actions/setup-node before this step"
  exit 2
fi

if [ ! -f "$action/dist/cli.js" ]; then
  echo "::group::Building dockerfile-hardener (once per action version)"
  (cd "$action" && npm ci --no-audit --no-fund --loglevel=error && node scripts/build.mjs)
  echo "::endgroup::"
fi

args=(lint --format github --fail-level "${HARDENER_FAIL_LEVEL:-warning}")
if [ -n "${HARDENER_SARIF:-}" ]; then
  mkdir -p -- "$(dirname -- "$HARDENER_SARIF")"
  args+=(--format sarif --output "$HARDENER_SARIF")
fi
if [ -n "${HARDENER_CONFIG:-}" ]; then args+=(--config "$HARDENER_CONFIG"); fi
# The extra options and the paths are words separated by blanks, as a user writes them in YAML.
read -r -a extra <<< "${HARDENER_ARGS:-}"
read -r -a paths <<< "${HARDENER_PATHS:-.}"
if [ "${#paths[@]}" -eq 0 ]; then paths=(.); fi
exec node "$action/dist/cli.js" "${args[@]}" "${extra[@]}" -- "${paths[@]}"
