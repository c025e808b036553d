#!/usr/bin/env node
// Checks the links of Markdown files: every relative file link exists and every #anchor names a heading
// (GitHub's slugs). Usage: node tools/check-doc-links.js README.md docs/*.md
const { readFileSync, existsSync } = require('node:fs');
const { dirname, resolve } = require('node:path');

/** GitHub's anchors of a Markdown file's headings (code fences skipped, repeats numbered). */
function anchors(file) {
  const seen = new Map();
  const result = new Set();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

let problems = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, anchor] = target.split('#');
    const linked = path ? resolve(dirname(file), path) : resolve(file);
    if (!existsSync(linked)) { console.log(`${file}: ${target}: no such file`); problems++; continue; }
    if (anchor !== undefined && linked.endsWith('.md') && !anchors(linked).has(anchor)) {
      console.log(`${file}: ${target}: no heading with that anchor`); problems++;
    }
  }
}
console.log(problems ? `${problems} broken links` : 'all links resolve');
process.exit(problems ? 1 : 0);
