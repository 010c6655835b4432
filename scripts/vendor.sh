#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry. The app never loads a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/zhenxing/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack -q htmx.org@2.0.11 echarts@5.6.0 @picocss/pico@2.1.1 lucide-static@1.62.0 leaflet@1.9.4 >/dev/null)
for f in "$tmp"/*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
cp "$tmp"/htmx.org-*/package/dist/htmx.min.js "$tmp"/htmx.org-*/package/LICENSE "$dest/htmx/"
cp "$tmp"/echarts-*/package/dist/echarts.min.js "$tmp"/echarts-*/package/{LICENSE,NOTICE} "$dest/echarts/"
cp "$tmp"/picocss-pico-*/package/css/pico.red.min.css "$tmp"/picocss-pico-*/package/LICENSE.md "$dest/pico/"
cp "$tmp"/lucide-static-*/package/LICENSE "$dest/lucide/"
mkdir -p "$dest/leaflet/images"
cp "$tmp"/leaflet-*/package/dist/{leaflet.js,leaflet.css} "$tmp"/leaflet-*/package/LICENSE "$dest/leaflet/"
cp "$tmp"/leaflet-*/package/dist/images/* "$dest/leaflet/images/"
# The source map is not vendored; a dangling sourceMappingURL fails the manifest collectstatic.
sed -i '/^\/\/# sourceMappingURL=/d' "$dest/leaflet/leaflet.js"
python3 scripts/lucide_sprite.py "$tmp"/lucide-static-*/package/icons "$dest/lucide/sprite.svg"
