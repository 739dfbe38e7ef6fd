#!/usr/bin/env node
// Prints the control sequences and environments of the TeX packages check.js loads, as JSON:
// the list quizgen/data/mathjax_tex.json holds for the Python check (quizgen/texcheck.py).
"use strict";

const path = require("path");

const root = path.resolve(process.env.MATHJAX_FULL || __dirname);
const load = (name) => require(path.join(root, "node_modules", "mathjax-full", "js", name));

const { AllPackages } = load("input/tex/AllPackages.js");
const { ConfigurationHandler } = load("input/tex/Configuration.js");
const { MapHandler } = load("input/tex/MapHandler.js");
const version = require(path.join(root, "node_modules", "mathjax-full", "package.json")).version;

// The same packages as check.js (Anki's set, textmacros removed).
const packages = AllPackages.filter((p) => p !== "textmacros");
const macros = new Set();
const environments = new Set();
for (const name of packages) {
  const conf = ConfigurationHandler.get(name);
  if (!conf) continue;
  for (const [kind, maps] of Object.entries(conf.handler)) {
    for (const id of maps) {
      const map = MapHandler.getMap(id);
      if (!map || !map.map) continue;
      for (const key of map.map.keys()) {
        if (kind === "environment") environments.add(key);
        else if (kind === "macro") macros.add(key);
        else if (kind === "delimiter" && key.startsWith("\\")) macros.add(key.slice(1));
      }
    }
  }
}
process.stdout.write(JSON.stringify({
  mathjax: version, packages, macros: [...macros].sort(), environments: [...environments].sort(),
}));
