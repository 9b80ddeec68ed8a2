import { authHeaders, el, formatSize, problemText } from './api.js';

// Two at a time keeps the link busy without one huge file starving the rest.
const concurrency = 2;

const drop = document.getElementById('drop');
const input = document.getElementById('file-input');
const tagsInput = document.getElementById('upload-tags');
const list = document.getElementById('uploads');
const totalBar = document.getElementById('total-progress');
const totalText = document.getElementById('total-text');

let batch = [];
let queue = [];
let running = 0;

function send(item) {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/files');
  for (const [name, value] of Object.entries(authHeaders())) {
    xhr.setRequestHeader(name, value);
  }
  // Header values are ASCII; the gateway percent-decodes names and tags, as encodeURIComponent writes them.
  xhr.setRequestHeader('X-File-Name', encodeURIComponent(item.file.name));
  xhr.setRequestHeader('Content-Type', item.file.type || 'application/octet-stream');
  if (item.tags) {
    xhr.setRequestHeader('X-Tags', encodeURIComponent(item.tags));
  }
  xhr.upload.addEventListener('progress', event => {
    item.loaded = event.lengthComputable ? event.loaded : item.loaded;
    item.bar.value = item.size ? item.loaded / item.size : 0;
    updateTotal();
  });
  xhr.addEventListener('load', () => {
    if (xhr.status === 200 || xhr.status === 201) {
      const file = JSON.parse(xhr.responseText);
      finish(item, 'done', xhr.status === 201 ? `Stored at height ${file.height}` : 'Already stored', file.fileId);
    } else {
      finish(item, 'error', problemText(xhr.status, xhr.responseText));
    }
  });
  xhr.addEventListener('error', () => finish(item, 'error', 'The upload failed: the node did not answer.'));
  xhr.addEventListener('abort', () => finish(item, 'error', 'Cancelled.'));
  item.started = true;
  item.cancel.onclick = () => xhr.abort();
  item.state.textContent = 'Uploading…';
  xhr.send(item.file);
}

function finish(item, outcome, text, fileId) {
  if (item.outcome) {
    return;
  }
  item.outcome = outcome;
  item.loaded = item.size;
  item.bar.value = 1;
  item.cancel.remove();
  item.row.dataset.state = outcome;
  item.state.className = outcome === 'error' ? 'error' : 'ok';
  item.state.replaceChildren(
    text,
    fileId ? ' · ' : '',
    fileId ? el('a', { href: `#/files/${fileId}` }, 'view') : '');
  if (item.started) {
    running--;
    pump();
  }
  updateTotal();
}

function pump() {
  while (running < concurrency && queue.length) {
    running++;
    send(queue.shift());
  }
}

function updateTotal() {
  const size = batch.reduce((sum, item) => sum + item.size, 0);
  const loaded = batch.reduce((sum, item) => sum + item.loaded, 0);
  totalBar.value = size ? loaded / size : 0;
  const finished = batch.filter(item => item.outcome);
  const failed = finished.filter(item => item.outcome === 'error').length;
  totalText.textContent = finished.length === batch.length
    ? `${finished.length - failed} of ${batch.length} uploaded${failed ? `, ${failed} failed` : ''}.`
    : `${formatSize(loaded)} of ${formatSize(size)} · ${finished.length} of ${batch.length} files done`;
}

function add(files) {
  if (!files.length) {
    return;
  }
  if (batch.every(item => item.outcome)) {
    batch = [];
  }
  const tags = tagsInput.value.split(',').map(t => t.trim()).filter(Boolean).join(',');
  for (const file of files) {
    const bar = el('progress', { max: 1, value: 0, 'aria-label': `Progress of ${file.name}` });
    const state = el('span', { className: 'state' }, 'Waiting');
    const cancel = el('button', { type: 'button', className: 'remove', 'aria-label': `Cancel ${file.name}` }, '×');
    const row = el('li', { 'data-name': file.name },
      el('span', { className: 'name' }, file.name),
      el('span', { className: 'size' }, formatSize(file.size)),
      bar, state, cancel);
    const item = { file, size: file.size, loaded: 0, tags, bar, state, cancel, row, outcome: null, started: false };
    cancel.onclick = () => {
      queue = queue.filter(queued => queued !== item);
      finish(item, 'error', 'Cancelled.');
    };
    list.prepend(row);
    batch.push(item);
    queue.push(item);
  }
  updateTotal();
  pump();
}

input.addEventListener('change', () => {
  add([...input.files]);
  input.value = '';
});

for (const name of ['dragenter', 'dragover']) {
  drop.addEventListener(name, event => {
    event.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', event => {
  event.preventDefault();
  drop.classList.remove('over');
  add([...(event.dataTransfer?.files ?? [])]);
});

// A file dropped beside the drop zone would otherwise make the browser navigate away to it.
for (const name of ['dragover', 'drop']) {
  window.addEventListener(name, event => {
    if (!drop.contains(event.target)) {
      event.preventDefault();
    }
  });
}

export const upload = {
  enter() {},
};
