#!/usr/bin/env bash
# Remake the README pictures from the example deck.
# Needs (not project dependencies): chromium, fonts-noto-cjk and poppler-utils from Debian,
# node/npm for MathJax 3:  apt-get install -y chromium fonts-noto-cjk poppler-utils
set -euo pipefail
cd "$(dirname "$0")/.."
quizgen export decks/ml-basics.yaml
work=$(mktemp -d)
(cd "$work" && npm install --silent mathjax@3 >/dev/null)
python docs/card_pages.py build/ml-basics.apkg "$work" "$work/node_modules/mathjax"
shot() {  # page, output, width,height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --allow-file-access-from-files --virtual-time-budget=5000 \
    --hide-scrollbars --window-size="$3" --screenshot="$2" "file://$work/$1.html" 2>/dev/null
}
shot cloze-front docs/card-cloze-front.png 640,190
shot cloze-back docs/card-cloze-back.png 640,190
shot choice-back docs/card-choice-back.png 640,545
pdftoppm -png -r 80 -f 1 -l 1 -singlefile build/ml-basics-quiz.pdf docs/quiz-page
pdftoppm -png -r 80 -f 1 -l 1 -singlefile build/ml-basics-key.pdf docs/key-page
rm -rf "$work"
