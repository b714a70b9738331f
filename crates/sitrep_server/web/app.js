// sitrep's page: filters, timeline, map, actor network, event table, evidence and article view.
//
// Everything shown comes from the JSON API under /api/ and is untrusted (article text above all):
// the DOM is built with createElement and textContent only, never innerHTML, and the server's
// Content-Security-Policy forbids inline scripts. Filter state lives in the URL hash, so a view
// can be bookmarked and the back button works.

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAGE_SIZE = 25;
const QUADS = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
// CAMEO event families (root codes), from the CAMEO 1.1b3 manual.
const FAMILIES = {
  '01': 'make public statement', '02': 'appeal', '03': 'express intent to cooperate',
  '04': 'consult', '05': 'engage in diplomatic cooperation', '06': 'engage in material cooperation',
  '07': 'provide aid', '08': 'yield', '09': 'investigate', '10': 'demand', '11': 'disapprove',
  '12': 'reject', '13': 'threaten', '14': 'protest', '15': 'exhibit force posture',
  '16': 'reduce relations', '17': 'coerce', '18': 'assault', '19': 'fight',
  '20': 'use unconventional mass violence',
};
const FILTER_KEYS = ['actor', 'target', 'code', 'quad', 'from', 'to', 'place', 'q'];
const HIGHLIGHT = [
  ['ent', 'entity'], ['time', 'time'], ['place', 'place'], ['quote', 'quote'], ['trigger', 'event trigger'],
];

const $ = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------- DOM helpers (text only) ----------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.setAttribute('class', value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A tooltip for SVG elements.
function tip(text) {
  return svg('title', { text });
}

// Only http(s) links from the data become hrefs.
function safeUrl(url) {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// ---------- UTF-8 byte offsets to JavaScript string indices ----------

// index[b] is the UTF-16 index of the character that starts at byte b (and of the end at b = length).
// Bytes inside a character map to that character's start, so a bad offset never splits a surrogate pair.
export function byteIndex(text) {
  const index = [];
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) index.push(i);
    i += ch.length;
  }
  index.push(i);
  return (byte) => index[Math.max(0, Math.min(index.length - 1, byte | 0))];
}

// ---------- state in the URL hash ----------

function readState() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const state = { page: Math.max(0, parseInt(params.get('page') || '0', 10) || 0) };
  for (const key of FILTER_KEYS) state[key] = (params.get(key) || '').trim();
  state.event = params.get('event') || '';
  state.doc = params.get('doc') || '';
  state.by = params.get('by') || '';
  // Rows per page: `size` in the hash, 1 to 200.
  state.size = Math.min(200, Math.max(1, parseInt(params.get('size') || '', 10) || PAGE_SIZE));
  return state;
}

function writeState(changes) {
  const state = { ...readState(), ...changes };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    const fallback = (key === 'page' && value === 0) || (key === 'size' && value === PAGE_SIZE);
    if (value !== '' && value !== null && value !== undefined && !fallback) {
      params.set(key, String(value));
    }
  }
  const hash = params.toString();
  if (hash === location.hash.replace(/^#/, '')) render();
  else location.hash = hash;
}

function filterQuery(state, extra) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (state[key]) params.set(key, state[key]);
  for (const [key, value] of Object.entries(extra || {})) params.set(key, String(value));
  return params.toString();
}

// ---------- API ----------

class ApiError extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

async function api(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (err) {
    throw new ApiError(`cannot reach the server (${err.message})`, 'is `sitrep serve` still running?');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = body && typeof body.error === 'object' && body.error !== null ? body.error : {};
    const message = typeof detail.message === 'string' ? detail.message : `${path}: HTTP ${response.status}`;
    throw new ApiError(message, typeof detail.hint === 'string' ? detail.hint : null);
  }
  return body;
}

function showError(err) {
  const status = $('status');
  clear(status);
  status.hidden = false;
  status.append(el('strong', { text: err.message || String(err) }));
  if (err.hint) status.append(' ', el('span', { class: 'hint', text: err.hint }));
}

function clearError() {
  $('status').hidden = true;
}

// ---------- filters ----------

function setupFilters() {
  const code = $('f-code');
  for (const [root, name] of Object.entries(FAMILIES)) {
    code.append(el('option', { value: root, text: `${root} ${name}` }));
  }
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const changes = { page: 0 };
    for (const key of FILTER_KEYS) changes[key] = $(`f-${key}`).value.trim();
    writeState(changes);
  });
  $('f-clear').addEventListener('click', () => {
    const changes = { page: 0, event: '' };
    for (const key of FILTER_KEYS) changes[key] = '';
    writeState(changes);
  });
  $('prev').addEventListener('click', () => writeState({ page: Math.max(0, readState().page - 1) }));
  $('next').addEventListener('click', () => writeState({ page: readState().page + 1 }));
  $('t-by').addEventListener('change', () => writeState({ by: $('t-by').value }));
  $('home').addEventListener('click', (event) => {
    event.preventDefault();
    location.hash = '';
  });
}

function fillFilters(state) {
  for (const key of FILTER_KEYS) {
    const input = $(`f-${key}`);
    if (key === 'code' && state.code && !FAMILIES[state.code]) {
      // A code the family list does not have (e.g. "190" from a link): keep it selectable.
      if (![...input.options].some((o) => o.value === state.code)) {
        input.append(el('option', { value: state.code, text: state.code }));
      }
    }
    input.value = state[key];
  }
  $('t-by').value = state.by || 'month';
}

function quadLegend() {
  const legend = clear($('quad-legend'));
  QUADS.forEach((name, i) => {
    legend.append(el('button', {
      type: 'button',
      class: `chip q${i + 1}`,
      'data-quad': i + 1,
      title: `Show only ${name}`,
      text: `${i + 1} ${name}`,
      onclick: () => writeState({ quad: String(i + 1), page: 0 }),
    }));
  });
}

// ---------- timeline ----------

function periodEnd(period, by) {
  const [y, m, d] = period.split('-').map(Number);
  let end;
  if (by === 'year') end = new Date(Date.UTC(y, 11, 31));
  else if (by === 'month') end = new Date(Date.UTC(y, m, 0));
  else if (by === 'week') end = new Date(Date.UTC(y, m - 1, d + 6));
  else end = new Date(Date.UTC(y, m - 1, d));
  return end.toISOString().slice(0, 10);
}

// The first day of the period after `period`.
function nextPeriod(period, by) {
  const [y, m, d] = period.split('-').map(Number);
  const date = by === 'year' ? new Date(Date.UTC(y + 1, 0, 1))
    : by === 'month' ? new Date(Date.UTC(y, m, 1))
      : new Date(Date.UTC(y, m - 1, d + (by === 'week' ? 7 : 1)));
  return date.toISOString().slice(0, 10);
}

// Adds the empty periods between the first and the last bucket, so the axis is proportional to
// time; a range of more than `max` periods stays as it came (only periods with events).
function fillPeriods(buckets, by, max = 400) {
  if (buckets.length < 2) return buckets;
  const byPeriod = new Map(buckets.map((b) => [b.period, b]));
  const last = buckets[buckets.length - 1].period;
  const out = [];
  for (let p = buckets[0].period; p <= last; p = nextPeriod(p, by)) {
    if (out.length > max) return buckets;
    out.push(byPeriod.get(p) || { period: p, quad: [0, 0, 0, 0], total: 0 });
  }
  return out.length >= buckets.length ? out : buckets;
}

function drawTimeline(buckets, by) {
  buckets = fillPeriods(buckets, by);
  const chart = clear($('timeline'));
  const width = chart.clientWidth || 600;
  const height = 180;
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  chart.dataset.buckets = String(buckets.length);
  if (!buckets.length) {
    chart.append(svg('text', { x: width / 2, y: height / 2, class: 'empty', 'text-anchor': 'middle', text: 'No dated events match.' }));
    return;
  }
  const left = 36, right = 8, top = 8, bottom = 24;
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const step = (width - left - right) / buckets.length;
  const barWidth = Math.max(1, Math.min(40, step * 0.8));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  // Axis: 0 and max.
  chart.append(svg('line', { x1: left, x2: width - right, y1: y(0), y2: y(0), class: 'axis' }));
  chart.append(svg('text', { x: left - 4, y: y(max) + 4, 'text-anchor': 'end', class: 'tick', text: max }));
  chart.append(svg('text', { x: left - 4, y: y(0), 'text-anchor': 'end', class: 'tick', text: 0 }));
  const labelEvery = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor((width - left) / 70))));
  buckets.forEach((bucket, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    const group = svg('g', { class: 'bar', 'data-period': bucket.period });
    let base = 0;
    bucket.quad.forEach((count, q) => {
      if (!count) return;
      const rect = svg('rect', {
        x, width: barWidth, y: y(base + count), height: Math.max(0.5, y(base) - y(base + count)),
        class: `q${q + 1}`, 'data-quad': q + 1, tabindex: 0,
      }, tip(`${bucket.period}: ${count} ${QUADS[q]} (of ${bucket.total}); click to filter`));
      const pick = () => writeState({
        from: bucket.period, to: periodEnd(bucket.period, by), quad: String(q + 1), page: 0,
      });
      rect.addEventListener('click', pick);
      rect.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(); });
      group.append(rect);
      base += count;
    });
    chart.append(group);
    if (i % labelEvery === 0) {
      const label = by === 'year' ? bucket.period.slice(0, 4) : by === 'month' ? bucket.period.slice(0, 7) : bucket.period;
      chart.append(svg('text', { x: x + barWidth / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick', text: label }));
    }
  });
}

// ---------- map ----------

let worldPromise = null;

function loadWorld() {
  if (!worldPromise) {
    worldPromise = fetch('/assets/vendor/countries-110m.json').then((r) => {
      if (!r.ok) throw new ApiError('cannot load the world outlines', 'the server should embed web/vendor/countries-110m.json');
      return r.json();
    });
  }
  return worldPromise;
}

async function drawMap(places) {
  const map = clear($('map'));
  const width = map.clientWidth || 600;
  const height = Math.round(width * 0.52);
  map.setAttribute('viewBox', `0 0 ${width} ${height}`);
  map.dataset.points = String(places.length);
  const d3 = window.d3;
  const topojson = window.topojson;
  if (!d3 || !d3.geoPath || !topojson) {
    map.append(svg('text', { x: 10, y: 20, text: 'Map libraries did not load.' }));
    return;
  }
  const world = await loadWorld();
  const countries = topojson.feature(world, world.objects.countries);
  const projection = d3.geoNaturalEarth1().fitExtent([[4, 4], [width - 4, height - 4]], { type: 'Sphere' });
  const path = d3.geoPath(projection);
  map.append(svg('path', { d: path({ type: 'Sphere' }), class: 'sphere' }));
  map.append(svg('path', { d: path(d3.geoGraticule10()), class: 'graticule' }));
  const land = svg('g', { class: 'countries' });
  for (const feature of countries.features) {
    land.append(svg('path', { d: path(feature) || '', class: 'country' }, tip(feature.properties && feature.properties.name || '')));
  }
  map.append(land);
  const max = Math.max(1, ...places.map((p) => p.mentions));
  const dots = svg('g', { class: 'points' });
  // Largest first, so small points stay clickable on top.
  for (const place of [...places].sort((a, b) => b.mentions - a.mentions)) {
    const xy = projection([place.lon, place.lat]);
    if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) continue;
    const r = 3 + 9 * Math.sqrt(place.mentions / max);
    const dot = svg('circle', {
      cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: r.toFixed(1), class: 'point', tabindex: 0,
      'data-place': place.name,
    }, tip(`${place.name}${place.country ? ` (${place.country})` : ''}: ${plural(place.events, 'event')}, ${plural(place.mentions, 'mention')}; click to filter`));
    const pick = () => writeState({ place: place.name, page: 0 });
    dot.addEventListener('click', pick);
    dot.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(); });
    dots.append(dot);
  }
  map.append(dots);
}

// ---------- network ----------

function mainQuad(quad) {
  let best = 0;
  quad.forEach((count, i) => { if (count > quad[best]) best = i; });
  return best + 1;
}

function drawNetwork(edges) {
  const chart = clear($('network'));
  const width = chart.clientWidth || 500;
  const height = 360;
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  chart.dataset.edges = String(edges.length);
  if (!edges.length) {
    chart.append(svg('text', { x: width / 2, y: height / 2, class: 'empty', 'text-anchor': 'middle', text: 'No events with both a source and a target match.' }));
    return;
  }
  // Nodes on a circle, the busiest first; weight = events as source or target.
  const weight = new Map();
  for (const edge of edges) {
    weight.set(edge.source, (weight.get(edge.source) || 0) + edge.total);
    weight.set(edge.target, (weight.get(edge.target) || 0) + edge.total);
  }
  const nodes = [...weight.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // An ellipse filling the panel, with room for the labels outside it.
  const cx = width / 2, cy = height / 2;
  const rx = Math.max(60, width / 2 - 70), ry = Math.max(60, height / 2 - 24);
  const pos = new Map();
  nodes.forEach(([name], i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
    pos.set(name, [cx + rx * Math.cos(angle), cy + ry * Math.sin(angle), angle]);
  });
  const defs = svg('defs');
  for (let q = 1; q <= 4; q++) {
    defs.append(svg('marker', {
      id: `arrow-q${q}`, viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 14, markerHeight: 14, markerUnits: 'userSpaceOnUse', orient: 'auto',
    }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `q${q}` })));
  }
  chart.append(defs);
  const maxEdge = Math.max(1, ...edges.map((e) => e.total));
  const maxNode = Math.max(1, ...nodes.map((n) => n[1]));
  const nodeRadius = (name) => 4 + 10 * Math.sqrt(weight.get(name) / maxNode);
  const lines = svg('g', { class: 'edges' });
  for (const edge of edges) {
    const [x1, y1] = pos.get(edge.source);
    const [x2, y2] = pos.get(edge.target);
    const q = mainQuad(edge.quad);
    const counts = edge.quad.map((c, i) => `${c} ${QUADS[i]}`).join(', ');
    let d;
    if (edge.source === edge.target) {
      d = `M${x1},${y1} c-30,-40 30,-40 0,0`;
    } else {
      // Bend each edge to its left, so A→B and B→A do not overlap; stop at the target's rim.
      const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
      const r = nodeRadius(edge.target) + 2;
      const ex = x2 - (dx / len) * r, ey = y2 - (dy / len) * r;
      const mx = (x1 + ex) / 2 - (dy / len) * len * 0.12, my = (y1 + ey) / 2 + (dx / len) * len * 0.12;
      d = `M${x1.toFixed(1)},${y1.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
    }
    const line = svg('path', {
      d, class: `edge q${q}`, 'stroke-width': (1 + 4 * Math.sqrt(edge.total / maxEdge)).toFixed(1),
      'marker-end': `url(#arrow-q${q})`, 'data-source': edge.source, 'data-target': edge.target,
    }, tip(`${edge.source} → ${edge.target}: ${plural(edge.total, 'event')} (${counts}); click to filter`));
    line.addEventListener('click', () => writeState({ actor: edge.source, target: edge.target, page: 0 }));
    lines.append(line);
  }
  chart.append(lines);
  const group = svg('g', { class: 'nodes' });
  for (const [name] of nodes) {
    const [x, y, angle] = pos.get(name);
    const node = svg('g', { class: 'node', tabindex: 0, 'data-actor': name });
    node.append(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: nodeRadius(name).toFixed(1) }, tip(`${name}: ${plural(weight.get(name), 'event')}; click to filter by this source actor`)));
    const gap = nodeRadius(name) + 4;
    const lx = x + gap * Math.cos(angle), ly = y + gap * Math.sin(angle);
    const anchor = Math.cos(angle) > 0.3 ? 'start' : Math.cos(angle) < -0.3 ? 'end' : 'middle';
    node.append(svg('text', { x: lx.toFixed(1), y: (ly + 4).toFixed(1), 'text-anchor': anchor, text: name }));
    const pick = () => writeState({ actor: name, target: '', page: 0 });
    node.addEventListener('click', pick);
    node.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(); });
    group.append(node);
  }
  chart.append(group);
}

// ---------- event table ----------

function actorCell(code, text) {
  if (!code && !text) return el('td', { class: 'none', text: '—' });
  return el('td', {}, code ? el('code', { text: code }) : null, text ? el('span', { class: 'name', text: ` ${text}` }) : null);
}

function eventLabel(event) {
  return `${event.code} ${FAMILIES[event.root] || ''}`.trim();
}

function drawTable(page, state) {
  const body = clear($('events-body'));
  $('events-count').textContent = `${page.total} match${page.total === 1 ? '' : 'es'}`;
  if (!page.events.length) {
    body.append(el('tr', {}, el('td', { colspan: 7, class: 'empty', text: 'No events match these filters.' })));
  }
  for (const event of page.events) {
    const row = el('tr', {
      class: `row q${event.quad}`, tabindex: 0, 'data-testid': 'event-row', 'data-id': event.id,
      'aria-selected': String(String(event.id) === state.event),
      title: 'Show the evidence',
    },
    el('td', { class: 'date', text: event.date || '—' }),
    actorCell(event.source, event.source_text),
    el('td', {}, el('span', { class: `chip q${event.quad}`, title: QUADS[event.quad - 1] || '', text: event.quad }), ` ${eventLabel(event)}`),
    actorCell(event.target, event.target_text),
    el('td', { text: event.place ? `${event.place.name}${event.place.country ? ` (${event.place.country})` : ''}` : '—' }),
    el('td', { class: 'num', text: `${event.mentions}/${event.documents}` }),
    el('td', { class: 'excerpt' }, sentenceWithTrigger(event.evidence, 140)));
    const open = () => writeState({ event: String(event.id) });
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    body.append(row);
  }
  const first = page.total ? page.offset + 1 : 0;
  const last = page.offset + page.events.length;
  $('page-info').textContent = `${first}–${last} of ${page.total}`;
  $('prev').disabled = page.offset === 0;
  $('next').disabled = last >= page.total;
}

// The evidence sentence with its trigger in <mark class="trigger">; `max` shortens around it.
function sentenceWithTrigger(evidence, max) {
  const span = el('span', { class: 'sentence' });
  if (!evidence || typeof evidence.text !== 'string') return span;
  const text = evidence.text;
  const at = byteIndex(text);
  const [bs, be] = Array.isArray(evidence.trigger) ? evidence.trigger : [0, 0];
  let s = at(bs), e = at(be);
  if (e < s) e = s;
  let lo = 0, hi = text.length;
  if (max && text.length > max) {
    lo = Math.max(0, Math.min(s - Math.floor(max / 2), text.length - max));
    hi = Math.min(text.length, lo + max);
    s = Math.max(s, lo);
    e = Math.min(e, hi);
  }
  span.append((lo > 0 ? '…' : '') + text.slice(lo, s));
  if (e > s) span.append(el('mark', { class: 'trigger', 'data-testid': 'trigger', text: text.slice(s, e) }));
  span.append(text.slice(e, hi) + (hi < text.length ? '…' : ''));
  return span;
}

// ---------- evidence ----------

async function showEvidence(id) {
  const panel = clear($('evidence'));
  panel.dataset.event = id;
  panel.append(el('p', { class: 'hint', text: 'Loading…' }));
  const data = await api(`/api/events/${encodeURIComponent(id)}`);
  if (readState().event !== id) return;
  clear(panel);
  const event = data.event;
  panel.append(el('h3', {},
    el('span', { class: `chip q${event.quad}`, text: event.quad }), ' ',
    `${event.source_text || event.source || '?'} → ${eventLabel(event)} → ${event.target_text || event.target || '?'}`));
  const facts = el('dl', { class: 'facts' });
  const fact = (name, value) => { if (value !== null && value !== undefined && value !== '') facts.append(el('dt', { text: name }), el('dd', { text: value })); };
  fact('CAMEO', `${event.code} (${FAMILIES[event.root] || event.root})`);
  fact('Quad class', `${event.quad} ${QUADS[event.quad - 1] || ''}`);
  fact('PLOVER', event.plover);
  fact('Goldstein', event.goldstein);
  fact('Source', [event.source, event.source_text].filter(Boolean).join(' · '));
  fact('Target', [event.target, event.target_text].filter(Boolean).join(' · '));
  fact('Date', event.date ? `${event.date} (${event.date_precision || '?'}, from ${event.date_from})` : null);
  fact('Place', event.place ? `${event.place.name}${event.place.country ? `, ${event.place.country}` : ''} (${event.place.lat.toFixed(3)}, ${event.place.lon.toFixed(3)})` : null);
  fact('Confidence', typeof event.confidence === 'number' ? event.confidence.toFixed(2) : null);
  fact('Found in', `${plural(event.mentions, 'sentence')} of ${plural(event.documents, 'document')}`);
  panel.append(facts);
  const mentions = Array.isArray(data.mentions) && data.mentions.length ? data.mentions : [event];
  const list = el('ol', { class: 'mentions', 'data-testid': 'mentions' });
  for (const mention of mentions) {
    const ev = mention.evidence;
    const source = el('div', { class: 'source' });
    const href = safeUrl(ev.url);
    const title = ev.title || ev.url || ev.doc;
    source.append(href ? el('a', { href, rel: 'noopener noreferrer', target: '_blank', text: title }) : el('span', { text: title }));
    if (ev.published) source.append(el('span', { class: 'published', text: ` · ${ev.published}` }));
    source.append(' ', el('button', {
      type: 'button', class: 'link', 'data-testid': 'open-article', text: 'open article',
      onclick: () => writeState({ doc: ev.doc }),
    }));
    list.append(el('li', {}, el('blockquote', {}, sentenceWithTrigger(ev, 0)), source));
  }
  panel.append(list);
}

// ---------- documents ----------

function drawDocuments(data) {
  const list = clear($('docs'));
  $('docs-count').textContent = `${data.total} stored`;
  if (!data.documents.length) {
    list.append(el('li', { class: 'hint', text: 'No articles stored yet: add some with `sitrep ingest`.' }));
  }
  for (const doc of data.documents) {
    const item = el('li', {}, el('button', {
      type: 'button', class: 'link', 'data-testid': 'document-link', 'data-doc': doc.id,
      text: doc.title || doc.url || doc.id,
      onclick: () => writeState({ doc: doc.id }),
    }));
    const meta = [doc.published, doc.source, plural(doc.events, 'event')].filter(Boolean).join(' · ');
    item.append(el('span', { class: 'meta', text: ` ${meta}` }));
    list.append(item);
  }
}

// ---------- article view (displaCy-style) ----------

function articleLegend() {
  const legend = clear($('article-legend'));
  for (const [cls, name] of HIGHLIGHT) legend.append(el('span', { class: `key hl-${cls}`, text: name }));
}

// Annotations as [start, end) JS indices with a kind, a label and a tooltip.
function annotations(doc, at) {
  const out = [];
  const add = (kind, item, label, tooltip) => {
    if (!item || typeof item.start !== 'number' || typeof item.end !== 'number') return;
    const s = at(item.start), e = at(item.end);
    if (e > s && !out.some((n) => n.kind === kind && n.s === s && n.e === e && n.label === label)) {
      out.push({ kind, s, e, label, tooltip });
    }
  };
  for (const ent of doc.entities || []) {
    add('ent', ent, ent.label, [ent.label, ent.canonical, ent.actor].filter(Boolean).join(' · '));
  }
  for (const time of doc.times || []) {
    add('time', time, time.type, [time.type, time.value, time.mod].filter(Boolean).join(' · '));
  }
  for (const place of doc.places || []) {
    add('place', place, 'PLACE', `${place.name}${place.country ? `, ${place.country}` : ''} (${Number(place.lat).toFixed(3)}, ${Number(place.lon).toFixed(3)}) ${place.feature || ''}`);
  }
  for (const quote of doc.quotes || []) {
    add('quote', quote, 'QUOTE', `quote${quote.speaker ? ` by ${quote.speaker}` : ''}${quote.speaker_actor ? ` (${quote.speaker_actor})` : ''}`);
  }
  for (const event of doc.events || []) {
    const who = (side) => (side ? side.actor || side.text : '?');
    add('trigger', event.trigger, `${event.code}`,
      `${who(event.source)} → ${event.code} ${FAMILIES[event.root] || ''} → ${who(event.target)} · quad ${event.quad}${event.negated ? ' · negated' : ''}${event.hypothetical ? ' · hypothetical' : ''}`);
  }
  return out;
}

// Renders the text cut at every annotation boundary; each piece is wrapped in one element per
// annotation covering it (quote outermost, trigger innermost), and each annotation's label follows
// its last piece, as displaCy does.
function renderArticle(doc) {
  const article = clear($('article'));
  article.dataset.doc = doc.id;
  const head = el('header', {});
  const href = safeUrl(doc.url);
  head.append(el('h3', { 'data-testid': 'article-title', text: doc.title || '(untitled)' }));
  const meta = [doc.published, doc.source, doc.language].filter(Boolean).join(' · ');
  head.append(el('p', { class: 'meta' }, meta, href ? ' · ' : '', href ? el('a', { href, rel: 'noopener noreferrer', target: '_blank', text: doc.url }) : null));
  article.append(head);
  const text = typeof doc.text === 'string' ? doc.text : '';
  const at = byteIndex(text);
  const notes = annotations(doc, at);
  const order = { quote: 0, ent: 1, place: 2, time: 3, trigger: 4 };
  const cuts = new Set([0, text.length]);
  for (const n of notes) { cuts.add(n.s); cuts.add(n.e); }
  const points = [...cuts].sort((a, b) => a - b);
  const body = el('div', { class: 'text', 'data-testid': 'article-text' });
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i], e = points[i + 1];
    const covering = notes.filter((n) => n.s <= s && n.e >= e).sort((a, b) => order[a.kind] - order[b.kind] || a.s - b.s);
    let node = document.createTextNode(text.slice(s, e));
    for (const n of [...covering].reverse()) {
      const tag = n.kind === 'trigger' ? 'mark' : 'span';
      const wrap = el(tag, { class: `hl hl-${n.kind}${n.kind === 'trigger' ? ' trigger' : ''}`, title: n.tooltip, 'data-kind': n.kind });
      wrap.append(node);
      if (n.e === e) wrap.append(el('span', { class: 'label', text: n.label }));
      node = wrap;
    }
    body.append(node);
  }
  article.append(body);
  const counts = ['entities', 'times', 'places', 'quotes', 'events'].map((k) => `${(doc[k] || []).length} ${k}`).join(' · ');
  article.append(el('p', { class: 'meta', text: counts }));
}

async function showArticle(id) {
  const article = clear($('article'));
  article.append(el('p', { class: 'hint', text: 'Loading…' }));
  const doc = await api(`/api/documents/${encodeURIComponent(id)}`);
  if (readState().doc !== id) return;
  renderArticle(doc);
}

// ---------- refresh ----------

let lastFilters = null;
let lastBy = null;

async function render() {
  const state = readState();
  fillFilters(state);
  const filters = filterQuery(state);
  const by = state.by || 'month';
  const jobs = [];
  clearError();
  const guard = (promise) => promise.catch((err) => { showError(err); });
  jobs.push(guard(api(`/api/events?${filterQuery(state, { limit: state.size, offset: state.page * state.size })}`).then((page) => drawTable(page, state))));
  if (filters !== lastFilters || by !== lastBy) {
    jobs.push(guard(api(`/api/timeline?${filterQuery(state, { by })}`).then((b) => drawTimeline(b, by))));
    if (filters !== lastFilters) {
      jobs.push(guard(api(`/api/places?${filterQuery(state, { limit: 500 })}`).then(drawMap)));
      jobs.push(guard(api(`/api/network?${filterQuery(state, { limit: 40 })}`).then(drawNetwork)));
    }
    lastFilters = filters;
    lastBy = by;
  }
  if (state.event) {
    if ($('evidence').dataset.event !== state.event) jobs.push(guard(showEvidence(state.event)));
  } else if ($('evidence').dataset.event) {
    delete $('evidence').dataset.event;
    clear($('evidence')).append(el('p', { class: 'hint', text: 'Click an event in the table to see the sentences it was found in.' }));
  }
  if (state.doc && $('article').dataset.doc !== state.doc) {
    jobs.push(guard(showArticle(state.doc).then(() => $('article-panel').scrollIntoView({ block: 'start' }))));
  }
  await Promise.all(jobs);
  document.body.dataset.ready = 'true';
}

async function start() {
  setupFilters();
  quadLegend();
  articleLegend();
  window.addEventListener('hashchange', () => {
    document.body.dataset.ready = 'false';
    render();
  });
  api('/api/documents?limit=50').then(drawDocuments).catch(showError);
  await render();
}

start();
