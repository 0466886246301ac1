// The dashboard's shell: sign-in, the zone picker, the page list and a hash router
// (#/dns, #/errors/<ray id>…), so every page has a link and the back button works.
import * as api from './api.js';
import {h, notice, toast} from './dom.js';
import {overview} from './overview.js';
import {dns, ssl, origins, pause, caching, security, incidents, audit, fleet} from './pages.js';
import {errors, doctor} from './errors.js';

const PAGES = [
  ['overview', 'Overview', overview],
  ['dns', 'DNS', dns],
  ['ssl', 'SSL/TLS', ssl],
  ['origins', 'Origins', origins],
  ['errors', 'Errors', errors],
  ['doctor', 'Doctor', doctor],
  ['pause', 'Pause', pause],
  ['caching', 'Caching', caching],
  ['security', 'Security', security],
  ['incidents', 'Incidents', incidents],
  ['audit', 'Audit log', audit],
  ['fleet', 'Fleet', fleet],
];

const state = {zones: [], zone: null, timers: []};
const main = () => document.getElementById('main');

function stopTimers() {
  state.timers.forEach(clearInterval);
  state.timers = [];
}

function signInPage(message) {
  stopTimers();
  document.body.classList.add('signed-out');
  document.getElementById('who').replaceChildren();
  document.getElementById('nav').replaceChildren();
  const input = h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true,
    placeholder: 'edr_…', 'aria-label': 'API token'});
  const error = h('div', {id: 'signin-error'}, message ? notice(message) : null);
  const form = h('form', {id: 'signin', class: 'card signin', onsubmit: async ev => {
    ev.preventDefault();
    error.replaceChildren();
    try {
      await api.signIn(input.value.trim());
      input.value = '';
      await start();
    } catch (e) {
      error.replaceChildren(notice(e.message));
    }
  }},
  h('h2', {}, 'Sign in'),
  h('p', {}, 'Paste an API token. ', h('code', {}, './edgeray token create NAME --scope edit'),
    ' makes one (', h('code', {}, '--scope read'), ' for a token that can only look); an edge without ',
    h('code', {}, 'admin.tokens'), ' keeps its own in ', h('code', {}, 'state/admin-token'), ' beside its config.'),
  h('label', {for: 'token'}, 'Token'), input,
  h('button', {type: 'submit', id: 'signin-button'}, 'Sign in'), error);
  main().replaceChildren(form);
  input.focus();
}

function shell() {
  document.body.classList.remove('signed-out');
  const who = api.identity();
  const picker = h('select', {id: 'zone', 'aria-label': 'Zone', onchange: ev => {
    state.zone = ev.target.value;
    localStorage.setItem('edgeray.zone', state.zone);
    route();
  }}, state.zones.map(z => h('option', {value: z.name, selected: z.name === state.zone}, z.name)));
  document.getElementById('who').replaceChildren(
    state.zones.length ? picker : h('span', {}, 'no zones'),
    h('span', {id: 'identity', class: 'identity scope-' + who.scope, title: 'signed in with this token'},
      who.name + ' · ' + who.scope),
    h('button', {id: 'signout', class: 'link', onclick: async () => {
      await api.signOut().catch(() => {});
      signInPage('Signed out.');
    }}, 'Sign out'));
  document.getElementById('nav').replaceChildren(...PAGES.map(([id, title]) =>
    h('a', {href: '#/' + id, id: 'nav-' + id}, title)));
}

async function route() {
  if (api.identity() === null) return;
  stopTimers();
  const [id, ...rest] = (location.hash.replace(/^#\/?/, '') || 'overview').split('/');
  const page = PAGES.find(p => p[0] === id) || PAGES[0];
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.id === 'nav-' + page[0]));
  document.title = page[1] + ' · edgeray';
  const ctx = {
    zone: state.zone,
    zoneInfo: state.zones.find(z => z.name === state.zone) || null,
    arg: rest.map(decodeURIComponent).join('/'),
    canEdit: api.canEdit(),
    every: (millis, f) => state.timers.push(setInterval(f, millis)),
    reload: () => route(),
    refreshZones,
  };
  const target = main();
  target.replaceChildren(h('p', {class: 'loading'}, 'Loading…'));
  target.dataset.page = page[0];
  try {
    const el = await page[2](ctx);
    if (target.dataset.page === page[0]) target.replaceChildren(el);
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) return;
    target.replaceChildren(notice(e.message));
  }
}

async function refreshZones() {
  state.zones = api.listOf(await api.get('/api/zones'), 'zones');
  const saved = localStorage.getItem('edgeray.zone');
  if (!state.zones.some(z => z.name === state.zone)) {
    state.zone = state.zones.some(z => z.name === saved) ? saved : (state.zones[0] || {}).name || null;
  }
  return state.zones;
}

async function start() {
  await refreshZones();
  shell();
  await route();
}

api.onSignedOut(e => signInPage(e.message));
window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', ev => toast(ev.reason && ev.reason.message || String(ev.reason), 'error'));

(async () => {
  try {
    if (await api.resume()) await start();
    else signInPage();
  } catch (e) {
    signInPage(e.message);
  }
})();
