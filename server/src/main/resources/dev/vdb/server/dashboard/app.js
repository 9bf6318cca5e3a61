// The vdb dashboard: plain JavaScript over the HTTP API, no build step. The API key the user
// enters is kept in sessionStorage (gone when the tab closes) and sent as the api-key header.
'use strict';

const $ = (selector) => document.querySelector(selector);
const TERM_COLOURS = ['#e76f51', '#f4a261', '#e9c46a', '#8ab17d', '#a98bd1', '#d66ba0'];
let current = null;       // the selected collection's name
let nextOffset = null;    // the browse table's next page
let scrollSeq = 0;        // only the latest scroll and search draw their answers
let searchSeq = 0;

function say(text, error) {
  const s = $('#status');
  s.textContent = text;
  s.className = error ? 'error' : '';
}

async function api(method, path, body) {
  const headers = {};
  const key = sessionStorage.getItem('vdb-api-key');
  if (key) headers['api-key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${json.status && json.status.error}`);
  return json.result;
}

function cell(row, content) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content); else td.textContent = content;
  row.append(td);
  return td;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function loadCollections() {
  const { collections } = await api('GET', '/collections');
  // the rows go into the table together, once every collection's info is in: a reader of the
  // table (a person, or the browser test) never sees part of the list
  const rows = [];
  for (const { name } of collections) {
    const info = await api('GET', `/collections/${encodeURIComponent(name)}`);
    const row = document.createElement('tr');
    row.dataset.name = name;
    cell(row, name);
    cell(row, info.points_count);
    cell(row, info.indexed_vectors_count);
    cell(row, info.config.vectors.size);
    cell(row, info.config.vectors.distance);
    cell(row, info.config.hnsw_config.m);
    cell(row, info.config.hnsw_config.ef_construct);
    cell(row, Object.entries(info.payload_schema).map(([f, s]) => `${f} (${s.data_type}, ${s.points})`).join(', '));
    row.addEventListener('click', () => select(name));
    rows.push(row);
  }
  $('#collections tbody').replaceChildren(...rows);
  say(`${collections.length} collection(s)`);
  if (collections.length && !current) select(collections[0].name);
}

function select(name) {
  current = name;
  for (const row of document.querySelectorAll('#collections tbody tr')) {
    row.classList.toggle('selected', row.dataset.name === name);
  }
  for (const s of document.querySelectorAll('.current')) s.textContent = name;
  for (const id of ['#browse-section', '#search-section', '#recall-section']) $(id).hidden = false;
  scroll(null).catch((e) => say(e.message, true));
}

function parseJson(text, what) {
  try { return JSON.parse(text); } catch (e) { throw new Error(`${what} is not valid JSON: ${e.message}`); }
}

async function scroll(offset) {
  const seq = ++scrollSeq;
  const request = { limit: Number($('#browse-limit').value), with_payload: true };
  if ($('#browse-filter').value.trim()) request.filter = parseJson($('#browse-filter').value, 'the filter');
  if (offset !== null) request.offset = offset;
  const page = await api('POST', `/collections/${encodeURIComponent(current)}/points/scroll`, request);
  if (seq !== scrollSeq) return;
  nextOffset = page.next_page_offset;
  $('#browse-next').disabled = nextOffset === null;
  const keys = [...new Set(page.points.flatMap((p) => Object.keys(p.payload || {})))].sort();
  const head = document.createElement('tr');
  for (const k of ['id', ...keys, 'text']) cell(head, k);
  $('#points thead').replaceChildren(head);
  const body = $('#points tbody');
  body.replaceChildren();
  for (const p of page.points) {
    const row = document.createElement('tr');
    cell(row, p.id);
    for (const k of keys) cell(row, p.payload && k in p.payload ? JSON.stringify(p.payload[k]) : '');
    cell(row, p.text || '');
    body.append(row);
  }
  say(`${page.points.length} point(s) of ${current}`);
}

async function pointVector(id) {
  const point = await api('GET', `/collections/${encodeURIComponent(current)}/points/${encodeURIComponent(id)}`);
  return point.vector;
}

async function search() {
  const seq = ++searchSeq;
  const mode = $('#search-mode').value;
  const request = { limit: Number($('#search-limit').value), explain: $('#search-explain').checked };
  if (mode === 'id' || mode === 'hybrid') request.vector = await pointVector($('#search-id').value.trim());
  if (mode === 'vector') request.vector = parseJson($('#search-vector').value, 'the vector');
  if (mode === 'text' || mode === 'hybrid') request.text = $('#search-text').value;
  if (mode === 'hybrid') request.fusion = { method: $('#search-fusion').value };
  const hits = await api('POST', `/collections/${encodeURIComponent(current)}/points/search`, request);
  if (seq !== searchSeq) return;
  const body = $('#hits tbody');
  body.replaceChildren();
  const maxScore = Math.max(...hits.map((h) => Math.abs(h.score)), 1e-9);
  const maxText = Math.max(...hits.map((h) => (h.explanation && h.explanation.text_score) || 0), 1e-9);
  const maxVector = Math.max(...hits.map((h) => Math.abs((h.explanation && h.explanation.vector_score) || 0)), 1e-9);
  hits.forEach((h, i) => {
    const row = document.createElement('tr');
    row.className = 'hit';
    row.dataset.id = h.id;
    cell(row, i + 1);
    cell(row, h.id);
    cell(row, h.score.toFixed(4));
    cell(row, h.explanation ? explanation(h.explanation, maxVector, maxText, maxScore) : '');
    cell(row, JSON.stringify(h.payload || {})).className = 'payload';
    body.append(row);
  });
  say(`${hits.length} hit(s)`);
}

/** The explain view: vector rank and score, each BM25 term's share, the fused score, as bars. */
function explanation(e, maxVector, maxText, maxScore) {
  const bars = el('div', 'bars');
  const bar = (label, width, className, title) => {
    bars.append(el('span', null, label));
    const b = el('div', `bar ${className}`);
    b.style.width = `${Math.max(1, 100 * width)}%`;
    b.title = title;
    bars.append(b);
  };
  if (e.vector_rank) bar(`vector #${e.vector_rank}`, Math.abs(e.vector_score) / maxVector, 'vector', `${e.vector_score}`);
  if (e.text_rank) {
    bars.append(el('span', null, `BM25 #${e.text_rank}`));
    const stack = el('div', 'stack');
    stack.style.width = `${Math.max(1, 100 * e.text_score / maxText)}%`;
    e.terms.forEach((t, i) => {
      const term = el('div', 'term');
      term.style.width = `${100 * t.score / e.text_score}%`;
      term.style.background = TERM_COLOURS[i % TERM_COLOURS.length];
      term.title = `${t.term}: ${t.score.toFixed(3)} (tf ${t.freq}, df ${t.doc_freq})`;
      term.textContent = t.term;
      stack.append(term);
    });
    bars.append(stack);
  }
  bar('fused', Math.abs(e.fused_score) / maxScore, 'fused', `${e.fused_score}`);
  return bars;
}

/** Recall@k of the index at several ef against exact search, with stored points as queries. */
async function recall() {
  const n = Number($('#recall-queries').value);
  const k = Number($('#recall-k').value);
  const path = `/collections/${encodeURIComponent(current)}/points`;
  const page = await api('POST', `${path}/scroll`, { limit: n, with_vector: true, with_payload: false });
  const vectors = page.points.map((p) => p.vector);
  const exact = await api('POST', `${path}/search/batch`, {
    searches: vectors.map((vector) => ({ vector, limit: k, with_payload: false, params: { exact: true } })) });
  const efs = [k, 2 * k, 4 * k, 8 * k, 16 * k].filter((ef) => ef <= 10000);
  const points = [];
  for (const ef of efs) {
    const found = await api('POST', `${path}/search/batch`, {
      searches: vectors.map((vector) => ({ vector, limit: k, with_payload: false, params: { hnsw_ef: ef } })) });
    let hit = 0;
    let total = 0;
    found.forEach((hits, q) => {
      const truth = new Set(exact[q].map((h) => String(h.id)));
      hit += hits.filter((h) => truth.has(String(h.id))).length;
      total += truth.size;
    });
    points.push({ ef, recall: total ? hit / total : 1 });
  }
  const body = $('#recall tbody');
  body.replaceChildren();
  for (const p of points) {
    const row = document.createElement('tr');
    cell(row, p.ef);
    cell(row, p.recall.toFixed(4));
    body.append(row);
  }
  plot(points);
  say(`recall of ${vectors.length} queries at ${efs.length} ef values`);
}

function plot(points) {
  const svg = $('#recall-plot');
  const W = 520, H = 260, L = 50, B = 30, T = 10, R = 15;
  const ns = 'http://www.w3.org/2000/svg';
  const maxEf = Math.log2(points[points.length - 1].ef), minEf = Math.log2(points[0].ef);
  const x = (ef) => L + (W - L - R) * (maxEf === minEf ? 0.5 : (Math.log2(ef) - minEf) / (maxEf - minEf));
  const minRecall = Math.min(0.5, ...points.map((p) => p.recall));
  const y = (r) => T + (H - T - B) * (1 - (r - minRecall) / (1 - minRecall || 1));
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [a, v] of Object.entries(attrs)) e.setAttribute(a, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  svg.replaceChildren();
  add('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#888' });
  add('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#888' });
  add('text', { x: W / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 12 }, 'hnsw_ef (log scale)');
  add('text', { x: 12, y: H / 2, 'font-size': 12, transform: `rotate(-90 12 ${H / 2})`, 'text-anchor': 'middle' }, 'recall@k');
  for (const r of [minRecall, (1 + minRecall) / 2, 1]) {
    add('text', { x: L - 6, y: y(r) + 4, 'text-anchor': 'end', 'font-size': 11 }, r.toFixed(2));
  }
  add('polyline', { points: points.map((p) => `${x(p.ef)},${y(p.recall)}`).join(' '), fill: 'none', stroke: '#1d3557',
    'stroke-width': 2 });
  for (const p of points) {
    add('circle', { cx: x(p.ef), cy: y(p.recall), r: 4, fill: '#e76f51', class: 'recall-point' });
    add('text', { x: x(p.ef), y: H - B + 14, 'text-anchor': 'middle', 'font-size': 11 }, p.ef);
  }
}

function guard(f) {
  return (event) => {
    event.preventDefault();
    f().catch((e) => say(e.message, true));
  };
}

$('#api-key').value = sessionStorage.getItem('vdb-api-key') || '';
$('#key-form').addEventListener('submit', guard(async () => {
  sessionStorage.setItem('vdb-api-key', $('#api-key').value);
  await loadCollections();
}));
$('#browse-form').addEventListener('submit', guard(() => scroll(null)));
$('#browse-next').addEventListener('click', guard(() => scroll(nextOffset)));
$('#search-form').addEventListener('submit', guard(search));
$('#recall-form').addEventListener('submit', guard(recall));
loadCollections().catch((e) => say(e.message, true));
