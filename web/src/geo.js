// Ring orientation. The API serves RFC 7946 GeoJSON: exterior rings
// counter-clockwise, holes clockwise. d3-geo (and so Vega-Lite's geoshape)
// reads spherical polygons the other way round - exterior clockwise - and
// would otherwise fill the whole globe minus the area. rewindForD3 turns
// every exterior ring clockwise and every hole counter-clockwise.

/** Twice the signed planar area of a ring of [lon, lat] (> 0: counter-clockwise). */
export function signedArea(ring) {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    s += x1 * y2 - x2 * y1;
  }
  return s;
}

function orient(ring, clockwise) {
  const ccw = signedArea(ring) > 0;
  return ccw === clockwise ? ring.slice().reverse() : ring;
}

function rewindPolygon(rings) { return rings.map((r, i) => orient(r, i === 0)); }

export function rewindGeometry(g) {
  if (!g) return g;
  if (g.type === 'Polygon') return { ...g, coordinates: rewindPolygon(g.coordinates) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: g.coordinates.map(rewindPolygon) };
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map(rewindGeometry) };
  return g;
}

/** A copy of a FeatureCollection with d3's orientation (exterior rings clockwise). */
export function rewindForD3(fc) {
  return { ...fc, features: fc.features.map((f) => ({ ...f, geometry: rewindGeometry(f.geometry) })) };
}

/** [minLon, minLat, maxLon, maxLat] of every coordinate in a FeatureCollection. */
export function bbox(fc) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(visit);
  };
  for (const f of fc.features) {
    if (f.geometry && f.geometry.coordinates) visit(f.geometry.coordinates);
  }
  return b;
}
