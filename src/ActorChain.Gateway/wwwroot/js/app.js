import { apiKey, setApiKey } from './api.js';
import { gallery, fileView } from './gallery.js';
import { upload } from './upload.js';
import { cluster } from './cluster.js';

// Each view: a section, and enter(args)/leave() so polling runs only while it is shown.
const views = { gallery, file: fileView, upload, cluster };
let current = null;

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const name = parts[0] === 'files' ? 'file' : parts[0];
  return views[name] ? { name, args: parts.slice(1) } : { name: 'gallery', args: [] };
}

function route() {
  const { name, args } = parseHash();
  if (current) {
    current.view.leave?.();
    document.getElementById(`view-${current.name}`).hidden = true;
  }
  const section = document.getElementById(`view-${name}`);
  section.hidden = false;
  for (const link of document.querySelectorAll('nav a')) {
    const active = link.dataset.view === name || (name === 'file' && link.dataset.view === 'gallery');
    if (active) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const firstVisit = current === null;
  current = { name, view: views[name] };
  views[name].enter(args);
  document.title = `${section.querySelector('h1').textContent} · ActorChain`;
  // Screen readers and keyboards start at the new view's heading, as after a page load.
  if (!firstVisit) {
    const heading = section.querySelector('h1');
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
}

function setUpKeyForm() {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const summary = form.closest('details').querySelector('summary');
  const label = () => {
    summary.textContent = apiKey() ? 'API key (set)' : 'API key';
  };
  input.value = apiKey();
  label();
  form.addEventListener('submit', event => {
    event.preventDefault();
    setApiKey(input.value.trim());
    label();
    form.closest('details').open = false;
    summary.focus();
  });
  document.getElementById('key-clear').addEventListener('click', () => {
    input.value = '';
    setApiKey('');
    label();
  });
}

setUpKeyForm();
window.addEventListener('hashchange', route);
if (!location.hash) {
  history.replaceState(null, '', '#/gallery');
}
route();
