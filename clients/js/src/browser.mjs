// The browser entry: WebSocket only (bundled into dist/weft-client.mjs, served at /weft/).
import { open, webSocketTransport } from './client.mjs';

export { Code, WeftClient, WeftError } from './client.mjs';

/**
 * Connects to a gate's WebSocket, e.g. `connect({url: 'ws://127.0.0.1:7080/ws', token})`;
 * without `url`, the `/ws` of the page's own origin. Options: `token`, `label`, `namespace`,
 * `timeoutMs`, `heartbeatMs`.
 */
export function connect(options = {}) {
  const url = options.url ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
  return open(webSocketTransport(url, options.WebSocket), options);
}
