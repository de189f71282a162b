#!/usr/bin/env bash
# Renders the documents `meritlist score` writes for each sample exam (the
# notices of disqualification, the results letters and the eligibility-list
# workbook) to PDF with LibreOffice and to PNG with pdftoppm, so that they can
# be proofread as the Secretary will print them: Letter paper, 1-inch margins,
# nothing cut off, the signature block kept together. Not run in CI.
#
# usage: scripts/render-documents.sh [OUTDIR]      (default /tmp/meritlist-render)
#
# Needs soffice and pdftoppm, e.g. on Debian/Ubuntu:
#   apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation
# (fonts-liberation gives Times New Roman's metrics, so line breaks match Word.)
#
# OUTDIR/<sample>/{notices,letters,workbook}/ receive one PDF per document and
# one PNG per page (<name>-<page>.png); OUTDIR/pages.txt lists page counts.
set -euo pipefail

out=${1:-/tmp/meritlist-render}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

for tool in soffice pdftoppm pdfinfo; do
    if ! command -v "$tool" >/dev/null; then
        echo "render-documents: $tool not found; install libreoffice-writer-nogui, libreoffice-calc-nogui and poppler-utils" >&2
        exit 1
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
: >"$out/pages.txt"

cargo build --release --quiet --bin meritlist --example documents
letters_flag=()
if cargo run --release --quiet -- score --help 2>/dev/null | grep -q -- '--letters'; then
    letters_flag=(--letters)
fi

# Converts the given documents into DEST: PDF, then PNG pages.
render() {
    local dest=$1
    shift
    [ "$#" -gt 0 ] || return 0
    rm -rf "$dest"
    mkdir -p "$dest"
    # A private LibreOffice profile: no clash with a running instance.
    soffice --headless "-env:UserInstallation=file://$work/lo-profile" \
        --convert-to pdf --outdir "$dest" "$@" >/dev/null 2>&1
    local pdf
    for pdf in "$dest"/*.pdf; do
        pdftoppm -r 100 -png "$pdf" "${pdf%.pdf}"
        printf '%s\t%s pages\n' "${pdf#"$out"/}" \
            "$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')" >>"$out/pages.txt"
    done
}

for exam in samples/*/exam.toml; do
    name=$(basename "$(dirname "$exam")")
    dir="$work/$name"
    cargo run --release --quiet -- score "$exam" -o "$dir" --force "${letters_flag[@]}"
    # Until `score` writes notices/ (and letters/ with --letters), the example
    # writes them from the same list of record.
    if [ ! -d "$dir/notices" ] || [ ! -d "$dir/letters" ]; then
        cargo run --release --quiet --example documents -- "$exam" "$dir"
    fi
    shopt -s nullglob
    render "$out/$name/notices" "$dir"/notices/*.docx
    render "$out/$name/letters" "$dir"/letters/*.docx
    render "$out/$name/workbook" "$dir"/*.xlsx
    shopt -u nullglob
    echo "$name: $out/$name"
done
echo "page counts: $out/pages.txt"
