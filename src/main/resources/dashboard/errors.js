// Errors, one ray's whole story, and the doctor: the owner's side of "what failed, where, why".
import * as api from './api.js';
import {h, table, notice, toast, card, when, ms} from './dom.js';

/** The titles of the edge's error page, by the code in its body (DESIGN.md's taxonomy). */
const TITLES = {
  520: 'Web server is returning an unknown error', 521: 'Web server is down', 522: 'Connection timed out',
  523: 'Origin is unreachable', 524: 'A timeout occurred', 525: 'SSL handshake failed', 526: 'Invalid SSL certificate',
  530: 'Origin DNS error', 1000: 'DNS points to prohibited IP', 1001: 'DNS resolution error', 1003: 'Direct IP access not allowed',
  1015: 'You are being rate limited', 1016: 'Origin DNS error', 1018: 'Zone paused', 1020: 'Access denied',
  1200: 'Too many connections to the origin', 1201: 'Every origin is disabled',
};
/** Which of the page's three boxes (visitor, edge, host) is marked as failing. */
const FAILED_BOX = code => (code >= 1000 && code !== 1016 ? 1 : 2);

const RAY = /^[0-9a-f]{16}-[A-Za-z0-9]+$/;

export async function errors(ctx) {
  const input = h('input', {id: 'ray-input', placeholder: '8f3a1c0d2b4e6a71-AMS', size: 26, 'aria-label': 'Ray id',
    value: ctx.arg || ''});
  const lookup = h('form', {class: 'inline', id: 'ray-form', onsubmit: ev => {
    ev.preventDefault();
    const ray = input.value.trim().replace(/^.*ray id:?\s*/i, '');
    location.hash = '#/errors/' + encodeURIComponent(ray);
  }}, h('label', {}, 'Ray id (from the error page or the Edge-Ray header)', input), h('button', {type: 'submit', class: 'primary'}, 'Look up'));
  const parts = [card('Look up a ray', lookup)];
  if (ctx.arg) parts.push(await rayStory(ctx.arg));
  parts.push(await latestErrors(ctx));
  if (!ctx.arg) ctx.every(5000, async () => {
    const el = document.getElementById('errors-list');
    if (el) el.replaceWith(await latestErrors(ctx).catch(e => card('Latest edge errors', notice(e.message))));
  });
  return h('div', {class: 'stack'}, parts);
}

async function latestErrors(ctx) {
  const q = ctx.zone ? '?zone=' + api.enc(ctx.zone) + '&limit=50' : '?limit=50';
  const lines = api.listOf(await api.get('/api/errors' + q), 'errors', 'lines');
  return h('section', {class: 'card', id: 'errors-list'}, h('h2', {}, 'Latest edge errors' + (ctx.zone ? ' for ' + ctx.zone : '')),
    h('p', {class: 'muted'}, 'Answers of status 500 and up, and the edge\'s own refusals, newest first. Click a ray id for its story.'),
    table([
      ['Time', l => when(l.time)],
      ['Status', l => h('span', {class: 'code-' + String(l.status)[0] + 'xx', 'data-test': 'error-status'}, String(l.edge_code || l.status))],
      ['Failure', l => l.failure || '—'],
      ['Request', l => h('span', {class: 'mono'}, l.method + ' ' + l.host + l.path)],
      ['Ray', l => h('a', {href: '#/errors/' + l.ray, class: 'mono', 'data-test': 'ray-link'}, l.ray)],
    ], lines, 'error-row'));
}

async function rayStory(ray) {
  if (!RAY.test(ray)) {
    return card('Ray ' + ray, notice('A ray id is 16 hexadecimal characters, a dash and the node\'s name, like 8f3a1c0d2b4e6a71-AMS.'));
  }
  let l;
  try {
    l = await api.get('/api/rays/' + api.enc(ray));
  } catch (e) {
    return card('Ray ' + ray, notice(e.message));
  }
  const code = l.edge_code || l.status;
  const edgeMade = l.failure || l.edge_code || (l.status >= 520 && l.status <= 530);
  const attempts = l.attempts || [];
  const t = l.timings || {};
  const known = new Set(['time', 'ray', 'node', 'client_ip', 'method', 'host', 'path', 'zone', 'status', 'origin_status',
    'failure', 'proxy_status', 'edge_code', 'detail', 'abort', 'origin_addr', 'attempts', 'bytes_in', 'bytes_out', 'timings', 'user_agent']);
  const extra = Object.entries(l).filter(([k]) => !known.has(k));
  return h('section', {class: 'card', id: 'ray-story'},
    h('h2', {}, 'Ray ', h('span', {class: 'mono'}, l.ray)),
    h('div', {class: 'grid'},
      h('div', {},
        h('h3', {}, 'The request'),
        table([['', r => r[0]], ['', r => r[1]]], [
          ['Time', when(l.time)], ['Visitor', l.client_ip], ['Request', l.method + ' ' + l.host + l.path],
          ['Zone', l.zone || '—'], ['Edge node', l.node], ['Answer', String(l.status) + (l.edge_code ? ' (code ' + l.edge_code + ')' : '')],
          ['Origin answered', l.origin_status ? String(l.origin_status) : 'no answer'],
          ['Failure class', h('b', {id: 'ray-failure'}, l.failure || 'none')],
          ['Proxy-Status', l.proxy_status || '—'], ['Detail', l.detail || '—'], ['Origin address', l.origin_addr || '—'],
          ['Timings', 'total ' + ms(t.total_ms) + ', connect ' + ms(t.connect_ms) + ', first byte ' + ms(t.ttfb_ms)],
          ['Bytes', l.bytes_in + ' in, ' + l.bytes_out + ' out'], l.abort ? ['Cut short', l.abort] : null,
        ].filter(Boolean))),
      h('div', {}, h('h3', {}, 'What the visitor saw'), edgeMade ? visitorPage(l, code)
        : h('p', {}, 'The origin\'s own answer, ' + l.status + ', passed through.'))),
    h('h3', {}, 'Attempts (' + attempts.length + ')'),
    table([
      ['#', a => String(attempts.indexOf(a) + 1)], ['Origin', a => h('span', {class: 'mono'}, a.origin)],
      ['Pool origin', a => a.pool_origin || '—'], ['Outcome', a => h('b', {}, a.failure || 'answered')],
      ['Detail', a => a.detail || '—'], ['Connect', a => ms(a.connect_ms)], ['Reused', a => a.reused ? 'yes' : 'no'],
    ], attempts, 'attempt-row'),
    extra.length ? [h('h3', {}, 'Cache, security and other fields'),
      table([['', ([k]) => k], ['', ([, v]) => h('span', {class: 'mono'}, typeof v === 'object' ? JSON.stringify(v) : String(v))]], extra)] : null,
    h('details', {}, h('summary', {}, 'The access-log line'), h('pre', {}, JSON.stringify(l, null, 2))));
}

function visitorPage(l, code) {
  const failed = FAILED_BOX(code);
  const boxes = ['You — Browser', 'Edge (' + l.node + ')', l.host + ' — Host'];
  return h('div', {class: 'visitor-page', id: 'visitor-page'},
    h('h3', {}, 'Error ' + code), h('p', {}, TITLES[code] || 'Edge error'),
    h('div', {class: 'boxes'}, boxes.map((b, i) => h('div', {class: i === failed ? 'failed' : ''}, b, h('br'), i === failed ? 'Error' : 'Working'))),
    h('p', {class: 'muted mono'}, 'Ray ID: ' + l.ray + ' · ' + l.client_ip + ' · ' + when(l.time)));
}

// ---------------------------------------------------------------- Doctor

export async function doctor(ctx) {
  const host = h('input', {id: 'doctor-host', value: ctx.zone || '', required: true, size: 24, 'aria-label': 'Host'});
  const out = h('div', {id: 'doctor-report'});
  const run = h('button', {type: 'submit', class: 'primary', id: 'doctor-run', disabled: !ctx.canEdit}, 'Run the doctor');
  const everywhere = h('input', {type: 'checkbox', id: 'doctor-fleet'});
  const form = h('form', {class: 'inline', onsubmit: async ev => {
    ev.preventDefault();
    run.disabled = true;
    const fleet = everywhere.checked;
    out.replaceChildren(h('p', {class: 'loading'}, 'Checking ' + host.value + (fleet ? ' from every node of the fleet…' : ' from this edge… (up to a minute)')));
    try {
      const r = await api.post('/api/doctor', {host: host.value.trim(), fleet});
      out.replaceChildren(fleet ? locations(r) : report(r));
    } catch (e) {
      out.replaceChildren(notice(e.message));
    } finally {
      run.disabled = false;
    }
  }}, h('label', {}, 'Host', host), h('label', {}, everywhere, ' from every location'), run);
  return h('div', {class: 'stack'}, card('Doctor',
    h('p', {class: 'muted'}, 'Checks the records, the origin directly and through the edge, TLS, the edge\'s egress and the access log for one host, ' +
      'then gives a verdict and a message ready to send to your hosting provider.'),
    ctx.canEdit ? null : notice('Running the doctor needs an edit token (it connects to your origins).', 'info'), form), out);
}

/** The doctor run by every node: the sentence, then a row per location. */
function locations(r) {
  return card('From every location: ' + r.host, h('p', {id: 'doctor-summary'}, h('b', {}, r.summary)),
    table([
      ['Node', l => h('b', {}, l.node)],
      ['Location', l => l.location || '—'],
      ['Sees', l => h('span', {class: l.answered && l.exit_code === 0 ? 'state-healthy' : 'state-unhealthy'},
        !l.answered ? 'no answer' : l.failure ? l.failure + (l.code ? ' (' + l.code + ')' : '') : l.exit_code === 0 ? 'answers' : 'a problem')],
      ['Verdict', l => l.answered ? (l.verdict || l.cause) : l.error],
      ['Ray', l => l.ray ? h('span', {class: 'mono'}, l.ray) : '—'],
    ], r.locations || [], 'location-row'));
}

function report(r) {
  const v = r.verdict || {};
  const support = h('pre', {id: 'support-message'}, r.support_message || '');
  return h('div', {class: 'stack'},
    card('Verdict for ' + r.host, h('p', {id: 'doctor-verdict'}, h('b', {}, v.verdict || v.cause || '—'),
      v.confidence ? ' (' + v.confidence + ' confidence)' : ''),
    v.evidence ? h('p', {}, v.evidence) : null, v.where_to_fix ? h('p', {}, h('b', {}, 'Where to fix: '), v.where_to_fix) : null,
    (r.next_steps || []).length ? [h('h3', {}, 'Next steps'), h('ol', {}, r.next_steps.map(s => h('li', {}, s)))] : null),
    card('Checks', table([
      ['Check', c => c.title], ['Outcome', c => h('b', {class: 'outcome-' + c.outcome}, c.outcome)], ['Summary', c => c.summary],
      ['Evidence', c => (c.evidence || []).length ? h('details', {}, h('summary', {}, c.evidence.length + (c.evidence.length === 1 ? ' line' : ' lines')),
        h('pre', {}, c.evidence.join('\n'))) : '—'],
    ], r.checks || [], 'check-row')),
    card('Support message', h('p', {class: 'muted'}, 'Send this to whoever runs the origin; it quotes the evidence and the ray ids.'),
      h('button', {id: 'copy-support', onclick: () => copy(r.support_message || '')}, 'Copy'), support));
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Support message copied.');
  } catch (e) {
    // no clipboard permission (an HTTP page on another host): select it for Ctrl+C instead
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('support-message'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    toast('Selected: press Ctrl+C (or ⌘C) to copy.', 'info');
  }
}
