// The client against a real mesh (scripts/test.sh starts it and names its ports):
// WEFT_TEST_TCP (internal gate), WEFT_TEST_TCP_EXTERNAL, WEFT_TEST_HTTP (the external gate's HTTP side).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Code, WeftError, connect } from '../src/node.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with scripts/test.sh`);
  }
  const [host, port] = value.split(':');
  return { host, port: Number(port) };
};

const internal = env('WEFT_TEST_TCP');
const external = env('WEFT_TEST_TCP_EXTERNAL');
const http = env('WEFT_TEST_HTTP');
const wsUrl = `ws://${http.host}:${http.port}/ws`;
const open = [];

async function client(options) {
  const c = await connect(options);
  open.push(c);
  return c;
}

async function token(subject) {
  const response = await fetch(`http://${http.host}:${http.port}/dev/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Subject: subject }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).Token;
}

/** Resolves with the next push of `method` to `c`, as `{args, meta}`. */
function nextPush(c, method, within = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${method} push within ${within} ms`)), within);
    c.onPush(method, (args, meta) => {
      clearTimeout(timer);
      resolve({ args, meta });
    });
  });
}

/** Waits until `check()` is true, polling (the mesh's instances register asynchronously). */
async function until(check, within = 10000) {
  const deadline = Date.now() + within;
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch (e) {
      if (Date.now() > deadline) {
        throw e;
      }
    }
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(() => {
  for (const c of open) {
    c.close();
  }
});

describe('over TCP (internal gate)', () => {
  test('calls answer with the reply', async () => {
    const c = await client(internal);
    await until(async () => (await c.call('echo', 'Echo', { Text: 'hi' })).Text === 'hi');
    assert.deepEqual(await c.call('echo', 'Echo', { Text: 'hi', N: 3, List: [1, 'two'] }), { Text: 'hi', N: 3, List: [1, 'two'] });
  });

  test('calls in flight are answered each under its own id', async () => {
    const c = await client(internal);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => c.call('echo', 'Echo', { N: i })));
    assert.deepEqual(replies.map((r) => r.N), Array.from({ length: 50 }, (_, i) => i));
  });

  test('failures reject with the wire code and error', async () => {
    const c = await client(internal);
    await assert.rejects(c.call('echo', 'Fail', { Message: 'boom' }),
      (e) => e instanceof WeftError && e.code === Code.INTERNAL && e.error.includes('boom'));
    await assert.rejects(c.call('nosuch', 'Thing'), (e) => e.code === Code.UNAVAILABLE);
    await assert.rejects(c.call('echo', 'NoSuchMethod'), (e) => e.code === Code.UNIMPLEMENTED);
  });

  test('a call past its budget is answered 4', async () => {
    const c = await client(internal);
    const started = Date.now();
    await assert.rejects(c.call('echo', 'Sleep', { Ms: 3000 }, { timeoutMs: 200 }), (e) => e.code === Code.DEADLINE_EXCEEDED);
    assert.ok(Date.now() - started < 2500, 'answered at the budget, not when the sleep ended');
  });

  test('a one-way call runs without an answer', async () => {
    const c = await client(internal);
    await c.login('oneway-js');
    const pushed = nextPush(c, 'Echoed');
    c.send('echo', 'PushMe', { ClientId: 'oneway-js', Text: 'fire and forget' });
    assert.equal((await pushed).args.Text, 'fire and forget');
  });

  test('calls on a closed connection reject with 14', async () => {
    const c = await client(internal);
    const closed = new Promise((resolve) => c.onClose(resolve));
    c.close();
    await closed;
    await assert.rejects(c.call('echo', 'Echo', {}), (e) => e.code === Code.UNAVAILABLE);
  });
});

describe('over WebSocket (external gate)', () => {
  test('an authenticated client calls public methods only', async () => {
    const c = await client({ url: wsUrl, token: await token('alice') });
    assert.ok(c.connId);
    await until(async () => (await c.call('echo', 'Echo', { Text: 'ws' })).Text === 'ws');
    await assert.rejects(c.call('echo', 'Sleep', { Ms: 1 }), (e) => e.code === Code.PERMISSION_DENIED);
    // Past the 16 KiB allowed before auth.
    const big = 'z'.repeat(200000);
    assert.equal((await c.call('echo', 'Echo', { Text: big })).Text, big);
  });

  test('a bad token rejects the connect with 16', async () => {
    await assert.rejects(connect({ url: wsUrl, token: 'v1.nope.bad.bad' }), (e) => e.code === Code.UNAUTHENTICATED);
  });

  test('a logged-in client gets pushes, and safe ones are acknowledged', async () => {
    const sender = await client(internal);
    const subject = `bob-${Date.now()}`;
    // Stored while bob is offline, restored at his login, acknowledged by the client.
    await until(async () => (await sender.call('echo', 'PushMe', { ClientId: subject, Text: 'stored', Safe: true })).PushId);
    const bob = await client({ url: wsUrl, token: await token(subject) });
    const restored = nextPush(bob, 'Echoed');
    await bob.login(subject);
    const first = await restored;
    assert.equal(first.args.Text, 'stored');
    assert.equal(first.meta.safe, true);
    assert.equal(first.meta.clientId, subject);

    const live = nextPush(bob, 'Echoed');
    await sender.call('echo', 'PushMe', { ClientId: subject, Text: 'live' });
    assert.deepEqual((await live).meta, { clientId: subject, pushId: '', safe: false });

    // Acknowledged: a later login restores nothing more (the next push seen is a new one).
    bob.close();
    const again = await client({ url: wsUrl, token: await token(subject) });
    const next = nextPush(again, 'Echoed');
    await again.login(subject);
    await sender.call('echo', 'PushMe', { ClientId: subject, Text: 'after' });
    assert.equal((await next).args.Text, 'after');
  });

  test('logging in as another subject is refused', async () => {
    const c = await client({ url: wsUrl, token: await token('carol') });
    await assert.rejects(c.login('mallory'), (e) => e.code === Code.PERMISSION_DENIED);
  });
});

describe('over TCP (external gate)', () => {
  test('auth, then calls', async () => {
    const c = await client({ ...external, token: await token('dave') });
    await until(async () => (await c.call('echo', 'Echo', { Text: 'tcp' })).Text === 'tcp');
  });
});

describe('the HTTP gateway', () => {
  test('answers calls as JSON, errors with their status', async () => {
    const t = await token('erin');
    const post = (method, body) => fetch(`http://${http.host}:${http.port}/rpc/demo/echo/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t}` },
      body: JSON.stringify(body),
    });
    let ok;
    await until(async () => (ok = await post('Echo', { Text: 'http' })).status === 200);
    assert.deepEqual(await ok.json(), { Text: 'http' });
    const denied = await post('Sleep', { Ms: 1 });
    assert.equal(denied.status, 403);
    assert.equal((await denied.json()).code, Code.PERMISSION_DENIED);
  });
});
