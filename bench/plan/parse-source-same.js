#!/usr/bin/env node
// Whether two builds' `parseSource` return the same for the same texts: the same problems (code, message, place,
// hint), the same value (own keys in order, descriptors, prototypes, Object.is), and the same `locate` answer for
// every path of the value, its keys, and children that are not there. Prints the first difference.
//
//   node bench/plan/parse-source-same.js BEFORE_ROOT AFTER_ROOT [--random N] [FILE_OR_DIR...]
//   node bench/plan/parse-source-same.js /work/main . --random 20000 examples /tmp/fleet-10k /tmp/scale-d10000/facts
//
// Each root is a built checkout (packages/schema/dist). Besides the files (.yaml, .yml, .json, found under each
// directory), it reads a table of hostile texts and N random YAML documents (seeded: the same on every run).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const [beforeRoot, afterRoot] = args;
if (afterRoot === undefined) {
  process.stderr.write('usage: parse-source-same.js BEFORE_ROOT AFTER_ROOT [--random N] [FILE_OR_DIR...]\n');
  process.exit(2);
}
const randomAt = args.indexOf('--random');
const randomCount = randomAt === -1 ? 2000 : Number(args[randomAt + 1]);
const inputs = args.slice(2).filter((arg, i, all) => arg !== '--random' && all[i - 1] !== '--random');
const load = (root) => require(path.resolve(root, 'packages/schema/dist/index.js')).parseSource;
const before = load(beforeRoot);
const after = load(afterRoot);

function difference(a, b, at = '') {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? undefined : `${at}: ${String(a)} against ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
    // Two builds have two copies of yaml: a Date or a Uint8Array is of the same class by name.
    if (a.constructor?.name !== b.constructor?.name) return `${at}: another prototype`;
  }
  const keys = Reflect.ownKeys(a);
  const others = Reflect.ownKeys(b);
  if (keys.length !== others.length || keys.some((key, i) => key !== others[i])) return `${at}: keys ${keys.map(String)} against ${others.map(String)}`;
  for (const key of keys) {
    const mine = Object.getOwnPropertyDescriptor(a, key);
    const theirs = Object.getOwnPropertyDescriptor(b, key);
    if (mine.writable !== theirs.writable || mine.enumerable !== theirs.enumerable || mine.configurable !== theirs.configurable) return `${at}/${String(key)}: another descriptor`;
    const found = difference(mine.value, theirs.value, `${at}/${String(key)}`);
    if (found !== undefined) return found;
  }
  if (a instanceof Date || b instanceof Date) return Object.is(a.valueOf(), b.valueOf()) ? undefined : `${at}: another date`;
  return undefined;
}

const pointer = (segments) => segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
function pointers(value) {
  const found = [[], ['nowhere'], ['0']];
  const seen = new Set();
  const visit = (node, at) => {
    if (typeof node !== 'object' || node === null || seen.has(node) || at.length > 120) return;
    seen.add(node);
    const keys = Array.isArray(node) ? [...node.keys(), node.length, -1, 'x'] : Object.keys(node);
    for (const key of keys) {
      const child = [...at, key];
      found.push(child, [...child, 'nowhere']);
      visit(node[key], child);
    }
  };
  visit(value, []);
  return found.map(pointer);
}

function compare(file, text) {
  const a = before(file, text);
  const b = after(file, text);
  if (a.ok !== b.ok) return `ok ${a.ok} against ${b.ok}`;
  if (!a.ok) return JSON.stringify(a.problems) === JSON.stringify(b.problems) ? undefined : `problems ${JSON.stringify(a.problems)} against ${JSON.stringify(b.problems)}`;
  const value = difference(a.document.value, b.document.value);
  if (value !== undefined) return `value ${value}`;
  for (const at of pointers(a.document.value)) {
    for (const key of [false, true]) {
      const x = JSON.stringify(a.document.locate(at, { key }));
      const y = JSON.stringify(b.document.locate(at, { key }));
      if (x !== y) return `locate ${at} key ${key}: ${x} against ${y}`;
    }
  }
  return undefined;
}

const deep = (levels) => `deep: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
const hostile = [
  'kind: fleet\nhosts:\n  a: {}\n  a: {}\n',
  'hosts:\n  1: {}\n  "1": {}\n  web: {}\n  true: {}\n  "true": {}\n',
  '~: 1\n"": 2\n', '~: a\n"null": b\n', '0x10: a\n16: b\n', '0: a\n-0: b\n', '.nan: a\n.nan: b\n',
  '__proto__: { a: 1 }\ntoString: x\nconstructor: [1]\n', '<<: { a: 1 }\nb: 2\n',
  deep(100), deep(101), deep(5000), `deep: ${'{a: '.repeat(1000)}${'}'.repeat(1000)}\n`,
  'a: &x 1\nb: *x\n', 'a: &x k\n*x : 1\n', 'a: *nowhere\n', 'a: &x { atLeast: *x }\n',
  `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_v, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]\n`).join('')}`,
  '%YAML 1.1\n---\nbase: &b { x: 1 }\nhost: { <<: *b, y: 2 }\n', '%YAML 1.1\n---\na: yes\n', 'a: { !!merge <<: { x: 1 } }\n',
  'a: !!set { x, y }\n', 'a: !!omap [ x: 1, y: 2 ]\n', 'a: !!pairs [ x: 1, x: 2 ]\n', '!!timestamp 2001-12-14: a\n', '!!binary aGk=: a\n',
  'a: !!binary aGk=\nb: !!timestamp 2001-12-14\n', '[a, b]: 1\n{c: d}: 2\n', 'a:\n? b\nc: [~, ""]\nd: {e, f: }\n',
  'a: [1,\n', 'a:\n\tb: 1\n', 'a: 1\n---\nb: 2\n', '\uFEFFkind: fleet\nhosts: {}\n', 'a:\r\n  b: 1\rc: [x]\r\n', '', '# only\n', 'text\n',
  `${'k'.repeat(1100)}: 1\n`, 'a: "x\ny"\n',
];
const hostileJson = ['{"a": 1, "a": 2}', '{"a": "x\\": \\"y:", "b": 1, "b": 2}', '{"__proto__": {"a": 1}}', `{"d": ${'['.repeat(101)}${']'.repeat(101)}}`, '{"a": 1,}', '', '{"a": "\\u003a", "b": 1}', '\uFEFF{"a": 1}'];

let state = 20261204;
const random = (n) => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};
const pick = (items) => items[random(items.length)];
const plainKeys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'web-1', 'dc-1', '1', '2.5', 'true', '"x y"', "'c~d'", '"a/b"', '0o17', '__proto__', 'toString', '<<', '!!str 7', '&k i'];
const otherKeys = ['"1"', '01', '1.0', '"true"', 'True', '~', 'null', '""', '0x10', '16', '-0', '0', '.nan', '*k', '[x]', '{y: 1}', '!!binary aGk=', '!!merge <<', '!!timestamp 2001-12-14'];
const plainScalars = ['1', 'x', '~', '"q"', "'s'", '-1.5e3', '.inf', 'true', 'no', '&v 1', '!!binary aGk=', '!!timestamp 2001-12-14', '!!str 2', '', '"a: b"', '6.1.0-26-amd64', '64GiB'];
const otherScalars = ['*v', '*k', '*nowhere', '[1,', '"open'];
const key = () => (random(8) === 0 ? pick(otherKeys) : pick(plainKeys));
const scalar = () => (random(30) === 0 ? pick(otherScalars) : pick(plainScalars));
const value = (depth) => {
  const kind = random(depth > 4 ? 1 : 6);
  if (kind === 0) return scalar();
  const tag = random(20) === 0 ? `${pick(['!!set', '!!omap', '!!pairs', '!!map', '!!seq', '&c', '!x'])} ` : '';
  if (kind < 4) return `${tag}{${Array.from({ length: random(4) }, () => `${key()}: ${value(depth + 1)}`).join(', ')}}`;
  return `${tag}[${Array.from({ length: random(4) }, () => (random(20) === 0 ? `${key()}: ${value(depth + 1)}` : value(depth + 1))).join(', ')}]`;
};
const block = (depth, indent) =>
  Array.from({ length: 1 + random(4) }, () => {
    const k = key();
    return depth < 3 && random(3) === 0 ? `${indent}${k}:\n${block(depth + 1, `${indent}  `)}` : `${indent}${k}: ${value(depth)}\n`;
  }).join('');
const document = () => `${random(20) === 0 ? '%YAML 1.1\n---\n' : ''}${block(0, '')}${random(10) === 0 ? `deep: ${deep(98 + random(6)).slice(6)}` : ''}`;

const files = [];
const walk = (at) => {
  if (fs.statSync(at).isDirectory()) for (const name of fs.readdirSync(at).sort()) walk(path.join(at, name));
  else if (/\.(ya?ml|json)$/.test(at)) files.push(at);
};
for (const input of inputs) walk(input);

const counts = { files: 0, hostile: 0, random: 0, refused: 0 };
const check = (kind, file, text) => {
  const found = compare(file, text);
  if (found !== undefined) {
    process.stdout.write(`DIFFER (${kind}) ${file}: ${found}\n${kind === 'files' ? '' : `${JSON.stringify(text).slice(0, 2000)}\n`}`);
    process.exit(1);
  }
  counts[kind] += 1;
  if (!before(file, text).ok) counts.refused += 1;
};
for (const file of files) check('files', file, fs.readFileSync(file, 'utf8'));
for (const text of hostile) check('hostile', 'f.yaml', text);
for (const text of hostileJson) check('hostile', 'f.json', text);
for (let i = 0; i < randomCount; i++) check('random', 'f.yaml', document());
process.stdout.write(`same: ${counts.files} files, ${counts.hostile} hostile texts, ${counts.random} random documents (${counts.refused} of all refused by both)\n`);
