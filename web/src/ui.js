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

export function fmt(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits);
}

/** A numeric cell carrying the API's exact value in data-value. */
export function num(v, digits = 2, testid) {
  return h('td', { class: 'num', 'data-value': v === null || v === undefined ? 'null' : String(v), 'data-testid': testid },
    fmt(v, digits));
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
  return `${p.title || 'Error'}: ${p.detail || e.message}${p.field ? ` (field ${p.field})` : ''}`;
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
