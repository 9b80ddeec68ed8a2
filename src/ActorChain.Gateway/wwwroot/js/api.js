// The node's HTTP API (docs/http-api.md) as the page calls it.

const keyStorage = 'actorchain.apiKey';

export function apiKey() {
  try {
    return localStorage.getItem(keyStorage) ?? '';
  } catch {
    return '';
  }
}

export function setApiKey(key) {
  try {
    if (key) {
      localStorage.setItem(keyStorage, key);
    } else {
      localStorage.removeItem(keyStorage);
    }
  } catch {
    // Private mode may refuse storage; the key then lasts only for this page.
  }
}

export function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

// Every error body is problem+json; its detail says what was wrong, so that is what the user sees.
export async function problemOf(response) {
  let detail = '';
  try {
    const body = await response.json();
    detail = body.detail || body.title || '';
  } catch {
    // Not JSON (a proxy's page, an empty body): fall back to the status line.
  }
  return new ApiError(response.status, detail || `${response.status} ${response.statusText}`.trim());
}

export function problemText(status, text) {
  try {
    const body = JSON.parse(text);
    if (body.detail || body.title) {
      return body.detail || body.title;
    }
  } catch {
    // Same fallback as problemOf.
  }
  return status ? `HTTP ${status}` : 'The node did not answer.';
}

export async function getJson(path, signal) {
  const response = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders() }, signal });
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response.json();
}

export async function sendJson(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response.json();
}

export const contentUrl = id => `/api/files/${encodeURIComponent(id)}/content`;

export function shortHash(hash) {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}

// One element with attributes and children: enough DOM building that no template engine is needed.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'className') {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

export function formatSize(bytes) {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
