// The demo page: a user logs in with a development token (the gate's POST /dev/token), joins
// the room "lobby" of demo/chat, and sees its lines, the leaderboard and its friends live, all
// through one WebSocket to the gate (/ws) with the gate's own client (/weft/weft-client.mjs).
import { connect } from '/weft/weft-client.mjs';

const ROOM = 'lobby';
const $ = (id) => document.getElementById(id);
let gate;
const members = new Set();
const shown = new Set();
// Lines pushed before the Join call answered: shown after the history it returns.
let early = [];

function status(text, kind) {
  $('status').textContent = text;
  $('status').className = `status ${kind ?? ''}`;
}

function notice(text) {
  const li = document.createElement('li');
  li.textContent = text;
  $('notices').prepend(li);
  while ($('notices').children.length > 8) $('notices').lastChild.remove();
}

/** Runs an action, showing its failure instead of losing it. */
async function attempt(what, action) {
  try {
    return await action();
  } catch (e) {
    notice(`${what} failed: ${e.code ?? ''} ${e.error ?? e.message}`);
    return undefined;
  }
}

/** Shows a line once (a pushed line may also be in the history the join returned). */
function showLine(line) {
  if (shown.has(line.Seq)) return false;
  shown.add(line.Seq);
  const li = document.createElement('li');
  li.className = line.Kind;
  li.dataset.seq = line.Seq;
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = line.From;
  li.append(from, document.createTextNode(line.Kind === 'gift' ? `sent ${line.Text}` : line.Text));
  $('messages').append(li);
  $('messages').scrollTop = $('messages').scrollHeight;
  return true;
}

/** A line pushed live: someone joined, said something or sent a gift. */
function received(line) {
  if (early) {
    early.push(line);
    return;
  }
  if (!showLine(line)) return;
  if (line.Kind === 'join') {
    members.add(line.From);
    showMembers();
  }
  if (line.Kind === 'gift') refreshLeaderboard();
}

function showMembers() {
  $('members').textContent = [...members].join(', ');
}

async function refreshLeaderboard() {
  const board = await attempt('Leaderboard', () => gate.call('leaderboard', 'Top', { N: 10 }));
  if (!board) return;
  $('leaderboard').replaceChildren(...board.Entries.map((e) => {
    const li = document.createElement('li');
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = e.Score;
    li.append(document.createTextNode(e.User), score);
    return li;
  }));
}

async function refreshFriends() {
  const list = await attempt('Friends', () => gate.call('friends', 'List', {}));
  if (!list) return;
  $('friends').replaceChildren(...list.Friends.map((f) => {
    const li = document.createElement('li');
    li.className = f.Online ? 'online' : 'offline';
    li.textContent = f.User;
    return li;
  }));
  $('requests').replaceChildren(...list.Requests.map((from) => {
    const li = document.createElement('li');
    const accept = document.createElement('button');
    accept.textContent = 'Accept';
    accept.addEventListener('click', () => addFriend(from));
    li.append(document.createTextNode(`${from} asks to be friends`), accept);
    return li;
  }));
}

async function addFriend(user) {
  const added = await attempt('Add friend', () => gate.call('friends', 'Add', { User: user }));
  if (added) notice(added.Status === 'friends' ? `${user} and you are friends` : `asked ${user} to be friends`);
  await refreshFriends();
}

async function logIn(name) {
  status('connecting');
  const response = await fetch('/dev/token', { method: 'POST', body: JSON.stringify({ Subject: name }) });
  if (!response.ok) throw new Error(`no token: HTTP ${response.status}`);
  const { Token } = await response.json();
  gate = await connect({ token: Token, label: 'demo-page' });
  gate.onPush('Message', received);
  gate.onPush('FriendRequest', ({ From }) => {
    notice(`${From} asks to be friends`);
    refreshFriends();
  });
  gate.onPush('FriendAdded', ({ User }) => {
    notice(`${User} and you are friends`);
    refreshFriends();
  });
  gate.onPush('FriendOnline', ({ User }) => {
    notice(`${User} is online`);
    refreshFriends();
  });
  gate.onClose((why) => status(`offline: ${why ?? 'closed'}`, 'error'));
  await gate.login(name);
  $('me').textContent = name;
  $('login').hidden = true;
  $('app').hidden = false;
  const joined = await gate.call('chat', 'Join', { Room: ROOM });
  joined.Members.forEach((m) => members.add(m));
  const pushed = early;
  early = null;
  joined.History.forEach(showLine);
  pushed.forEach(received);
  showMembers();
  await attempt('Hello', () => gate.call('friends', 'Hello', {}));
  await Promise.all([refreshLeaderboard(), refreshFriends()]);
  status(`online as ${name}`, 'online');
  // Presence changes without a push when a friend leaves: look again now and then.
  setInterval(refreshFriends, 5000);
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  logIn($('login-name').value.trim()).catch((err) => status(`login failed: ${err.error ?? err.message}`, 'error'));
});

$('say').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('say-text').value;
  $('say-text').value = '';
  await attempt('Send', () => gate.call('chat', 'Say', { Room: ROOM, Text: text }));
});

$('gift').addEventListener('submit', async (e) => {
  e.preventDefault();
  const args = { To: $('gift-to').value.trim(), Gift: 'rose', Value: Number($('gift-value').value), Room: ROOM };
  if (await attempt('Gift', () => gate.call('chat', 'SendGift', args))) await refreshLeaderboard();
});

$('friend').addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = $('friend-name').value.trim();
  $('friend-name').value = '';
  await addFriend(user);
});
