// The bundled dashboard references no network address it could load: every
// absolute URL in web/dist is one of the few known strings below, none of
// which is fetched (XML namespaces, identifiers, links inside error messages),
// and nothing in the page or the stylesheets loads from another origin.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const DIST = process.env.ENDSTATE_WEB_DIST;

// URL -> why it is in the bundle and never requested.
const KNOWN = {
  'http://www.w3.org/2000/svg': 'SVG namespace (Vega renders SVG)',
  'http://www.w3.org/2000/xmlns/': 'XML namespace',
  'http://www.w3.org/1999/xlink': 'XML namespace',
  'http://www.w3.org/1999/xhtml': 'XML namespace',
  'https://vega.github.io/schema/vega/v6.json': '$schema identifier of compiled Vega specs (never fetched)',
  'https://maplibre.org/': 'MapLibre logo link (the logo control is not added)',
  'https://maplibre.invalid/': 'base for parsing relative URLs (.invalid never resolves, RFC 6761)',
  'https://wiki.openstreetmap.org/wiki/This_map_requires_WebGL': 'text of the no-WebGL error message',
  'https://github.com/vega/vega-lite/issues/2415': 'text of a Vega-Lite warning',
  'https://github.com/mapbox/mapbox-gl-js/issues/2907': 'text of a MapLibre comment kept by the minifier',
  'https://github.com/maplibre/maplibre-gl-js/blob/v6.17.0/LICENSE.txt': 'licence comment at the top of the worker',
};

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('the bundle exists', () => {
  assert.ok(DIST, 'ENDSTATE_WEB_DIST is set by ctest');
  const names = files(DIST).map((f) => relative(DIST, f)).sort();
  for (const f of ['index.html', 'assets/app.js', 'assets/maplibre-gl-worker.mjs', 'assets/maplibre-gl.css', 'assets/style.css']) {
    assert.ok(names.includes(f), f);
  }
});

test('every absolute URL in the bundle is a known string that is never fetched', () => {
  const unknown = [];
  for (const f of files(DIST)) {
    if (!/\.(m?js|css|html)$/.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\b(?:https?|wss?|ftp):\/\/[^\s"'`)<>\\]*/g)) {
      const url = m[0].replace(/[.,;]+$/, '');
      if (!(url in KNOWN)) unknown.push(`${relative(DIST, f)}: ${url}`);
    }
    for (const m of text.matchAll(/(?:^|[^:\w])\/\/(?:[a-z0-9-]+\.)+[a-z]{2,}\//gi)) {
      unknown.push(`${relative(DIST, f)}: protocol-relative ${m[0]}`);
    }
  }
  assert.deepEqual(unknown, []);
});

test('the page and stylesheets load only from the server itself', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  for (const m of html.matchAll(/\b(?:src|href)="([^"]*)"/g)) {
    assert.ok(m[1].startsWith('/') || m[1].startsWith('#') || m[1].startsWith('data:'), `index.html loads ${m[1]}`);
    assert.ok(!m[1].startsWith('//'), `index.html loads ${m[1]}`);
  }
  for (const f of files(DIST).filter((x) => x.endsWith('.css'))) {
    const css = readFileSync(f, 'utf8');
    assert.doesNotMatch(css, /@import/, `${f} imports`);
    for (const m of css.matchAll(/url\(\s*['"]?([^'")]*)/g)) {
      assert.ok(m[1].startsWith('data:') || m[1].startsWith('#') || !/^[a-z]+:|^\/\//i.test(m[1]), `${f} loads ${m[1]}`);
    }
    assert.doesNotMatch(css, /@font-face/, `${f} declares a web font`);
  }
});
