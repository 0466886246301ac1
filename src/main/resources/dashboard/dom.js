// Building the page from API data with textContent only: a host name or a log field can never
// become markup.

/** h('td', {class: 'x', onclick: f}, 'text', child, [more]) → an element. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A table: columns are [heading, row => cell content]; rows get data-test when given. */
export function table(columns, rows, rowTest) {
  return h('div', {class: 'table-wrap'},
    h('table', {},
      h('thead', {}, h('tr', {}, columns.map(([head]) => h('th', {}, head)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, 'Nothing here yet.'))
        : rows.map(r => h('tr', {'data-test': rowTest}, columns.map(([head, cell]) => h('td', {'data-label': head}, cell(r))))))));
}

/** A message box for the API's error (its message, as the API wrote it) or a note. */
export function notice(text, kind = 'error') {
  return h('p', {class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status', 'data-test': 'notice-' + kind}, text);
}

/** Shows a short message at the bottom of the screen (errors stay until the next one). */
export function toast(text, kind = 'ok') {
  const t = document.getElementById('toast');
  t.replaceChildren(notice(text, kind));
}

export function card(title, ...children) {
  return h('section', {class: 'card'}, title ? h('h2', {}, title) : null, children);
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function ms(v) {
  return v === null || v === undefined ? '—' : (Math.round(v * 10) / 10) + ' ms';
}
