#!/usr/bin/env bash
# Remakes the README pictures in docs/ from the example deck (decks/ml-basics.yaml).
#
# Assumes installed: quizgen and the `anki` package in the current Python
# (`pip install -e '.[dev]'`), and from Debian: chromium, fonts-noto-cjk, poppler-utils;
# node + npm (MathJax 3 is fetched from npm into a scratch folder outside the repository).
# pngquant and optipng shrink the PNGs when present; without them the pictures are just larger.
#
#   docs/card-cloze-front.png, docs/card-cloze-back.png  the softmax cloze card, both sides
#   docs/card-choice-back.png                            a mutual-information choice card, answer side
#   docs/card-choice-back-dark.png                       the same in night mode
#   docs/quiz-page.png, docs/key-page.png                page 1 of the quiz and of its answer key
#
# The cards are imported with the real `anki` package into a fresh collection, so the pictures
# show Anki's own rendering of the templates (cloze handling, field substitution), typeset with
# MathJax 3 configured as Anki desktop configures it. Each screenshot is exactly as tall as the
# typeset card. Safe to rerun: outputs are overwritten, scratch files live outside the repository.
#
# Environment (optional):
#   MATHJAX_DIR   where `npm install mathjax@3` goes, reused between runs
#                 (default: ${TMPDIR:-/tmp}/quizgen-mathjax)
#   WIDTH         card picture width in CSS pixels (default: 640)
#   DPI           resolution of the PDF page pictures (default: 100)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCS="$ROOT/docs"
MATHJAX_DIR=${MATHJAX_DIR:-${TMPDIR:-/tmp}/quizgen-mathjax}
WIDTH=${WIDTH:-640}
DPI=${DPI:-100}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. Build the example deck: build/ml-basics.apkg and the quiz / key PDFs.
(cd "$ROOT" && quizgen export decks/ml-basics.yaml)

# 2. MathJax 3 from npm, kept outside the repository and reused between runs.
if [[ ! -f "$MATHJAX_DIR/node_modules/mathjax/es5/tex-chtml-full.js" ]]; then
  mkdir -p "$MATHJAX_DIR"
  (cd "$MATHJAX_DIR" && npm install --silent --no-audit --no-fund mathjax@3)
fi
export MATHJAX_JS="$MATHJAX_DIR/node_modules/mathjax/es5/tex-chtml-full.js"

# 3. Import the deck into a fresh collection, render the chosen cards, write one HTML page per
#    picture. Cards are chosen by the stable key quizgen stores in each note's Key field.
python - "$ROOT/build/ml-basics.apkg" "$WORK" <<'PY'
import html, os, sys
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

# picture name prefix -> end of the note's Key field
WANTED = {
    "cloze": "softmax.md|cloze|concept:softmax#0",
    "choice": "mutual_information.md|choice|mutual_information#0",
}
apkg, work = sys.argv[1], Path(sys.argv[2])
col = Collection(str(work / "c.anki2"))
rendered: dict[str, tuple[str, str, str]] = {}
try:
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=apkg, options=ImportAnkiPackageOptions(with_scheduling=True)))
    col.models._clear_cache()  # the Python note-type cache is stale after a backend import
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        key = note["Key"] if "Key" in note else ""
        for name, suffix in WANTED.items():
            if key.endswith(suffix):
                card = note.cards()[0]
                out = card.render_output()
                rendered[name] = (out.question_text, out.answer_text, card.note_type()["css"])
finally:
    col.close()
missing = sorted(set(WANTED) - set(rendered))
if missing:
    sys.exit(f"no note with these keys in the deck: {[WANTED[m] for m in missing]}")

# Anki desktop's MathJax settings (ts/mathjax/index.ts): \( \) inline, \[ \] display, no $.
page = """<!doctype html>
<html><head><meta charset="utf-8">
<style>html, body {{ margin: 0; }} #qa {{ padding: 20px; }}</style>
<style>{css}</style>
<script>
window.MathJax = {{
  tex: {{
    displayMath: [["\\\\[", "\\\\]"]],
    processEscapes: false, processEnvironments: false, processRefs: false,
    packages: {{"[+]": ["noerrors", "mathtools", "mhchem"]}},
  }},
  options: {{ renderActions: {{ addMenu: [] }} }},
  startup: {{
    // The page reports its typeset height in the title so the screenshot can be cropped to it.
    pageReady: () => MathJax.startup.defaultPageReady()
      .then(() => document.fonts.ready)
      .then(() => {{ document.title = "height=" + Math.ceil(document.body.scrollHeight); }}),
  }},
}};
</script>
<script src="file://{mathjax}"></script>
<title>typesetting</title>
</head><body class="{body_class}"><div id="qa">{card}</div></body></html>
"""
pages = {  # picture -> (card, side, body classes as Anki desktop sets them)
    "card-cloze-front": ("cloze", 0, "card"),
    "card-cloze-back": ("cloze", 1, "card"),
    "card-choice-back": ("choice", 1, "card"),
    "card-choice-back-dark": ("choice", 1, "card nightMode night_mode"),
}
for picture, (name, side, body_class) in pages.items():
    css = rendered[name][2]
    (work / f"{picture}.html").write_text(page.format(
        css=css, mathjax=html.escape(os.environ["MATHJAX_JS"]), body_class=body_class,
        card=rendered[name][side]), encoding="utf-8")
PY

chrome() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --allow-file-access-from-files --hide-scrollbars --force-device-scale-factor=1 \
    --user-data-dir="$WORK/profile" --virtual-time-budget=10000 "$@" 2>/dev/null
}

shrink() {  # lossy palette + lossless recompression, each only when installed
  if command -v pngquant >/dev/null; then pngquant --force --skip-if-larger --quality=70-95 --output "$1" -- "$1" || true; fi
  if command -v optipng >/dev/null; then optipng -quiet -o5 -strip all "$1"; fi
}

# 4. Screenshot each page at exactly its typeset height (measured in a first pass).
for name in card-cloze-front card-cloze-back card-choice-back card-choice-back-dark; do
  height=$(chrome --window-size="$WIDTH,400" --dump-dom "file://$WORK/$name.html" | sed -n 's/.*<title>height=\([0-9]*\)<\/title>.*/\1/p')
  if [[ -z "$height" ]]; then echo "MathJax did not finish typesetting $name" >&2; exit 1; fi
  chrome --window-size="$WIDTH,$height" --screenshot="$DOCS/$name.png" "file://$WORK/$name.html"
  shrink "$DOCS/$name.png"
done

# 5. Page 1 of the printable quiz and of its answer key.
for pair in quiz-page:ml-basics-quiz key-page:ml-basics-key; do
  pdftoppm -png -r "$DPI" -f 1 -l 1 -singlefile "$ROOT/build/${pair#*:}.pdf" "$DOCS/${pair%%:*}"
  shrink "$DOCS/${pair%%:*}.png"
done

ls -l "$DOCS"/*.png
