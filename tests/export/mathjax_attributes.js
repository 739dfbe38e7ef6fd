#!/usr/bin/env node
// The MathML that MathJax 3 (configured as in ../mathjax/check.js, Anki's packages) makes of
// each formula, to see which attributes a formula puts on the page.
//
//   node mathjax_attributes.js    stdin: ["tex", ...]
//                                 stdout: ["<math …>…</math>" | "error: message", ...]
//
// MATHJAX_FULL names the folder holding node_modules/mathjax-full.
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

const LEFT_OUT = new Set(["textmacros", "noerrors", "noundefined"]);
RegisterHTMLHandler(liteAdaptor());
const visitor = new SerializedMmlVisitor();

function mathml(tex) {
  // A document per formula: \def and \let must not leak from one formula into the next.
  const input = new TeX({
    packages: AllPackages.filter((p) => !LEFT_OUT.has(p)),
    formatError: (_jax, err) => {
      throw err;
    },
  });
  const doc = mathjax.document("", { InputJax: input, OutputJax: new CHTML() });
  try {
    return visitor.visitTree(doc.convert(tex, { display: true, end: STATE.COMPILED }));
  } catch (err) {
    return "error: " + String((err && err.message) || err).replace(/\n[\s\S]*/, "");
  }
}

let raw = "";
process.stdin.on("data", (chunk) => (raw += chunk));
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(JSON.parse(raw).map((tex) => mathml(String(tex)))));
});
