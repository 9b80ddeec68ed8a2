import { el, getJson, shortHash } from './api.js';

const pollMs = 1000;
const pageBlocks = 20;

const agree = document.getElementById('agree');
const membersBody = document.querySelector('#members tbody');
const blocksList = document.getElementById('blocks');
const older = document.getElementById('blocks-older');
const verifyButton = document.getElementById('verify');
const verifyResult = document.getElementById('verify-result');

let active = false;
let timer = 0;
// Heights shown in the explorer: [oldest, newest], or null before the first load.
let shownRange = null;
let loadingBlocks = false;

function setAgreement(state, text) {
  agree.dataset.state = state;
  // Rewriting identical text would make screen readers repeat it every second.
  if (agree.textContent !== text) {
    agree.textContent = text;
  }
}

// On a busy chain heads differ for a moment after every block; only a gap that lasts (or a member
// that cannot be heard from) is reported as disagreement.
const settleMs = 3000;
let differSince = 0;

function label(m) {
  return m.nodeId ?? m.address;
}

function judge(members) {
  const up = members.filter(m => m.status === 'Up').sort((a, b) => String(label(a)).localeCompare(String(label(b))));
  if (up.length === 0) {
    differSince = 0;
    return ['unknown', 'No member is Up yet.'];
  }
  const unknown = up.filter(m => !m.headHash);
  if (unknown.length) {
    differSince = 0;
    return ['unknown', `Head not known yet for ${unknown.map(label).join(', ')}.`];
  }
  const first = up[0];
  if (up.every(m => m.height === first.height && m.headHash === first.headHash)) {
    differSince = 0;
    return ['agree', `All ${up.length} heads agree: height ${first.height}, hash ${shortHash(first.headHash)}`];
  }
  differSince ||= Date.now();
  const heads = up.map(m => `${label(m)} at ${m.height}${m.reachable ? '' : ' (unreachable)'}`).join(', ');
  return up.some(m => !m.reachable) || Date.now() - differSince >= settleMs
    ? ['differ', `Heads differ: ${heads}.`]
    : ['syncing', `Heads converging: ${heads}.`];
}

function renderMembers(members) {
  const rows = [...members]
    .sort((a, b) => String(a.nodeId ?? a.address).localeCompare(String(b.nodeId ?? b.address)))
    .map(m => el('tr', { 'data-node': m.nodeId ?? m.address },
      el('th', { scope: 'row', 'data-label': 'Node' }, m.nodeId ?? '—'),
      el('td', { 'data-label': 'Address' }, m.address),
      el('td', { 'data-label': 'Status' }, el('span', { className: `badge status-${String(m.status).toLowerCase()}` }, m.status)),
      el('td', { 'data-label': 'Reachable' }, el('span', { className: m.reachable ? 'badge ok' : 'badge bad' }, m.reachable ? 'reachable' : 'unreachable')),
      el('td', { 'data-label': 'Voter' }, m.voter ? 'yes' : 'no'),
      el('td', { 'data-label': 'Height' }, m.height >= 0 ? String(m.height) : '—'),
      el('td', { 'data-label': 'Head hash' }, m.headHash ? el('code', { title: m.headHash }, shortHash(m.headHash)) : '—')));
  membersBody.replaceChildren(...rows);
}

async function tick() {
  if (!active) {
    return;
  }
  if (!document.hidden) {
    try {
      const [members, head] = await Promise.all([getJson('/api/cluster/members'), getJson('/api/chain/head')]);
      if (!active) {
        return;
      }
      renderMembers(members);
      setAgreement(...judge(members));
      if (shownRange && head.height > shownRange[1]) {
        await prependNewer(head.height);
      }
    } catch (error) {
      setAgreement('error', `This node does not answer: ${error.message}`);
    }
  }
  if (active) {
    timer = setTimeout(tick, pollMs);
  }
}

function time(ms) {
  if (!ms) {
    return 'genesis';
  }
  const date = new Date(ms);
  return el('time', { datetime: date.toISOString() }, date.toLocaleString());
}

function blockItem(block) {
  const entries = block.entries.length
    ? el('div', { className: 'scroll' },
        el('table', { className: 'entries' },
          el('caption', { className: 'visually-hidden' }, `Entries of block ${block.height}`),
          el('thead', {}, el('tr', {}, ['Kind', 'Key', 'Origin', 'Size', 'Id'].map(h => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, block.entries.map(e => el('tr', {},
            el('td', { 'data-label': 'Kind' }, e.kind),
            el('td', { 'data-label': 'Key' }, e.key ?? '—'),
            el('td', { 'data-label': 'Origin' }, e.origin),
            el('td', { 'data-label': 'Size' }, `${e.payloadSize} B`),
            el('td', { 'data-label': 'Id' }, el('code', {}, e.id)))))))
    : el('p', {}, 'No entries.');
  return el('li', { 'data-height': block.height },
    el('details', {},
      el('summary', {},
        el('strong', {}, `#${block.height}`), ' ',
        el('code', {}, shortHash(block.hash)), ' · ',
        `${block.entryCount} entr${block.entryCount === 1 ? 'y' : 'ies'} · `,
        time(block.timestamp)),
      el('dl', {},
        el('dt', {}, 'Hash'), el('dd', {}, el('code', {}, block.hash)),
        el('dt', {}, 'Previous'), el('dd', {}, el('code', {}, block.prevHash)),
        el('dt', {}, 'Entries root'), el('dd', {}, el('code', {}, block.entriesRoot)),
        el('dt', {}, 'Proposer'), el('dd', {}, block.proposer)),
      entries));
}

function fetchBlocks(from, to) {
  return getJson(`/api/chain/blocks?from=${from}&count=${to - from + 1}`);
}

async function loadRecent() {
  if (loadingBlocks) {
    return;
  }
  loadingBlocks = true;
  try {
    const head = await getJson('/api/chain/head');
    const from = Math.max(0, head.height - pageBlocks + 1);
    const blocks = await fetchBlocks(from, head.height);
    blocksList.replaceChildren(...blocks.reverse().map(blockItem));
    shownRange = [from, head.height];
    older.hidden = from === 0;
  } catch (error) {
    verifyResult.textContent = `Could not load blocks: ${error.message}`;
  } finally {
    loadingBlocks = false;
  }
}

async function prependNewer(height) {
  if (loadingBlocks) {
    return;
  }
  loadingBlocks = true;
  try {
    const from = shownRange[1] + 1;
    const to = Math.min(height, from + 99);
    const blocks = await fetchBlocks(from, to);
    blocksList.prepend(...blocks.reverse().map(blockItem));
    shownRange = [shownRange[0], to];
  } catch {
    // The next poll tries again; the agreement line already says when the node does not answer.
  } finally {
    loadingBlocks = false;
  }
}

older.addEventListener('click', async () => {
  if (!shownRange || shownRange[0] === 0 || loadingBlocks) {
    return;
  }
  loadingBlocks = true;
  try {
    const to = shownRange[0] - 1;
    const from = Math.max(0, to - pageBlocks + 1);
    const blocks = await fetchBlocks(from, to);
    blocksList.append(...blocks.reverse().map(blockItem));
    shownRange = [from, shownRange[1]];
    older.hidden = from === 0;
  } catch (error) {
    verifyResult.textContent = `Could not load blocks: ${error.message}`;
  } finally {
    loadingBlocks = false;
  }
});

document.getElementById('blocks-refresh').addEventListener('click', loadRecent);

verifyButton.addEventListener('click', async () => {
  verifyButton.disabled = true;
  verifyResult.dataset.state = 'running';
  verifyResult.textContent = 'Verifying the chain from genesis…';
  try {
    const result = await getJson('/api/chain/verify');
    verifyResult.dataset.state = result.valid ? 'valid' : 'invalid';
    verifyResult.textContent = result.valid
      ? `Chain valid: every block from genesis to height ${result.height} checks out.`
      : `Chain INVALID at height ${result.firstInvalidHeight ?? '?'}: ${result.reason ?? 'no reason given'}.`;
  } catch (error) {
    verifyResult.dataset.state = 'error';
    verifyResult.textContent = `Verification failed: ${error.message}`;
  } finally {
    verifyButton.disabled = false;
  }
});

export const cluster = {
  enter() {
    active = true;
    differSince = 0;
    clearTimeout(timer);
    tick();
    loadRecent();
  },
  leave() {
    active = false;
    clearTimeout(timer);
  },
};
