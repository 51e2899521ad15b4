// Bundles the dashboard into dist/ with esbuild: one ES module for the app
// (MapLibre GL JS, Vega, Vega-Lite inside), MapLibre's worker and stylesheet
// beside it, the page and its stylesheet. Nothing is loaded from outside the
// server at run time: no CDN, no fonts, no tiles, no styles.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ? process.argv[2] : join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

await build({
  entryPoints: [join(here, 'src/app.js')],
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  outfile: join(out, 'assets/app.js'),
  logLevel: 'warning',
});

const mgl = join(here, 'node_modules/maplibre-gl/dist');
copyFileSync(join(mgl, 'maplibre-gl-worker.mjs'), join(out, 'assets/maplibre-gl-worker.mjs'));
copyFileSync(join(mgl, 'maplibre-gl.css'), join(out, 'assets/maplibre-gl.css'));
copyFileSync(join(here, 'src/index.html'), join(out, 'index.html'));
copyFileSync(join(here, 'src/style.css'), join(out, 'assets/style.css'));
console.log(`dashboard bundled into ${out}`);
