#!/usr/bin/env node
// Typesets formulas with MathJax 3 configured the way Anki configures it for cards, and
// reports the ones MathJax cannot render.
//
//   node check.js          stdin: [{"tex": "...", "display": true}, ...]
//                          stdout: [{"ok": true} | {"ok": false, "id": "Misplaced",
//                                    "message": "Misplaced &"}, ...]   (same order)
//   node check.js --mathml stdin: as above; stdout: the same answers, each success with the
//                          "mathml" MathJax made (which attributes a formula puts on the page)
//   node check.js --find   stdin: ["<html of a card side>", ...]
//                          stdout: [[{"tex": "...", "display": false}, ...], ...]
//                          the formulas MathJax itself finds in each page (Anki's delimiters)
//
// MATHJAX_FULL names the folder holding node_modules/mathjax-full (install.py makes it).
//
// Anki's card view loads MathJax's tex-chtml-full bundle, whose packages are "require" plus
// AllPackages, and its ts/mathjax/index.ts adds noerrors, mathtools and html and removes
// textmacros. Of those, noerrors and noundefined only decide how a broken formula is shown
// (its source in a box, an unknown macro in red); they are left out here so that the same
// formulas raise instead. "require" needs MathJax's component loader, which a direct
// mathjax-full set-up does not have: \require{…} reports an undefined control sequence.
"use strict";

const path = require("path");

const root = path.resolve(process.env.MATHJAX_FULL || __dirname);
const load = (name) => require(path.join(root, "node_modules", "mathjax-full", "js", name));

const { mathjax } = load("mathjax.js");
const { TeX } = load("input/tex.js");
const { CHTML } = load("output/chtml.js");
const { liteAdaptor } = load("adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = load("handlers/html.js");
const { AllPackages } = load("input/tex/AllPackages.js");
const { STATE } = load("core/MathItem.js");
const { SerializedMmlVisitor } = load("core/MmlTree/SerializedMmlVisitor.js");

const LEFT_OUT = new Set([
  "textmacros", // Anki removes it
  "noerrors", // these two would show a broken formula instead of raising
  "noundefined",
]);
const PACKAGES = AllPackages.filter((p) => !LEFT_OUT.has(p));
// ts/mathjax/index.ts: only \( \) and \[ \] are math; no $, no bare environments, no \ref.
const FIND = {
  inlineMath: [["\\(", "\\)"]],
  displayMath: [["\\[", "\\]"]],
  processEscapes: false,
  processEnvironments: false,
  processRefs: false,
};
// Macro definitions would leak into later formulas of one document; such formulas get one
// of their own, so every formula is checked on its own, as a card shown first would be.
const DEFINES = /\\(?:(?:re)?newcommand|providecommand|(?:re)?newenvironment|def|let|Declare[A-Za-z]+)(?![A-Za-z])/;

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);

function newDocument(html = "") {
  const tex = new TeX({
    ...FIND,
    packages: PACKAGES,
    formatError: (_jax, err) => {
      throw err;
    },
  });
  return { tex, doc: mathjax.document(html, { InputJax: tex, OutputJax: new CHTML() }) };
}

let shared = null;

function check(item, withMathml = false) {
  const tex = String(item.tex);
  const own = DEFINES.test(tex);
  const page = own ? newDocument() : (shared = shared || newDocument());
  try {
    page.tex.reset(); // equation numbers and \label names start afresh for each formula
    // TeX errors are raised while compiling to MathML (formatError runs there). Laying the
    // result out in CHTML as well doubles the time and changed no verdict on the corpus.
    const node = page.doc.convert(tex, { display: Boolean(item.display), end: STATE.COMPILED });
    return withMathml ? { ok: true, mathml: new SerializedMmlVisitor().visitTree(node) }
      : { ok: true };
  } catch (err) {
    const message = String((err && err.message) || err).replace(/\n[\s\S]*/, "");
    return { ok: false, id: (err && err.id) || (err && err.name) || "Error", message };
  }
}

let finder = null;

function find(html) {
  // Finding math needs only the TeX input's delimiter settings: one input jax serves all pages.
  finder = finder || new TeX({ ...FIND, packages: ["base"] });
  const doc = mathjax.document(String(html), { InputJax: finder });
  doc.findMath();
  return Array.from(doc.math).map((m) => ({ tex: m.math, display: m.display }));
}

function main() {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => {
    const items = JSON.parse(Buffer.concat(chunks).toString("utf8") || "[]");
    const out = process.argv.includes("--find") ? items.map(find)
      : items.map((item) => check(item, process.argv.includes("--mathml")));
    process.stdout.write(JSON.stringify(out));
  });
}

main();
