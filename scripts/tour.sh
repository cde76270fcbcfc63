#!/usr/bin/env bash
# A short tour of Charter's command line on the example policy.
# Usage: scripts/tour.sh VENV_BIN   (make tour passes .venv/bin)
set -euo pipefail
bin=${1:-.venv/bin}
out=demo-out
mkdir -p "$out"

step() {
    printf '\n\033[1m$'; printf ' %q' "$@"; printf '\033[0m\n'
    "$@"
}

step "$bin/charter" init "$out/policy.yaml" --force
step "$bin/charter" validate "$out/policy.yaml"
step "$bin/charter" lint "$out/policy.yaml"
step "$bin/charter" hours "$out/policy.yaml" --calendar uk-support --add 8h --from "2026-12-24 16:00"
step "$bin/charter" hours "$out/policy.yaml" --calendar us-support \
    --between "2026-11-25 17:00" "2026-11-30 10:00"

# A draft that answers high-priority e-mail faster and shortens the returns window.
sed -e '/id: sl-email-high/,/id: sl-default/ s/first_response: {within: 4h/first_response: {within: 2h/' \
    -e 's/^  window_days: 30/  window_days: 14/' \
    -e 's/^  name: Larkfield Home/  name: Larkfield Home Ltd/' \
    "$out/policy.yaml" > "$out/draft.yaml"
step "$bin/charter" diff "$out/policy.yaml" "$out/draft.yaml"

step "$bin/charter" synth --tickets 20000 --days 90 --out "$out/data"
step "$bin/charter" backtest "$out/policy.yaml" --tickets "$out/data" --against "$out/draft.yaml" \
    --report "$out/backtest.html"
step "$bin/charter" kpis "$out/policy.yaml" --tickets "$out/data" --period month

printf '\nThe example policy is in %s/policy.yaml, the backtest report in %s/backtest.html;\n' "$out" "$out"
printf 'try `%s/charter --help`.\n' "$bin"
