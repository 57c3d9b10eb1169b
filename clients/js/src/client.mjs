// The Weft client, independent of what carries its frames (docs/PROTOCOL.md sections 5, 7, 12):
// a transport delivers whole frame bodies and sends them; this file speaks the protocol.
import { decode, encode } from '@msgpack/msgpack';

/** Wire status codes (PROTOCOL.md section 4). */
export const Code = Object.freeze({
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5,
  ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9,
  ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
});

const CODE_NAMES = Object.fromEntries(Object.entries(Code).map(([name, value]) => [value, name]));

/** A call, login or auth that failed: `code` is the wire code, `message` the gate's or service's error. */
export class WeftError extends Error {
  constructor(code, message) {
    super(`${code} ${CODE_NAMES[code] ?? 'UNKNOWN'}${message ? `: ${message}` : ''}`);
    this.name = 'WeftError';
    this.code = code;
    this.error = message ?? '';
  }
}

const ENCODE = { ignoreUndefined: true };
/** Grace after a call's budget for the gate's own answer 4 before the client gives up itself. */
const TIMEOUT_GRACE_MS = 1000;
const DEFAULT_TIMEOUT_MS = 10000;

/** Encodes one frame body, `[name, args]`. */
export function encodeBody(name, args) {
  return encode([name, args], ENCODE);
}

/** Decodes one frame body into `{name, args}`; throws on anything but `[str, map]`. */
export function decodeBody(bytes) {
  const body = decode(bytes, { useBigInt64: false });
  if (!Array.isArray(body) || body.length !== 2 || typeof body[0] !== 'string'
      || body[1] === null || typeof body[1] !== 'object' || Array.isArray(body[1])) {
    throw new Error('malformed frame body');
  }
  return { name: body[0], args: body[1] };
}

/**
 * One connection to a gate. Made by `connect` (node.mjs: TCP or WebSocket; browser.mjs:
 * WebSocket), never directly.
 */
export class WeftClient {
  /**
   * @param transport `{send(bytes), close(), onFrame, onClose}`: carries whole frame bodies.
   * @param options `{namespace, timeoutMs, heartbeatMs}`
   */
  constructor(transport, options = {}) {
    this.namespace = options.namespace ?? 'demo';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connId = undefined;
    this.gate = undefined;
    this.closed = false;
    this._transport = transport;
    this._nextRid = 1;
    this._pending = new Map();
    this._pushHandlers = new Map();
    this._closeHandlers = [];
    this._errorHandlers = [];
    this._lastReceived = Date.now();
    this._auth = null;
    transport.onFrame = (bytes) => this._received(bytes);
    transport.onClose = (reason) => this._closed(reason);
    this._heartbeat(options.heartbeatMs ?? 10000);
  }

  /** Authenticates (the first frame on an external gate); resolves to `{connId, gate}`. */
  auth(token, label) {
    if (this._auth) {
      return Promise.reject(new Error('auth was sent already'));
    }
    return new Promise((resolve, reject) => {
      this._auth = { resolve, reject };
      this._send('MSG_C2G_AUTH', { Version: 1, Token: token, Client: label });
    });
  }

  /**
   * Calls `service.method(args)` and resolves to the reply, or rejects with a `WeftError`.
   * `options`: `namespace`, `timeoutMs` (the call's budget), `orderKey`, `hashKey`, `tags`, `trace`.
   */
  call(service, method, args = {}, options = {}) {
    if (this.closed) {
      return Promise.reject(new WeftError(Code.UNAVAILABLE, 'connection closed'));
    }
    const rid = this._rid();
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(rid);
        reject(new WeftError(Code.DEADLINE_EXCEEDED, `no answer within ${timeoutMs} ms`));
      }, timeoutMs + TIMEOUT_GRACE_MS);
      this._pending.set(rid, {
        timer,
        settle: (a) => (a.Code ? reject(new WeftError(a.Code, a.Error)) : resolve(a.Reply ? decode(a.Reply) : null)),
      });
      this._send('MSG_C2G_RPC_ROUTE', this._route(rid, service, method, args, { ...options, timeoutMs }));
    });
  }

  /** Calls without waiting for an answer (`Rid` 0: none comes, not even an error). */
  send(service, method, args = {}, options = {}) {
    if (!this.closed) {
      this._send('MSG_C2G_RPC_ROUTE', this._route(0, service, method, args, options));
    }
  }

  /** Binds `clientId` to this connection: pushes for it come here (section 12). */
  login(clientId) {
    return this._request('MSG_GATE_LOGIN', { ClientId: clientId });
  }

  logoff(clientId) {
    return this._request('MSG_GATE_LOGOFF', { ClientId: clientId });
  }

  /**
   * Handles pushes of `method`: `handler(args, {clientId, pushId, safe})`. A safe push is
   * acknowledged (`MSG_PUSH_REPLY`) once the handler's result settles without throwing;
   * safe pushes come at least once, so handlers de-duplicate by `pushId`. `'*'` handles any
   * method without its own handler (`handler(method, args, meta)`).
   */
  onPush(method, handler) {
    this._pushHandlers.set(method, handler);
    return this;
  }

  /** `handler(reason)` once the connection has closed. */
  onClose(handler) {
    this._closeHandlers.push(handler);
    return this;
  }

  /** `handler(WeftError)` for `MSG_ERROR`: a problem the gate reports not tied to a request. */
  onError(handler) {
    this._errorHandlers.push(handler);
    return this;
  }

  close() {
    this._transport.close();
  }

  _route(rid, service, method, args, options) {
    return {
      Rid: rid,
      Namespace: options.namespace ?? this.namespace,
      ServiceName: service,
      InnerRpc: encode([method, args], ENCODE),
      Timeout: options.timeoutMs,
      OrderKey: options.orderKey,
      HashKey: options.hashKey,
      Tags: options.tags,
      Trace: options.trace,
    };
  }

  _request(name, args) {
    if (this.closed) {
      return Promise.reject(new WeftError(Code.UNAVAILABLE, 'connection closed'));
    }
    const rid = this._rid();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(rid);
        reject(new WeftError(Code.DEADLINE_EXCEEDED, `no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs + TIMEOUT_GRACE_MS);
      this._pending.set(rid, {
        timer,
        settle: (a) => (a.Code ? reject(new WeftError(a.Code, a.Error)) : resolve()),
      });
      this._send(name, { Rid: rid, ...args });
    });
  }

  _rid() {
    const rid = this._nextRid;
    this._nextRid = rid >= Number.MAX_SAFE_INTEGER ? 1 : rid + 1;
    return rid;
  }

  _send(name, args) {
    this._transport.send(encodeBody(name, args));
  }

  _received(bytes) {
    this._lastReceived = Date.now();
    let frame;
    try {
      frame = decodeBody(bytes);
    } catch (e) {
      // The protocol's answer to a malformed frame: close (section 1).
      this._closeReason = 'malformed frame from the gate';
      this.close();
      return;
    }
    const a = frame.args;
    switch (frame.name) {
      case 'MSG_G2C_RPC_RSP': {
        const call = this._pending.get(a.Rid);
        if (call) {
          this._pending.delete(a.Rid);
          clearTimeout(call.timer);
          call.settle(a);
        }
        break;
      }
      case 'MSG_G2C_PUSH':
        this._push(a);
        break;
      case 'MSG_G2C_AUTH_RSP': {
        const auth = this._auth;
        if (!auth) {
          break;
        }
        if (a.Code) {
          auth.reject(new WeftError(a.Code, a.Error));
        } else {
          this.connId = a.ConnId;
          this.gate = a.Gate;
          auth.resolve({ connId: a.ConnId, gate: a.Gate, heartbeatSec: a.HeartbeatSec });
        }
        break;
      }
      case 'MSG_HEART_BEAT_REQ':
        this._send('MSG_HEART_BEAT_RSP', {});
        break;
      case 'MSG_HEART_BEAT_RSP':
        break;
      case 'MSG_ERROR':
        for (const h of this._errorHandlers) {
          h(new WeftError(a.Code ?? Code.UNKNOWN, a.Error));
        }
        break;
      default:
        // An unknown message from the gate: ignored (forward compatibility).
        break;
    }
  }

  async _push(a) {
    let method;
    let args;
    try {
      [method, args] = decode(a.InnerRpc);
    } catch (e) {
      return;
    }
    const meta = { clientId: a.ClientId, pushId: a.PushId, safe: !!a.PushId };
    const own = this._pushHandlers.get(method);
    const any = this._pushHandlers.get('*');
    try {
      if (own) {
        await own(args, meta);
      } else if (any) {
        await any(method, args, meta);
      }
    } catch (e) {
      // Not acknowledged: the push comes again with the next login.
      return;
    }
    if (meta.safe && !this.closed) {
      this._send('MSG_PUSH_REPLY', { ClientId: a.ClientId, PushId: a.PushId });
    }
  }

  _heartbeat(idleMs) {
    this._heartbeatTimer = setInterval(() => {
      const quiet = Date.now() - this._lastReceived;
      if (quiet >= 2 * idleMs) {
        this._closeReason = 'heartbeat dead';
        this.close();
      } else if (quiet >= idleMs) {
        this._send('MSG_HEART_BEAT_REQ', {});
      }
    }, idleMs);
    // In Node, an idle client must not keep the process alive.
    this._heartbeatTimer.unref?.();
  }

  _closed(reason) {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearInterval(this._heartbeatTimer);
    const why = this._closeReason ?? reason ?? 'closed';
    const error = new WeftError(Code.UNAVAILABLE, `connection closed: ${why}`);
    for (const call of this._pending.values()) {
      clearTimeout(call.timer);
      call.settle({ Code: Code.UNAVAILABLE, Error: error.error });
    }
    this._pending.clear();
    if (this._auth) {
      this._auth.reject(error);
    }
    for (const h of this._closeHandlers) {
      h(why);
    }
  }
}

/**
 * A transport over a WebSocket (the browser's, or Node's global one): one binary message per
 * frame body (PROTOCOL.md sections 2 and 15). Resolves once open.
 */
export function webSocketTransport(url, WebSocketImpl = globalThis.WebSocket) {
  if (!WebSocketImpl) {
    return Promise.reject(new Error('no WebSocket here: pass one, or run Node 22+ (Node 20: --experimental-websocket)'));
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocketImpl(url);
    ws.binaryType = 'arraybuffer';
    let opened = false;
    const transport = {
      onFrame: null,
      onClose: null,
      send: (bytes) => {
        if (ws.readyState === 1) {
          ws.send(bytes);
        }
      },
      close: () => ws.close(1000),
    };
    ws.onopen = () => {
      opened = true;
      resolve(transport);
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        transport.close();
        return;
      }
      transport.onFrame?.(new Uint8Array(event.data));
    };
    ws.onerror = () => {
      if (!opened) {
        reject(new Error(`cannot connect to ${url}`));
      }
    };
    ws.onclose = (event) => {
      if (!opened) {
        reject(new Error(`cannot connect to ${url} (${event.code})`));
      }
      transport.onClose?.(`WebSocket closed ${event.code}${event.reason ? ` ${event.reason}` : ''}`);
    };
  });
}

/** Connects over a transport promise and authenticates when given a token. */
export async function open(transportPromise, options = {}) {
  const transport = await transportPromise;
  const client = new WeftClient(transport, options);
  if (options.token !== undefined) {
    try {
      await client.auth(options.token, options.label);
    } catch (e) {
      client.close();
      throw e;
    }
  }
  return client;
}
