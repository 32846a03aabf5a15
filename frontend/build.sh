#!/usr/bin/env bash
# Rebuild the committed GOV.UK Frontend + MoJ Frontend assets in ../static/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --ignore-scripts
else
  npm install --no-audit --no-fund --ignore-scripts
fi

GOVUK=node_modules/govuk-frontend/dist/govuk
MOJ=node_modules/@ministryofjustice/frontend/moj
OUT_GOVUK=../static/govuk
OUT_MOJ=../static/moj

# Start from a clean output so removed upstream files don't linger.
rm -rf "$OUT_GOVUK" "$OUT_MOJ"
mkdir -p "$OUT_GOVUK/assets" "$OUT_MOJ/assets"

# CSS. --load-path=. is needed because MoJ Frontend imports
# "node_modules/govuk-frontend/dist/govuk/base".
node_modules/.bin/sass \
  --load-path=node_modules \
  --load-path=. \
  --quiet-deps \
  --style=compressed \
  --no-source-map \
  application.scss "$OUT_GOVUK/application.css"

# JavaScript (ES modules). The source-map comment is dropped: the maps are not shipped, and
# Django's manifest storage fails collectstatic on a reference to a missing file.
sed 's|//# sourceMappingURL=[^ ]*$||' "$GOVUK/govuk-frontend.min.js" > "$OUT_GOVUK/govuk-frontend.min.js"
sed 's|//# sourceMappingURL=[^ ]*$||' "$MOJ/moj-frontend.min.js" > "$OUT_MOJ/moj-frontend.min.js"

# Images (GDS Transport fonts are deliberately not copied).
cp -R "$GOVUK/assets/images" "$OUT_GOVUK/assets/images"
if [[ -f "$GOVUK/assets/manifest.json" ]]; then
  cp "$GOVUK/assets/manifest.json" "$OUT_GOVUK/assets/manifest.json"
fi
if [[ -d "$MOJ/assets/images" ]]; then
  cp -R "$MOJ/assets/images" "$OUT_MOJ/assets/images"
fi

echo "Built assets in $(cd .. && pwd)/static/{govuk,moj}"

# axe-core for the browser tests' accessibility checks (injected into each page the tests visit).
mkdir -p ../tests/browser/vendor
cp node_modules/axe-core/axe.min.js ../tests/browser/vendor/axe.min.js
