// The admin API as the dashboard uses it: the session cookie travels by itself (HttpOnly, so this
// code never sees it); the CSRF value lives only in this module's memory and goes with every change.

let csrf = null;
let who = null;
const signedOutListeners = [];

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function identity() {
  return who;
}

export function canEdit() {
  return who !== null && who.scope === 'edit';
}

export function onSignedOut(f) {
  signedOutListeners.push(f);
}

function remember(session) {
  who = {name: session.name, scope: session.scope};
  csrf = session.csrf;
  return who;
}

function forget() {
  who = null;
  csrf = null;
}

/** The live session, or null when there is none (the API answers 401). */
export async function resume() {
  try {
    return remember(await call('GET', '/api/session'));
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(token) {
  return remember(await call('POST', '/api/session', {token}));
}

export async function signOut() {
  try {
    await call('DELETE', '/api/session');
  } finally {
    forget();
  }
}

/** One API call; a non-2xx answer throws ApiError carrying the API's own message. */
export async function call(method, path, body) {
  const headers = {'Accept': 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf !== null) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, {method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'The admin API did not answer (' + e.message + ').', null);
  }
  const text = await res.text();
  let data = text;
  if ((res.headers.get('Content-Type') || '').includes('json') && text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  if (res.ok) return data;
  const err = data && typeof data === 'object' && data.error ? data.error : null;
  const message = err && err.message ? err.message : (typeof data === 'string' && data.trim() ? data.trim() : res.status + ' ' + res.statusText);
  const failure = new ApiError(res.status, err ? err.code : 'http_' + res.status, message, err ? err.field : null);
  // an expired or revoked session: back to the sign-in page (a failed sign-in is not one)
  if (res.status === 401 && path !== '/api/session' && who !== null) {
    forget();
    signedOutListeners.forEach(f => f(failure));
  }
  throw failure;
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const put = (path, body) => call('PUT', path, body);
export const patch = (path, body) => call('PATCH', path, body);
export const del = path => call('DELETE', path);

/** A list out of an answer that is either the list or an object holding it under one of these keys. */
export function listOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const k of keys) if (data && Array.isArray(data[k])) return data[k];
  return [];
}

export const enc = encodeURIComponent;
