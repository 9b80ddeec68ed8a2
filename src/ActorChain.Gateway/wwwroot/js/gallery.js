import { contentUrl, el, formatSize, getJson, sendJson } from './api.js';

const pageSize = 60;
const debounceMs = 250;

const form = document.getElementById('search');
const grid = document.getElementById('grid');
const status = document.getElementById('gallery-status');
const more = document.getElementById('more');
const place = document.getElementById('q-place');

let timer = 0;
let inFlight = null;
let shown = 0;

// The form as the query of GET /api/search, or null while the place is not yet a valid near or bbox.
function query() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const tag of String(data.get('tag') ?? '').split(',').map(t => t.trim()).filter(Boolean)) {
    params.append('tag', tag);
  }
  const name = String(data.get('name') ?? '').trim();
  if (name) {
    params.set('name', name);
  }
  // Bare dates: the gateway reads a "to" date as the end of that day.
  for (const bound of ['from', 'to']) {
    if (data.get(bound)) {
      params.set(bound, data.get(bound));
    }
  }
  const placeText = String(data.get('place') ?? '').trim();
  place.removeAttribute('aria-invalid');
  if (placeText) {
    const numbers = placeText.split(',').map(s => s.trim());
    if (!numbers.every(n => n !== '' && Number.isFinite(Number(n))) || (numbers.length !== 3 && numbers.length !== 4)) {
      place.setAttribute('aria-invalid', 'true');
      return null;
    }
    params.set(numbers.length === 3 ? 'near' : 'bbox', numbers.join(','));
  }
  return params;
}

function card(file) {
  const isImage = (file.contentType ?? '').startsWith('image/');
  const media = file.media ?? {};
  const preview = isImage
    ? el('img', {
        src: contentUrl(file.fileId),
        alt: file.fileName,
        loading: 'lazy',
        decoding: 'async',
        width: media.width,
        height: media.height,
      })
    : el('span', { className: 'placeholder', 'aria-hidden': 'true' }, (file.contentType ?? 'file').split('/').pop());
  return el('li', { className: 'card', 'data-file-id': file.fileId },
    el('a', { href: `#/files/${file.fileId}` },
      preview,
      el('span', { className: 'name' }, file.fileName),
      file.tags?.length ? el('span', { className: 'tags' }, file.tags.join(', ')) : null));
}

async function load(append) {
  const params = query();
  if (params === null) {
    status.textContent = 'Place needs lat,lon,km or south,west,north,east.';
    return;
  }
  const filtered = [...params.keys()].length > 0;
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const skip = append ? shown : 0;
  params.set('skip', String(skip));
  params.set('take', String(pageSize));
  status.textContent = 'Searching…';
  try {
    const result = await getJson(`${filtered ? '/api/search' : '/api/files'}?${params}`, controller.signal);
    if (!append) {
      grid.replaceChildren();
      shown = 0;
    }
    grid.append(...result.items.map(card));
    shown += result.items.length;
    more.hidden = shown >= result.total;
    status.textContent = result.total === 0
      ? (filtered ? 'No files match.' : 'No files yet: upload some.')
      : `${result.total} file${result.total === 1 ? '' : 's'}${filtered ? ' match' : ''}.`;
  } catch (error) {
    if (error.name !== 'AbortError') {
      status.textContent = `Search failed: ${error.message}`;
    }
  } finally {
    if (inFlight === controller) {
      inFlight = null;
    }
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => load(false), debounceMs);
}

form.addEventListener('input', schedule);
form.addEventListener('submit', event => {
  event.preventDefault();
  clearTimeout(timer);
  load(false);
});
more.addEventListener('click', () => load(true));

export const gallery = {
  enter() {
    // Uploads and tag edits elsewhere change what matches, so every visit asks again.
    load(false);
  },
  leave() {
    clearTimeout(timer);
    inFlight?.abort();
  },
};

const fileTitle = document.getElementById('file-title');
const fileStatus = document.getElementById('file-status');
const fileBody = document.getElementById('file-body');
let fileId = null;

function row(term, ...value) {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function mapLink(lat, lon) {
  const url = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`;
  return el('a', { href: url, rel: 'noopener', target: '_blank' }, `${lat.toFixed(5)}, ${lon.toFixed(5)} (map)`);
}

function fieldValue(value) {
  if (Array.isArray(value)) {
    return value.join(', ');
  }
  if (value && typeof value === 'object' && 'lat' in value && 'lon' in value) {
    return mapLink(value.lat, value.lon);
  }
  return String(value);
}

function renderFile(file) {
  const media = file.media ?? {};
  const isImage = (file.contentType ?? '').startsWith('image/');
  fileTitle.textContent = file.fileName;
  document.title = `${file.fileName} · ActorChain`;

  const exif = [];
  if (media.takenAt) {
    exif.push(...row('Taken', new Date(media.takenAt).toLocaleString()));
  }
  if (media.cameraMake || media.cameraModel) {
    exif.push(...row('Camera', [media.cameraMake, media.cameraModel].filter(Boolean).join(' ')));
  }
  if (media.width && media.height) {
    exif.push(...row('Dimensions', `${media.width} × ${media.height}`));
  }
  if (typeof media.latitude === 'number' && typeof media.longitude === 'number') {
    exif.push(...row('Location', mapLink(media.latitude, media.longitude)));
  }

  const changed = file.updatedHeight && file.updatedHeight !== file.height;
  const fields = Object.entries(file.fields ?? {}).flatMap(([name, value]) => row(name, fieldValue(value)));

  const tagInput = el('input', { id: 'tag-input', type: 'text', autocomplete: 'off', required: true });
  const tagForm = el('form', { className: 'tag-form', onsubmit: event => {
    event.preventDefault();
    const tags = tagInput.value.split(',').map(t => t.trim()).filter(Boolean);
    if (tags.length) {
      editTags(file.fileId, { addTags: tags }, `Added ${tags.join(', ')}`);
    }
  } },
  el('label', { for: 'tag-input' }, 'Add tag'),
  el('div', { className: 'row' }, tagInput, el('button', { type: 'submit' }, 'Add')));

  const tags = el('ul', { className: 'tag-list', 'aria-label': 'Tags' },
    (file.tags ?? []).map(tag => el('li', {},
      el('span', {}, tag),
      el('button', {
        type: 'button',
        className: 'remove',
        'aria-label': `Remove tag ${tag}`,
        onclick: () => editTags(file.fileId, { removeTags: [tag] }, `Removed ${tag}`),
      }, '×'))));

  fileBody.replaceChildren(
    el('figure', {},
      isImage ? el('img', { src: contentUrl(file.fileId), alt: file.fileName, width: media.width, height: media.height }) : null,
      el('figcaption', {}, el('a', { href: contentUrl(file.fileId), target: '_blank', rel: 'noopener' }, 'Open original'))),
    el('div', { className: 'facts' },
      el('h2', {}, 'File'),
      el('dl', {},
        row('Type', file.contentType ?? '—'),
        row('Size', formatSize(file.size)),
        row('SHA-256', el('code', {}, file.sha256)),
        row('Recorded at height', el('span', { 'data-testid': 'height' }, String(file.height))),
        row('Recorded in block', el('code', {}, file.blockHash)),
        changed ? row('Metadata changed at height', String(file.updatedHeight)) : [],
        changed && file.updatedBlockHash ? row('Changed in block', el('code', {}, file.updatedBlockHash)) : []),
      exif.length ? [el('h2', {}, 'Photo'), el('dl', {}, exif)] : null,
      fields.length ? [el('h2', {}, 'Fields'), el('dl', {}, fields)] : null,
      el('h2', {}, 'Tags'),
      file.tags?.length ? tags : el('p', {}, 'No tags yet.'),
      tagForm));
  return tagInput;
}

async function editTags(id, change, done) {
  fileStatus.textContent = 'Saving…';
  try {
    const file = await sendJson('PUT', `/api/files/${encodeURIComponent(id)}/metadata`, change);
    if (id === fileId) {
      renderFile(file).focus();
    }
    fileStatus.textContent = `${done} (committed at height ${file.updatedHeight ?? file.height}).`;
  } catch (error) {
    fileStatus.textContent = `Could not save: ${error.message}`;
  }
}

export const fileView = {
  async enter([id]) {
    fileId = id;
    fileTitle.textContent = 'File';
    fileBody.replaceChildren();
    fileStatus.textContent = 'Loading…';
    try {
      const file = await getJson(`/api/files/${encodeURIComponent(id)}`);
      if (fileId === id) {
        renderFile(file);
        fileStatus.textContent = '';
      }
    } catch (error) {
      fileStatus.textContent = error.status === 404 ? 'No such file.' : `Could not load the file: ${error.message}`;
    }
  },
  leave() {
    fileId = null;
  },
};
