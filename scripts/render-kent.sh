#!/usr/bin/env bash
# Render the bundled Kent policy to DOCX, PDF (LibreOffice) and one PNG per
# page (pdftoppm), so a person can look at what publishing produces.
# Usage: scripts/render-kent.sh [OUT_DIR]   (default: build/kent)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/kent}"
mkdir -p "$out"
policy=policies/kent/o38-police-community-support-officers.md
docx="$out/o38.docx"

python3 -m pcso_policy render "$policy" -o "$docx"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdftoppm -r 80 -png "$out/o38.pdf" "$out/o38-page"
ls "$out"
