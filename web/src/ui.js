// Small DOM helpers shared by the pages.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// The dashboard's one number format: en-US digit grouping ("5,818") for every
// number, whole or not, a fixed number of decimals where the caller gives
// one, else none for whole numbers and two for the others.
const FORMATS = new Map();
function formatter(digits) {
  if (!FORMATS.has(digits)) {
    FORMATS.set(digits, new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return FORMATS.get(digits);
}

/** A number as the dashboard shows it: `digits` decimals (default: 0 for whole numbers, else 2). */
export function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const d = digits === undefined ? (Number.isInteger(v) ? 0 : 2) : digits;
  const s = formatter(d).format(v);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** A share (0..1) as a percentage with `digits` decimals. */
export function pct(v, digits = 1) {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : `${fmt(100 * v, digits)}%`;
}

/** A numeric cell carrying the API's exact value in data-value; `digits` decimals for every value of a column. */
export function num(v, digits = 2, testid) {
  return h('td', { class: 'num', 'data-value': v === null || v === undefined ? 'null' : String(v), 'data-testid': testid },
    fmt(v, digits));
}

/** A key figure: the value (exact in data-value) over its label. */
export function kpi(label, v, testid, digits, text) {
  return h('div', { class: 'kpi', 'data-testid': testid, 'data-value': v === null || v === undefined ? 'null' : String(v) },
    h('div', { class: 'v' }, text !== undefined ? text : fmt(v, digits)), h('div', { class: 'k' }, label));
}

/** A <select> with a label's id, its options as [value, text] pairs (or values). */
export function select(id, options, value) {
  return h('select', { id }, options.map((o) => {
    const [v, t] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: String(v) === String(value) }, t);
  }));
}

/** A table from column headers and rows of cells (nodes or text). */
export function table(caption, headers, rows, testid) {
  return h('table', { 'data-testid': testid },
    h('caption', { class: 'muted', style: 'text-align:left' }, caption),
    h('thead', {}, h('tr', {}, headers.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label || c)))),
    h('tbody', {}, rows));
}

export function say(message, error = false) {
  const box = document.getElementById('status');
  const m = h('div', { class: `msg${error ? ' error' : ''}` }, message);
  box.append(m);
  setTimeout(() => m.remove(), error ? 9000 : 4000);
}

export function problemText(e) {
  const p = e.problem || {};
  const where = p.file ? ` in ${p.file}${p.line ? `, line ${p.line}` : ''}` : p.line ? ` at line ${p.line}` : '';
  return `${p.title || 'Error'}: ${p.detail || e.message}${where || p.field ? ` (${[where.trim(), p.field ? `field ${p.field}` : ''].filter(Boolean).join(', ')})` : ''}`;
}

export function legend(items) {
  return h('div', { class: 'legend' }, items.map(([color, label]) => h('span', { style: `--c:${color}` }, label)));
}

/** The month after YYYY-MM. */
export function nextMonth(m, k = 1) {
  const [y, mo] = m.split('-').map(Number);
  const t = y * 12 + (mo - 1) + k;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** The analysis level: province when present, else the first level below the top. */
export function defaultLevel(status) {
  const levels = Object.keys(status.areas_by_level);
  if (levels.includes('province')) return 'province';
  return levels.find((l) => l !== 'country') || levels[0];
}

/** The legend of a step scale: colours[i] below stops[i], the last at or above the last stop. */
export function stepLegend(stops, colors, digits) {
  const f = (v) => fmt(v, digits);
  return legend(colors.map((c, i) => [c, i === 0 ? `< ${f(stops[0])}` : i === colors.length - 1 ? `≥ ${f(stops[i - 1])}`
    : `${f(stops[i - 1])}–${f(stops[i])}`]));
}

/** The status line of a job: its id, state and stage while it runs. */
export function jobState(j) {
  return `Job ${j.id}: ${j.state}${j.progress && j.progress.stage ? `, ${j.progress.stage}` : ''}`;
}
