#!/usr/bin/env bash
# The one test command (README, .ci/run): system deps, type check, lint, format, then every test.
# LCM_SKIP_SLOW=1 skips suites named *.slow.test.ts (they always run in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-system-deps.sh

echo "== typecheck" && npx tsc -p tsconfig.json
echo "== lint" && npx eslint --max-warnings 0 .
echo "== format" && npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }

pattern='*.test.ts'
files=()
while IFS= read -r f; do
  if [ "${LCM_SKIP_SLOW:-}" = "1" ] && [[ "$f" == *.slow.test.ts ]]; then continue; fi
  files+=("$f")
done < <(find test src -name "$pattern" -type f | sort)

echo "== tests (${#files[@]} files)"
exec node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
