// DNS, SSL/TLS, Origins, Pause, Caching, Security, Incidents and the audit log: each page reads the API,
// draws, and after a change draws itself again from what the API answers, never from a guess.
import * as api from './api.js';
import {h, table, notice, toast, card, when, ms} from './dom.js';

const PROXIABLE = ['A', 'AAAA', 'CNAME'];
const TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA'];

function needZone(ctx) {
  if (!ctx.zone) throw new Error('This edge has no zones yet: add one to the config file.');
  return api.enc(ctx.zone);
}

async function zoneDetail(ctx) {
  const z = await api.get('/api/zones/' + needZone(ctx));
  return Object.assign({}, z, z.settings || {});
}

/** Runs a change, shows the API's message if it is refused, and redraws the page when it took. */
async function change(ctx, what, f) {
  try {
    await f();
    toast(what);
    await ctx.refreshZones();
    ctx.reload();
  } catch (e) {
    toast(e.message, 'error');
  }
}

function readOnlyNote(ctx) {
  return ctx.canEdit ? null : notice('You are signed in with a read-only token: you can look, not change.', 'info');
}

// ---------------------------------------------------------------- DNS

export async function dns(ctx) {
  const zone = needZone(ctx);
  const records = api.listOf(await api.get('/api/zones/' + zone + '/records'), 'records');
  const editing = {id: null};
  const f = {
    type: h('select', {name: 'type', id: 'record-type'}, TYPES.map(t => h('option', {value: t}, t))),
    name: h('input', {name: 'name', id: 'record-name', placeholder: '@ or www', required: true, size: 14}),
    content: h('input', {name: 'content', id: 'record-content', placeholder: '192.0.2.10', required: true, size: 18}),
    ttl: h('input', {name: 'ttl', id: 'record-ttl', type: 'number', min: 1, placeholder: 'auto', size: 6}),
    priority: h('input', {name: 'priority', id: 'record-priority', type: 'number', min: 0, placeholder: 'MX, SRV', size: 6}),
    proxied: h('input', {name: 'proxied', id: 'record-proxied', type: 'checkbox', checked: true}),
  };
  const submit = h('button', {type: 'submit', class: 'primary', id: 'record-save', disabled: !ctx.canEdit}, 'Add record');
  const cancel = h('button', {type: 'button', hidden: true, onclick: () => reset()}, 'Cancel');
  const formError = h('div', {});
  function reset() {
    editing.id = null;
    f.name.value = f.content.value = f.ttl.value = f.priority.value = '';
    f.proxied.checked = true;
    submit.textContent = 'Add record';
    cancel.hidden = true;
  }
  function edit(r) {
    editing.id = r.id;
    f.type.value = r.type;
    f.name.value = r.name;
    f.content.value = r.content;
    f.ttl.value = r.ttl || '';
    f.priority.value = r.priority === undefined || r.priority === null ? '' : r.priority;
    f.proxied.checked = Boolean(r.proxied);
    submit.textContent = 'Save record';
    cancel.hidden = false;
    f.content.focus();
  }
  const form = h('form', {class: 'inline', id: 'record-form', onsubmit: async ev => {
    ev.preventDefault();
    formError.replaceChildren();
    const body = {type: f.type.value, name: f.name.value.trim(), content: f.content.value.trim(),
      proxied: PROXIABLE.includes(f.type.value) && f.proxied.checked};
    if (f.ttl.value) body.ttl = Number(f.ttl.value);
    if (f.priority.value && ['MX', 'SRV'].includes(body.type)) body.priority = Number(f.priority.value);
    try {
      if (editing.id === null) await api.post('/api/zones/' + zone + '/records', body);
      else await api.put('/api/zones/' + zone + '/records/' + api.enc(editing.id), body);
      toast(editing.id === null ? 'Record added.' : 'Record saved.');
      ctx.reload();
    } catch (e) {
      formError.replaceChildren(notice(e.field ? e.message + ' (' + e.field + ')' : e.message));
    }
  }},
  h('label', {}, 'Type', f.type), h('label', {}, 'Name', f.name), h('label', {}, 'Content', f.content),
  h('label', {}, 'TTL', f.ttl), h('label', {}, 'Priority', f.priority), h('label', {class: 'check'}, 'Proxied', f.proxied),
  submit, cancel);

  const proxiedSwitch = r => {
    if (!PROXIABLE.includes(r.type)) return h('span', {class: 'proxied na'}, 'DNS only');
    return h('button', {class: 'proxied ' + (r.proxied ? 'on' : 'off'), 'data-test': 'proxied-switch',
      'aria-pressed': String(Boolean(r.proxied)), disabled: !ctx.canEdit,
      title: r.proxied ? 'Proxied: visitors reach the edge; click for DNS only' : 'DNS only: visitors go straight to ' + r.content + '; click to proxy',
      onclick: () => change(ctx, r.proxied ? r.name + ' is now DNS only.' : r.name + ' is now proxied.',
        () => api.patch('/api/zones/' + zone + '/records/' + api.enc(r.id), {proxied: !r.proxied}))},
    r.proxied ? 'Proxied' : 'DNS only');
  };
  return h('div', {class: 'stack'},
    card('DNS records of ' + ctx.zone, readOnlyNote(ctx),
      h('p', {class: 'muted'}, 'A proxied (orange) record answers with the edge\'s addresses, so visitors go through the edge. ' +
        'DNS only (grey) answers the record as written: visitors go straight to the origin, and a visitor who still ' +
        'reaches the edge for that name gets error 1001.'),
      table([
        ['Type', r => r.type],
        ['Name', r => h('span', {class: 'mono'}, r.name)],
        ['Content', r => h('span', {class: 'mono'}, (r.priority !== undefined && r.priority !== null ? r.priority + ' ' : '') + r.content)],
        ['Proxy status', proxiedSwitch],
        ['TTL', r => r.ttl ? String(r.ttl) : 'auto'],
        ['', r => h('span', {}, h('button', {class: 'link', disabled: !ctx.canEdit, onclick: () => edit(r)}, 'Edit'), ' ',
          h('button', {class: 'link danger', 'data-test': 'record-delete', disabled: !ctx.canEdit, onclick: () => {
            if (confirm('Delete ' + r.type + ' ' + r.name + ' → ' + r.content + '?')) {
              change(ctx, 'Record deleted.', () => api.del('/api/zones/' + zone + '/records/' + api.enc(r.id)));
            }
          }}, 'Delete'))],
      ], records, 'record-row')),
    card('Add or edit a record', form, formError));
}

// ---------------------------------------------------------------- SSL/TLS

const MODES = [
  ['off', 'Off', 'Visitors use HTTP only (HTTPS is redirected to HTTP); the edge talks HTTP to the origin.', '521, 522, 523 when the origin\'s HTTP port fails.'],
  ['flexible', 'Flexible', 'Visitors may use HTTPS; the edge always talks plain HTTP to the origin\'s HTTP port. Traffic edge → origin is not encrypted.', '521 if nothing listens on the origin\'s HTTP port.'],
  ['full', 'Full', 'The edge uses the visitor\'s scheme toward the origin; the origin\'s certificate is not checked (self-signed works).', '525 when the TLS handshake with the origin fails.'],
  ['full_strict', 'Full (strict)', 'Like Full, but the origin\'s certificate must be valid: trusted, unexpired and for this host name.', '525 (handshake failed) and 526 (invalid certificate: self-signed, expired, wrong name).'],
  ['strict', 'Strict', 'Always HTTPS to the origin\'s HTTPS port, even for HTTP visitors, validated as Full (strict).', '525 and 526.'],
];

export async function ssl(ctx) {
  const zone = needZone(ctx);
  const z = await zoneDetail(ctx);
  const current = z.ssl || 'full';
  const choice = {mode: current};
  const modes = MODES.map(([id, title, means, yields]) => h('label', {class: 'mode' + (id === current ? ' current' : ''), for: 'ssl-' + id},
    h('input', {type: 'radio', name: 'ssl', id: 'ssl-' + id, value: id, checked: id === current, disabled: !ctx.canEdit,
      onchange: () => { choice.mode = id; }}),
    h('b', {}, title + (id === current ? ' — current' : '')), h('span', {}, means), h('span', {class: 'yields'}, 'Can yield: ' + yields)));
  const hsts = h('input', {type: 'checkbox', id: 'always-use-https', checked: Boolean(z.always_use_https), disabled: !ctx.canEdit});
  const save = h('button', {class: 'primary', id: 'ssl-save', disabled: !ctx.canEdit, onclick: () =>
    change(ctx, 'SSL/TLS settings saved.', () => api.patch('/api/zones/' + zone + '/settings',
      {ssl: choice.mode, always_use_https: hsts.checked}))}, 'Save');
  return h('div', {class: 'stack'},
    card('SSL/TLS mode of ' + ctx.zone, readOnlyNote(ctx),
      h('p', {class: 'muted'}, 'How the edge talks to your origin. A 525 or 526 on one origin address fails over to the next one, like a 521.'),
      h('div', {id: 'ssl-modes'}, modes),
      h('p', {}, h('label', {}, hsts, ' Always use HTTPS (301 from http:// to https://; needs the edge\'s HTTPS listener)')),
      save),
    card('Edge certificate', certificate(z)));
}

const CERT_WARN_DAYS = 14;

function certificate(z) {
  const c = z.certificate;
  if (!c) {
    return h('p', {class: 'muted', id: 'certificate'}, 'No certificate for this zone: HTTPS visitors for it are refused during the handshake.');
  }
  const days = Math.floor((new Date(c.not_after) - Date.now()) / 86400000);
  return h('div', {id: 'certificate'},
    h('p', {}, h('b', {id: 'certificate-names'}, c.names.join(', ') || '(no DNS names)')),
    h('p', {id: 'certificate-expiry'}, 'Expires ' + when(c.not_after) + ' (' + (days < 0 ? 'expired ' + -days + ' days ago' : 'in ' + days + ' days') + ')'),
    h('p', {class: 'muted'}, 'Issued by ' + c.issuer),
    days < CERT_WARN_DAYS ? notice(days < 0 ? 'This certificate has expired: visitors\' browsers refuse it. Replace the files named in the config.'
      : 'This certificate expires in ' + days + ' days: replace the files named in the config before then.', 'warn') : null);
}

// ---------------------------------------------------------------- Origins

export async function origins(ctx) {
  const pools = api.listOf(await api.get('/api/pools'), 'pools');
  if (pools.length === 0) {
    return card('Origins', h('p', {}, 'No pools configured: each record points straight at its origin. ' +
      'A pool (several origins behind one name, with health checks and failover) is declared under pools: in the config.'));
  }
  ctx.every(5000, () => refreshPools(ctx));
  return h('div', {class: 'stack', id: 'pools'}, pools.map(p => poolCard(ctx, p)));
}

async function refreshPools(ctx) {
  const el = document.getElementById('pools');
  if (!el) return;
  try {
    const pools = api.listOf(await api.get('/api/pools'), 'pools');
    el.replaceChildren(...pools.map(p => poolCard(ctx, p)));
  } catch (e) { /* the next poll tries again; a 401 already went to the sign-in page */ }
}

function poolCard(ctx, p) {
  const split = (p.origins || []).filter(o => o.disagreement);
  return card(null, h('h2', {}, 'Pool ' + p.name + ' ', h('span', {class: 'state state-' + p.state}, p.state)),
    h('p', {class: 'muted'}, 'steering ' + p.steering + ' · health threshold ' + p.health_threshold + ' · monitor ' + (p.monitor || 'none') +
      (p.health_quorum ? ' · health quorum ' + p.health_quorum + ' nodes' : '')),
    split.map(o => notice(o.name + ': ' + o.disagreement, 'warn')),
    table([
      ['Origin', o => h('b', {}, o.name)],
      ['Address', o => h('span', {class: 'mono'}, o.address)],
      ['Health', o => h('span', {class: 'state state-' + (o.enabled ? o.state : 'disabled')}, o.enabled ? o.state : 'disabled')],
      ['Last checks', o => lastChecks(o.recent_checks || [])],
      ['From every node', o => views(o.views || [])],
      ['Load', o => o.connections + ' open, ' + o.outstanding + ' in flight' + (o.queued ? ', ' + o.queued + ' queued' : '')],
      ['', o => h('button', {'data-test': 'origin-toggle', disabled: !ctx.canEdit, class: o.enabled ? 'danger' : '',
        onclick: () => change(ctx, o.name + (o.enabled ? ' disabled.' : ' enabled.'),
          () => api.post('/api/pools/' + api.enc(p.name) + '/origins/' + api.enc(o.name), {enabled: !o.enabled}))},
      o.enabled ? 'Disable' : 'Enable')],
    ], p.origins || [], 'origin-row'));
}

/** Each fleet node's own view of the origin: AMS healthy, SIN unhealthy (523)… */
function views(list) {
  if (list.length === 0) return h('span', {class: 'muted'}, 'this node only');
  return h('ul', {class: 'views', 'data-test': 'origin-views'}, list.map(v => h('li', {'data-test': 'origin-view'},
    h('b', {}, v.node), v.location ? ' (' + v.location + ') ' : ' ',
    h('span', {class: 'state state-' + v.state}, v.state), v.code ? ' ' + v.code : '',
    h('span', {class: 'muted', title: v.detail || ''}, ' ' + when(v.last_check)))));
}

function lastChecks(checks) {
  if (checks.length === 0) return h('span', {class: 'muted'}, 'none yet');
  const last = checks[checks.length - 1];
  return h('span', {},
    h('span', {class: 'checks'}, checks.slice(-10).map(c => h('i', {class: c.passed ? 'passed' : 'failed',
      title: when(c.time) + ': ' + (c.passed ? 'passed' : (c.code || '') + ' ' + (c.failure || '')) + ' ' + ms(c.ms)}))),
    ' ', h('span', {class: 'muted'}, (last.passed ? 'passed' : 'failed' + (last.code ? ' ' + last.code : '')) + ' ' + when(last.time)),
    last.detail && !last.passed ? h('div', {class: 'muted mono'}, last.detail) : null);
}

// ---------------------------------------------------------------- Pause

export async function pause(ctx) {
  const zone = needZone(ctx);
  const z = await zoneDetail(ctx);
  const paused = Boolean(z.paused);
  return card('Pause ' + ctx.zone, readOnlyNote(ctx),
    h('p', {id: 'pause-state', class: 'state ' + (paused ? 'state-degraded' : 'state-healthy')},
      paused ? 'The zone is paused: the edge does not proxy it.' : 'The zone is active: the edge proxies it.'),
    h('p', {}, 'Pausing answers every record of the zone DNS-only, so visitors whose resolvers follow the new answer go ' +
      'straight to your origin; the cache, firewall and error pages are out of the way. A visitor who still reaches the ' +
      'edge (an old DNS answer) gets a 530 page with code 1018 saying the zone is paused. Use it to test whether a problem ' +
      'is the edge or the origin; unpause to proxy again.'),
    h('button', {id: 'pause-switch', class: 'switch-big ' + (paused ? 'primary' : 'danger'), disabled: !ctx.canEdit,
      onclick: () => change(ctx, paused ? 'Zone unpaused.' : 'Zone paused.',
        () => api.patch('/api/zones/' + zone + '/settings', {paused: !paused}))},
    paused ? 'Unpause: proxy this zone again' : 'Pause the edge for this zone'));
}

// ---------------------------------------------------------------- Caching

export async function caching(ctx) {
  const zone = needZone(ctx);
  let stats;
  try {
    stats = await api.get('/api/zones/' + zone + '/cache');
  } catch (e) {
    stats = e;
  }
  const what = h('textarea', {id: 'purge-list', rows: 3, cols: 40, placeholder: 'https://shop.example/news.html (one a line)'});
  const kind = h('select', {id: 'purge-kind'}, [['files', 'URLs'], ['prefixes', 'prefixes'], ['tags', 'cache tags']]
    .map(([v, t]) => h('option', {value: v}, t)));
  const result = h('div', {id: 'purge-result'});
  const purge = async body => {
    result.replaceChildren();
    try {
      const r = await api.post('/api/zones/' + zone + '/purge', body);
      result.replaceChildren(notice('Purged ' + r.purged + ' stored ' + (r.purged === 1 ? 'copy' : 'copies') + '.', 'ok'));
    } catch (e) {
      result.replaceChildren(notice(e.message));
    }
  };
  return h('div', {class: 'stack'},
    card('Cache of ' + ctx.zone, stats instanceof Error ? notice(stats.message) : cacheReport(stats)),
    cacheSettings(ctx, zone, (await zoneDetail(ctx)).cache),
    card('Purge', readOnlyNote(ctx),
      h('p', {class: 'muted'}, 'When the purge answers, no new request gets a purged copy.'),
      h('form', {class: 'inline', onsubmit: ev => {
        ev.preventDefault();
        const items = what.value.split('\n').map(s => s.trim()).filter(Boolean);
        purge({[kind.value]: items});
      }}, h('label', {}, 'Purge by', kind), h('label', {}, 'Which', what),
      h('button', {type: 'submit', disabled: !ctx.canEdit}, 'Purge')),
      h('p', {}, h('button', {class: 'danger', id: 'purge-everything', disabled: !ctx.canEdit, onclick: () => {
        if (confirm('Purge everything stored for ' + ctx.zone + '?')) purge({everything: true});
      }}, 'Purge everything')), result));
}

/** The zone's main cache settings; an emptied lifetime goes back to its default (null in the PATCH). */
function cacheSettings(ctx, zone, c) {
  const f = {
    enabled: h('input', {type: 'checkbox', id: 'cache-enabled', checked: c.enabled}),
    default_ttl: h('input', {id: 'cache-default-ttl', value: c.default_ttl, placeholder: '2h', size: 6}),
    browser_ttl: h('input', {id: 'cache-browser-ttl', value: c.browser_ttl || '', placeholder: 'as the origin says', size: 10}),
    window: h('input', {id: 'cache-always-online', value: c.always_online.window, placeholder: '1d or off', size: 6}),
    banner: h('input', {type: 'checkbox', id: 'cache-banner', checked: c.always_online.banner}),
  };
  const slots = {};
  for (const k of ['enabled', 'default_ttl', 'browser_ttl', 'window', 'banner']) slots[k] = h('div', {class: 'field-error', id: 'cache-' + k + '-error'});
  const general = h('div', {});
  const orNull = input => input.value.trim() === '' ? null : input.value.trim();
  return card('Cache settings', readOnlyNote(ctx),
    h('p', {class: 'muted'}, 'Always Online serves a stored copy, up to the window past its lifetime, when the origin fails (520-526); ' +
      'the banner tells the visitor it is a saved copy. An empty field goes back to its default.'),
    general,
    h('form', {class: 'inline', id: 'cache-form', onsubmit: async ev => {
      ev.preventDefault();
      const cache = {enabled: f.enabled.checked, default_ttl: orNull(f.default_ttl), browser_ttl: orNull(f.browser_ttl),
        always_online: {window: orNull(f.window), banner: f.banner.checked}};
      try {
        await api.patch('/api/zones/' + zone + '/settings', {cache});
        toast('Cache settings saved.');
        ctx.reload();
      } catch (e) {
        showRefusal(e, slots, general);
      }
    }},
    h('label', {class: 'check'}, 'Cache on', f.enabled, slots.enabled),
    h('label', {}, 'Default lifetime', f.default_ttl, slots.default_ttl),
    h('label', {}, 'Browser lifetime', f.browser_ttl, slots.browser_ttl),
    h('label', {}, 'Always Online window', f.window, slots.window),
    h('label', {class: 'check'}, 'Stale banner', f.banner, slots.banner),
    h('button', {type: 'submit', class: 'primary', id: 'cache-save', disabled: !ctx.canEdit}, 'Save')));
}

function cacheReport(r) {
  const tiers = Object.entries(r.tiers).filter(([, t]) => t !== null);
  return h('div', {},
    h('p', {}, 'Hit ratio ', h('b', {id: 'cache-hit-ratio'}, Math.round(r.hit_ratio * 1000) / 10 + ' %'),
      h('span', {class: 'muted'}, ' · ' + bytes(r.served_bytes) + ' served from the cache')),
    h('h3', {}, 'Requests by cache status'),
    table([['Status', ([s]) => h('span', {class: 'mono'}, s)], ['Requests', ([, n]) => String(n)]],
      Object.entries(r.requests), 'cache-status-row'),
    h('h3', {}, 'Storage'),
    table([
      ['Tier', ([name]) => h('b', {}, name)],
      ['This zone', ([, t]) => t.zone_objects + ' objects, ' + bytes(t.zone_bytes)],
      ['Whole node', ([, t]) => t.objects + ' objects, ' + bytes(t.bytes) + ' of ' + bytes(t.capacity)],
      ['Evictions', ([, t]) => String(t.evictions)],
    ], tiers, 'cache-tier-row'),
    r.tiers.disk === null ? h('p', {class: 'muted'}, 'No disk tier: cache_storage.disk is not set.') : null);
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : Math.round(n * 10) / 10) + ' ' + units[i];
}

// ---------------------------------------------------------------- Security

/** A 422's key path ends with the field it is about: zones[0].firewall[2].expression -> expression. */
function fieldOf(e) {
  if (!e.field) return null;
  const m = /([a-z_]+)$/.exec(e.field);
  return m ? m[1] : null;
}

/** Shows an API refusal beside the form field it names, or above the form when it names none of them. */
function showRefusal(e, slots, general) {
  Object.values(slots).forEach(s => s.replaceChildren());
  general.replaceChildren();
  const f = fieldOf(e);
  if (f && slots[f]) slots[f].replaceChildren(notice(e.message));
  else general.replaceChildren(notice(e.field ? e.message + ' (' + e.field + ')' : e.message));
}

const RULE_LISTS = [
  {list: 'firewall', title: 'Firewall rules', what: 'rule', prefix: 'fw',
    note: 'Checked in order for every request; the first block or allow ends the list. Expressions are CEL, ' +
      'with Cloudflare\'s field names (http.request.uri.path, ip.src, http.user_agent...).',
    fields: [
      {key: 'id', label: 'ID', placeholder: 'no-scanners'},
      {key: 'description', label: 'Description', placeholder: 'shown on the block page'},
      {key: 'expression', label: 'Expression', textarea: true, placeholder: 'http.request.uri.path.startsWith("/admin")'},
      {key: 'action', label: 'Action', options: ['block', 'allow', 'skip_rate_limit', 'log']},
    ],
    columns: [['ID', r => h('span', {class: 'mono'}, r.id)], ['Action', r => h('b', {}, r.action)],
      ['Expression', r => h('code', {class: 'mono'}, r.expression)], ['Description', r => r.description]]},
  {list: 'rate_limits', title: 'Rate limits', what: 'rate limit', prefix: 'rl',
    note: 'Every rate limit whose expression matches (none: every request) counts the request per its characteristics.',
    fields: [
      {key: 'id', label: 'ID', placeholder: 'login'},
      {key: 'expression', label: 'Expression (empty: every request)', textarea: true, placeholder: 'http.request.uri.path == "/login"'},
      {key: 'characteristics', label: 'Characteristics', placeholder: 'ip.src',
        toJson: v => v.split(',').map(s => s.trim()).filter(Boolean), fromRule: r => (r.characteristics || []).join(', ')},
      {key: 'requests', label: 'Requests', type: 'number', toJson: v => Number(v)},
      {key: 'period', label: 'Period', placeholder: '1m'},
      {key: 'action', label: 'Action', options: ['block', 'log']},
      {key: 'mitigation_timeout', label: 'Blocked for', placeholder: 'the period'},
    ],
    columns: [['ID', r => h('span', {class: 'mono'}, r.id)], ['Action', r => h('b', {}, r.action)],
      ['Limit', r => r.requests + ' per ' + r.period + ' by ' + r.characteristics.join(', ')],
      ['Expression', r => r.expression === null ? h('span', {class: 'muted'}, 'every request') : h('code', {class: 'mono'}, r.expression)]]},
  {list: 'ip_access', title: 'IP access rules', what: 'IP rule', prefix: 'ip', idKey: 'ip',
    note: 'The most specific block containing the visitor decides; allow skips the firewall rules and rate limits.',
    fields: [
      {key: 'ip', label: 'Address or block', placeholder: '203.0.113.0/24'},
      {key: 'action', label: 'Action', options: ['block', 'allow', 'log']},
      {key: 'note', label: 'Note', placeholder: 'why (never shown to visitors)'},
    ],
    columns: [['Address', r => h('span', {class: 'mono'}, r.ip)], ['Action', r => h('b', {}, r.action)], ['Note', r => r.note]]},
];

/** One rule list: its table with an enable switch, edit and delete on each row, and the form that adds or edits one. */
function ruleList(ctx, zone, spec, rules) {
  const base = '/api/zones/' + zone + '/' + spec.list;
  const idOf = r => r[spec.idKey || 'id'];
  const editing = {id: null};
  const inputs = {};
  const slots = {};
  for (const f of spec.fields) {
    const id = spec.prefix + '-' + f.key.replace(/_/g, '-');
    inputs[f.key] = f.options
      ? h('select', {id, name: f.key}, f.options.map(o => h('option', {value: o}, o)))
      : f.textarea ? h('textarea', {id, name: f.key, rows: 2, cols: 48, placeholder: f.placeholder})
      : h('input', {id, name: f.key, type: f.type || 'text', placeholder: f.placeholder, size: f.type === 'number' ? 6 : 16});
    slots[f.key] = h('div', {class: 'field-error', id: id + '-error', 'data-test': 'field-error'});
  }
  const general = h('div', {});
  const submit = h('button', {type: 'submit', class: 'primary', id: spec.prefix + '-save', disabled: !ctx.canEdit}, 'Add ' + spec.what);
  const cancel = h('button', {type: 'button', hidden: true, onclick: () => reset()}, 'Cancel');
  function reset() {
    editing.id = null;
    for (const f of spec.fields) if (!f.options) inputs[f.key].value = '';
    submit.textContent = 'Add ' + spec.what;
    cancel.hidden = true;
  }
  function edit(r) {
    editing.id = idOf(r);
    for (const f of spec.fields) {
      const v = f.fromRule ? f.fromRule(r) : r[f.key];
      inputs[f.key].value = v === null || v === undefined ? '' : String(v);
    }
    submit.textContent = 'Save ' + spec.what;
    cancel.hidden = false;
  }
  const form = h('form', {class: 'inline rule-form', id: spec.prefix + '-form', onsubmit: async ev => {
    ev.preventDefault();
    const body = {};
    for (const f of spec.fields) {
      const v = inputs[f.key].value.trim();
      // in an edit, an emptied field is removed (back to its default); in a new rule it is left out
      if (v === '') { if (editing.id !== null) body[f.key] = null; continue; }
      body[f.key] = f.toJson ? f.toJson(v) : v;
    }
    try {
      if (editing.id === null) await api.post(base, body);
      else await api.patch(base + '/' + api.enc(editing.id), body);
      toast(editing.id === null ? 'The ' + spec.what + ' is added.' : 'The ' + spec.what + ' is saved.');
      ctx.reload();
    } catch (e) {
      showRefusal(e, slots, general);
    }
  }},
  spec.fields.map(f => h('label', {class: f.textarea ? 'wide' : null}, f.label, inputs[f.key], slots[f.key])), submit, cancel);

  const enabledSwitch = r => h('button', {class: 'proxied ' + (r.enabled ? 'on' : 'off'), 'data-test': 'rule-switch',
    'aria-pressed': String(Boolean(r.enabled)), disabled: !ctx.canEdit,
    onclick: () => change(ctx, idOf(r) + (r.enabled ? ' is off.' : ' is on.'),
      () => api.patch(base + '/' + api.enc(idOf(r)), {enabled: !r.enabled}))}, r.enabled ? 'On' : 'Off');
  return card(spec.title, h('p', {class: 'muted'}, spec.note),
    table([['Enabled', enabledSwitch], ...spec.columns,
      ['', r => h('span', {}, h('button', {class: 'link', 'data-test': 'rule-edit', disabled: !ctx.canEdit, onclick: () => edit(r)}, 'Edit'), ' ',
        h('button', {class: 'link danger', 'data-test': 'rule-delete', disabled: !ctx.canEdit, onclick: () => {
          if (confirm('Delete ' + spec.what + ' ' + idOf(r) + '?')) {
            change(ctx, 'The ' + spec.what + ' is deleted.', () => api.del(base + '/' + api.enc(idOf(r))));
          }
        }}, 'Delete'))],
    ], rules, spec.list + '-row'),
    ctx.canEdit ? h('div', {}, h('h3', {}, 'Add or edit'), general, form) : null);
}

export async function security(ctx) {
  const zone = needZone(ctx);
  const [lists, events] = await Promise.all([
    Promise.all(RULE_LISTS.map(spec => api.get('/api/zones/' + zone + '/' + spec.list))),
    api.get('/api/zones/' + zone + '/security/events?limit=100')]);
  return h('div', {class: 'stack'}, readOnlyNote(ctx),
    RULE_LISTS.map((spec, i) => ruleList(ctx, zone, spec, api.listOf(lists[i]))),
    card('Security events of ' + ctx.zone,
      h('p', {class: 'muted'}, 'The latest requests a firewall rule, an IP rule or a rate limit acted on, newest first.'),
      table([
        ['Time', e => when(e.time)], ['Action', e => h('b', {}, e.action)], ['Kind', e => e.kind],
        ['Rule', e => h('span', {class: 'mono'}, e.rule)], ['Client', e => h('span', {class: 'mono'}, e.client_ip)],
        ['Request', e => e.host + e.path],
        ['Ray', e => e.ray ? h('a', {href: '#/errors/' + e.ray, class: 'mono'}, e.ray) : '—'],
      ], api.listOf(events, 'events'), 'security-row')));
}

// ---------------------------------------------------------------- Incidents

export async function incidents(ctx) {
  const list = (await api.get('/api/incidents')).incidents;
  const columns = [
    ['Host', i => h('b', {}, i.host)],
    ['Started', i => when(i.started)],
    ['Ended', i => i.ended ? when(i.ended) : h('span', {class: 'state state-degraded'}, 'still open')],
    ['Failures', i => i.failures + ' of ' + i.rays + ' rays · ' + Object.entries(i.codes).map(([c, n]) => c + ' ×' + n).join(', ')],
    ['Verdict', i => i.verdict ? h('span', {}, i.verdict, i.confidence ? h('span', {class: 'muted'}, ' (' + i.confidence + ')') : null)
      : h('span', {class: 'muted'}, 'the doctor has not run yet')],
    ['Sample rays', i => i.sample_rays.map(r => h('a', {href: '#/errors/' + api.enc(r), class: 'mono', 'data-test': 'incident-ray'}, r + ' '))],
  ];
  return h('div', {class: 'stack'},
    card('Open incidents', h('p', {class: 'muted'}, 'A host whose origin keeps failing (521–526) is an incident until its rays succeed again.'),
      table(columns, list.filter(i => i.state === 'open'), 'incident-open')),
    card('Past incidents', table(columns, list.filter(i => i.state !== 'open'), 'incident-closed')));
}

// ---------------------------------------------------------------- Audit

export async function audit(ctx) {
  const entries = api.listOf(await api.get('/api/audit?limit=200'), 'entries', 'audit', 'changes');
  return card('Audit log',
    h('p', {class: 'muted'}, 'Every change made through the API or this dashboard, newest first: who (the token\'s name), when, from where, and what.'),
    table([
      ['Time', e => when(e.time)], ['Token', e => h('b', {}, e.token || '—')], ['From', e => h('span', {class: 'mono'}, e.address)],
      ['Request', e => h('span', {class: 'mono'}, e.method + ' ' + e.path)],
      ['Change', e => h('span', {class: 'mono'}, typeof e.change === 'string' ? e.change : JSON.stringify(e.change))],
      ['Result', e => h('span', {class: 'result-' + String(e.result).split(/[ :]/)[0]}, typeof e.result === 'string' ? e.result : JSON.stringify(e.result))],
    ], entries, 'audit-row'));
}

// ---------------------------------------------------------------- Fleet

export async function fleet(ctx) {
  let list;
  try {
    list = await api.get('/api/fleet/nodes');
  } catch (e) {
    if (e.code === 'no_fleet') {
      return card('Fleet', h('p', {}, 'This node stands alone: its config has no fleet section. ' +
        'Several nodes share one config on etcd with a fleet: section (see "Running a fleet" in the README).'));
    }
    throw e;
  }
  return card('Fleet', h('p', {class: 'muted'}, 'Config revision ' + list.config_revision + ' on etcd under ' + list.prefix + '.'),
    table([
      ['Node', n => h('b', {}, n.name)],
      ['Location', n => n.location || '—'],
      ['Revision', n => h('span', {class: n.behind ? 'state state-degraded' : ''}, String(n.revision) + (n.behind ? ' (behind)' : ''))],
      ['Version', n => n.version || '—'],
      ['Last seen', n => when(n.last_seen) + (n.seen_seconds_ago >= 0 ? ' (' + n.seen_seconds_ago + ' s ago)' : '')],
      ['Admin', n => h('span', {class: 'mono'}, n.admin_url || '—')],
      ['Problem', n => n.config_problem ? h('span', {class: 'state state-unhealthy'}, n.config_problem) : '—'],
    ], list.nodes || [], 'fleet-row'));
}
