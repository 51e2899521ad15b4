// Charts with Vega-Lite, compiled to Vega and run with Vega's expression
// interpreter (no eval: the page's Content-Security-Policy forbids it),
// rendered as SVG. Each view is kept in window.__endstate.charts for the tests.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';

window.__endstate = window.__endstate || { maps: {}, charts: {} };

export async function chart(el, name, spec, description) {
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', description);
  const vg = compile(spec).spec;
  const view = new View(parse(vg, null, { ast: true }), {
    renderer: 'svg', container: el, hover: true, expr: expressionInterpreter,
  });
  await view.runAsync();
  window.__endstate.charts[name] = view;
  return view;
}
