// The dashboard's ring orientation for Vega-Lite (d3-geo): exterior rings
// clockwise, holes counter-clockwise, whatever orientation came in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewindForD3, signedArea, bbox } from '../../../web/src/geo.js';

const ccw = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];       // RFC 7946 exterior
const holeCw = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]];

test('an RFC 7946 polygon becomes clockwise with a counter-clockwise hole', () => {
  assert.ok(signedArea(ccw) > 0);
  assert.ok(signedArea(holeCw) < 0);
  const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Polygon', coordinates: [ccw, holeCw] } }] };
  const out = rewindForD3(fc);
  const [ext, hole] = out.features[0].geometry.coordinates;
  assert.ok(signedArea(ext) < 0, 'exterior clockwise');
  assert.ok(signedArea(hole) > 0, 'hole counter-clockwise');
  assert.deepEqual(out.features[0].properties, { id: 'a' });
  assert.ok(signedArea(fc.features[0].geometry.coordinates[0]) > 0, 'input untouched');
});

test('multipolygons and already clockwise rings', () => {
  const cw = ccw.slice().reverse();
  const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[ccw], [cw]] } }] };
  const out = rewindForD3(fc).features[0].geometry.coordinates;
  assert.ok(signedArea(out[0][0]) < 0);
  assert.ok(signedArea(out[1][0]) < 0);
  assert.deepEqual(out[1][0], cw);
});

test('bbox covers every coordinate', () => {
  const fc = { type: 'FeatureCollection', features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [5, -3] } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ccw] } }] };
  assert.deepEqual(bbox(fc), [0, -3, 5, 1]);
});
