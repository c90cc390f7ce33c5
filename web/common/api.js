// Calls of the JSON API. Every failure becomes an ApiError that carries the server's
// {"error":{"code","message","field"}} (or one of the same shape made here), so one
// function (i18n errorMessage) turns any failure into words for the user.
import { language } from '/common/i18n.js';

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    super(body.error.code);
    this.status = status;
    this.body = body;
    this.code = body.error.code;
    this.field = body.error.field ?? null;
    this.retryAfter = retryAfter;
  }

  // Worth trying again later, unchanged (the connection, a busy or failing server).
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

// An error made on the phone, in the API's shape: problem('missing_field', 'text').
export function problem(code, field = null, status = 400) {
  return new ApiError(status, { error: { code, message: '', field } });
}

export function isNetworkError(e) {
  return e instanceof ApiError && e.status === 0;
}

function fallbackCode(status) {
  if (status === 404) return 'not_found';
  if (status === 413) return 'body_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'bad_request';
}

// api('/api/v1/areas') → parsed JSON; api(path, {method: 'POST', body, token}).
export async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const h = { Accept: 'application/json', 'Accept-Language': language(), ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, {
      method, headers: h, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw problem('network', null, 0);
  }
  let doc = null;
  if ((res.headers.get('content-type') || '').includes('json')) {
    try { doc = await res.json(); } catch { doc = null; }
  }
  if (!res.ok) {
    const body2 = doc && doc.error && doc.error.code
      ? doc : { error: { code: fallbackCode(res.status), message: '', field: null } };
    throw new ApiError(res.status, body2, res.headers.get('Retry-After'));
  }
  return doc;
}

// A file of the API (an attachment) as a Blob.
export async function apiBlob(path, { token } = {}) {
  let res;
  try {
    res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  } catch {
    throw problem('network', null, 0);
  }
  if (!res.ok) throw new ApiError(res.status, { error: { code: fallbackCode(res.status), message: '', field: null } });
  return res.blob();
}
