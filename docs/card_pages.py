"""Import the example deck into a fresh Anki collection and write two of its cards, as Anki
renders them, into HTML pages typeset with MathJax 3 (Anki's desktop math engine).

    python docs/card_pages.py build/ml-basics.apkg OUT_DIR MATHJAX_DIR
"""

import sys
import tempfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

apkg, out, mj = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
tmp = Path(tempfile.mkdtemp())
col = Collection(str(tmp / "c.anki2"))
col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg),
                        options=ImportAnkiPackageOptions(with_scheduling=True)))
col.models._clear_cache()
done: set[str] = set()
for nid in col.find_notes(""):
    note = col.get_note(nid)
    key = note.get("Key", "")
    for kind, wanted in (("cloze", "softmax.md|cloze|concept:softmax#0"),
                         ("choice", "|choice|mutual_information#")):
        if kind not in done and wanted in key:
            card = note.cards()[0]
            r = card.render_output()
            css = card.note_type()["css"]
            for side, body in (("front", r.question_text), ("back", r.answer_text)):
                page = f"""<!doctype html><html><head><meta charset="utf-8">
<style>{css} body{{margin:0}} </style>
<script>window.MathJax={{tex:{{inlineMath:[['\\\\(','\\\\)']],displayMath:[['\\\\[','\\\\]']]}},svg:{{fontCache:'global'}}}};</script>
<script src="file://{mj}/es5/tex-svg-full.js"></script></head>
<body class="card"><div class="card">{body}</div></body></html>"""
                (out / f"{kind}-{side}.html").write_text(page, encoding="utf-8")
            done.add(kind)
print(sorted(done))
col.close()
