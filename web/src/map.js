// Maps with MapLibre GL JS and no basemap but the areas themselves: a blank
// style (background only: no tiles, glyphs or sprites to fetch), GeoJSON
// sources handed over as data. Each map is kept in window.__endstate.maps for
// the browser tests.
import * as maplibregl from 'maplibre-gl';
import { bbox } from './geo.js';

maplibregl.setWorkerUrl(new URL('./maplibre-gl-worker.mjs', import.meta.url).href);

window.__endstate = window.__endstate || { maps: {}, charts: {} };

/** A map in `el`; resolves once its style has loaded. */
export function makeMap(el, name, label) {
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', label);
  el.tabIndex = 0;
  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e6edf2' } }] },
    center: [0, 0],
    zoom: 1,
    attributionControl: false,
    keyboard: true,
    fadeDuration: 0,
    preserveDrawingBuffer: true,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  window.__endstate.maps[name] = map;
  return new Promise((resolve) => map.on('load', () => resolve(map)));
}

/** Filled polygons coloured by `fill` (a MapLibre expression or colour) with outlines. */
export function addPolygons(map, id, data, fill, opacity = 0.75) {
  map.addSource(id, { type: 'geojson', data });
  map.addLayer({ id: `${id}-fill`, type: 'fill', source: id, paint: { 'fill-color': fill, 'fill-opacity': opacity } });
  map.addLayer({ id: `${id}-line`, type: 'line', source: id, paint: { 'line-color': '#34495e', 'line-width': 0.8 } });
}

/** Outlines only (the areas as a basemap under other layers). */
export function addOutlines(map, id, data) {
  map.addSource(id, { type: 'geojson', data });
  map.addLayer({ id: `${id}-fill`, type: 'fill', source: id, paint: { 'fill-color': '#fbfcfd', 'fill-opacity': 1 } });
  map.addLayer({ id: `${id}-line`, type: 'line', source: id, paint: { 'line-color': '#8a9aa6', 'line-width': 0.7 } });
}

export function addPoints(map, id, data, color, radius = 5) {
  map.addSource(id, { type: 'geojson', data });
  map.addLayer({
    id: `${id}-circle`, type: 'circle', source: id,
    paint: { 'circle-color': color, 'circle-radius': radius, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.2 },
  });
}

export function setData(map, id, data) { map.getSource(id).setData(data); }

export function fit(map, fc) {
  if (!fc.features.length) return;
  const b = bbox(fc);
  map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 20, animate: false });
}

/** A popup with html(properties) when a feature of `layer` is clicked. */
export function popups(map, layer, html) {
  map.on('click', layer, (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    new maplibregl.Popup({ closeButton: true }).setLngLat(e.lngLat).setHTML(html(f.properties)).addTo(map);
  });
  map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
}

/** A step colour scale as a MapLibre expression on a numeric property. */
export function steps(property, stops, colors) {
  const e = ['step', ['coalesce', ['to-number', ['get', property]], 0], colors[0]];
  stops.forEach((s, i) => e.push(s, colors[i + 1]));
  return e;
}

/** Four increasing thresholds at the quintiles of the positive values (a step scale of five colours). */
export function quantileStops(values) {
  const v = values.filter((x) => x > 0).sort((a, b) => a - b);
  if (!v.length) return [1e-9, 2e-9, 3e-9, 4e-9];
  const q = (p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
  const s = [q(0.2), q(0.4), q(0.6), q(0.8)];
  for (let i = 1; i < s.length; i++) if (s[i] <= s[i - 1]) s[i] = s[i - 1] + 1e-9;
  return s;
}
