// Overview: the zone's traffic and errors per minute (uPlot, from the WebJar), the 52x codes one
// by one, which origin they came from, and the pools' health.
import uPlot from './uplot/1.6.30/uPlot.esm.js';
import * as api from './api.js';
import {h, table, notice, card} from './dom.js';

const RANGES = {hour: 3600e3, day: 86400e3};
const CODE_COLORS = {520: '#7b2cbf', 521: '#c4302b', 522: '#e76f51', 523: '#8d6e63', 524: '#f4a261', 525: '#2a9d8f', 526: '#264653', 530: '#6c757d'};
let range = 'hour';
let observers = []; // of the charts on the page now: let go when the page is drawn again

const seconds = t => (typeof t === 'number' ? (t > 1e12 ? t / 1000 : t) : Date.parse(t) / 1000);
const sum = (xs, f) => xs.reduce((n, x) => n + (f(x) || 0), 0);

export async function overview(ctx) {
  const el = h('div', {class: 'stack', id: 'overview'});
  await draw(ctx, el);
  ctx.every(range === 'hour' ? 10000 : 60000, () => draw(ctx, el).catch(() => {}));
  return el;
}

async function draw(ctx, el) {
  const to = new Date();
  const from = new Date(to - RANGES[range]);
  const [analytics, pools] = await Promise.all([
    ctx.zone ? api.get('/api/analytics?zone=' + api.enc(ctx.zone) + '&from=' + from.toISOString() + '&to=' + to.toISOString() + '&step=1m')
      .catch(e => e) : Promise.resolve(null),
    api.get('/api/pools').catch(e => e),
  ]);
  const choose = h('div', {class: 'inline', role: 'group', 'aria-label': 'Range'}, Object.keys(RANGES).map(r =>
    h('button', {class: r === range ? 'primary' : '', id: 'range-' + r, onclick: () => { range = r; ctx.reload(); }},
      r === 'hour' ? 'Last hour' : 'Last day')));
  observers.forEach(o => o.disconnect());
  observers = [];
  const parts = [h('div', {class: 'card'}, h('h2', {}, 'Overview of ' + (ctx.zone || 'this edge')), choose)];
  if (analytics instanceof Error) parts.push(card('Traffic', notice(analytics.message)));
  else if (analytics) parts.push(...traffic(analytics, from, to));
  parts.push(poolHealth(pools));
  el.replaceChildren(...parts);
}

/** "1m", "5m", "1h" or seconds → seconds. */
function stepSeconds(step) {
  const m = /^(\d+)([smh]?)$/.exec(String(step || '1m'));
  return m ? Number(m[1]) * ({s: 1, m: 60, h: 3600}[m[2] || 's']) : 60;
}

function traffic(a, from, to) {
  // the API leaves out the minutes with no request: they are drawn as zeros, not bridged by a line
  const step = stepSeconds(a.step);
  const given = new Map((a.points || []).map(p => [Math.floor(seconds(p.t) / step) * step, p]));
  const points = [];
  for (let t = Math.floor(from / 1000 / step) * step; t <= to / 1000; t += step) points.push(given.get(t) || {t, total: 0});
  const xs = points.map(p => seconds(p.t));
  const total = points.map(p => p.total || 0);
  const errors = points.map(p => (p.by_class || {})['5xx'] || 0);
  const codes = [...new Set(points.flatMap(p => Object.keys(p.by_code || {})))].filter(c => c >= 520 && c <= 530).sort();
  const byOrigin = {};
  for (const p of points) {
    for (const [name, o] of Object.entries(p.by_origin || {})) {
      const b = byOrigin[name] || (byOrigin[name] = {name, total: 0, errors: 0});
      b.total += o.total || 0;
      b.errors += o.errors || 0;
    }
  }
  const allCodes = {};
  const classes = {};
  for (const p of points) {
    for (const [c, n] of Object.entries(p.by_code || {})) allCodes[c] = (allCodes[c] || 0) + n;
    for (const [c, n] of Object.entries(p.by_class || {})) classes[c] = (classes[c] || 0) + n;
  }
  const requests = sum(total, x => x);
  const failed = sum(errors, x => x);
  return [
    h('div', {class: 'card'}, h('div', {class: 'figures', id: 'figures'},
      figure(requests, 'requests'), figure(failed, 'errors (5xx)'),
      figure(requests ? (100 * failed / requests).toFixed(2) + ' %' : '—', 'error rate'),
      codes.map(c => figure(allCodes[c], c + ' ' + ({520: 'unknown', 521: 'down', 522: 'timed out', 523: 'unreachable',
        524: 'timeout', 525: 'TLS handshake', 526: 'bad certificate', 530: 'DNS/edge'}[c] || '')))),
    ),
    card('Requests and errors per minute', chart([xs, total, errors], [
      {label: 'requests', stroke: '#1d2330', width: 2},
      {label: 'errors', stroke: '#c4302b', width: 2, fill: 'rgba(196,48,43,.12)'},
    ])),
    card('52x errors by code', codes.length === 0 ? h('p', {class: 'muted', id: 'no-52x'}, 'No 52x errors in this range.')
      : chart([xs, ...codes.map(c => points.map(p => (p.by_code || {})[c] || 0))],
        codes.map(c => ({label: String(c), stroke: CODE_COLORS[c] || '#555', width: 2})))),
    h('div', {class: 'grid'},
      card('By origin', table([
        ['Origin', o => h('span', {class: 'mono'}, o.name)], ['Requests', o => String(o.total)],
        ['Errors', o => String(o.errors)], ['Error rate', o => o.total ? (100 * o.errors / o.total).toFixed(1) + ' %' : '—'],
      ], Object.values(byOrigin).sort((x, y) => y.errors - x.errors || y.total - x.total), 'origin-traffic-row')),
      card('By status class and edge code', table([['Status', ([c]) => c], ['Answers', ([, n]) => String(n)]],
        [...Object.entries(classes).sort(), ...Object.entries(allCodes).sort((x, y) => y[1] - x[1])], 'code-row'))),
  ];
}

function figure(value, label) {
  return h('div', {class: 'figure'}, h('b', {}, String(value)), h('span', {}, label));
}

function chart(data, series) {
  const box = h('div', {class: 'chart'});
  const make = width => new uPlot({
    width, height: 220, series: [{}, ...series.map(s => Object.assign({points: {show: false}}, s))],
    axes: [{}, {size: 50}], scales: {x: {time: true}}, legend: {live: false},
  }, data, box);
  let plot = null;
  // uPlot needs a width in pixels: draw once the box is on the page, again when it resizes (a phone turned)
  let drawn = 0;
  const observer = new ResizeObserver(entries => {
    const width = Math.floor(entries[0].contentRect.width);
    if (width <= 0 || width === drawn) return;
    drawn = width;
    // drawn in the next frame, not inside the observer's callback, so the drawing's own size change is not a resize loop
    requestAnimationFrame(() => {
      if (plot === null) plot = make(width);
      else plot.setSize({width, height: 220});
    });
  });
  observer.observe(box);
  observers.push(observer);
  return box;
}

function poolHealth(pools) {
  if (pools instanceof Error) return card('Pools', notice(pools.message));
  const list = api.listOf(pools, 'pools');
  if (list.length === 0) return card('Pools', h('p', {class: 'muted'}, 'No pools: the records point straight at their origins.'));
  return card('Pools', table([
    ['Pool', p => h('a', {href: '#/origins'}, p.name)],
    ['Health', p => h('span', {class: 'state state-' + p.state}, p.state)],
    ['Origins', p => (p.origins || []).map(o => h('div', {}, h('span', {class: 'state state-' + (o.enabled ? o.state : 'disabled')}, '● '),
      o.name + ' ' + (o.enabled ? o.state : 'disabled')))],
  ], list, 'pool-row'));
}
