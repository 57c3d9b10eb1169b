// The Node entry: TCP (length-prefixed frames, PROTOCOL.md section 1) or WebSocket.
import net from 'node:net';
import tls from 'node:tls';
import { open, webSocketTransport } from './client.mjs';

export { Code, WeftClient, WeftError, decodeBody, encodeBody } from './client.mjs';

const LENGTH_BYTES = 4;
const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Connects to a gate: `{url: 'ws://host:port/ws'}` over WebSocket, else `{host, port}` over TCP
 * (`tls: true` or TLS options for TLS). Options: `token`, `label`, `namespace`, `timeoutMs`,
 * `heartbeatMs`, `maxFrameBytes` (TCP: the largest frame accepted from the gate).
 */
export function connect(options = {}) {
  if (options.url) {
    return open(webSocketTransport(options.url, options.WebSocket), options);
  }
  return open(tcpTransport(options), options);
}

function tcpTransport({ host = '127.0.0.1', port = 7001, tls: tlsOptions, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES }) {
  return new Promise((resolve, reject) => {
    const socket = tlsOptions
      ? tls.connect({ host, port, servername: host, ...(tlsOptions === true ? {} : tlsOptions) })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    let opened = false;
    let buffered = Buffer.alloc(0);
    const transport = {
      onFrame: null,
      onClose: null,
      send: (body) => {
        const header = Buffer.allocUnsafe(LENGTH_BYTES);
        header.writeUInt32BE(body.length, 0);
        socket.cork();
        socket.write(header);
        socket.write(body);
        socket.uncork();
      },
      close: () => socket.end(),
    };
    socket.once(tlsOptions ? 'secureConnect' : 'connect', () => {
      opened = true;
      resolve(transport);
    });
    socket.on('data', (chunk) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= LENGTH_BYTES) {
        const length = buffered.readUInt32BE(0);
        if (length === 0 || length > maxFrameBytes) {
          socket.destroy(new Error(`frame of ${length} bytes from the gate`));
          return;
        }
        if (buffered.length < LENGTH_BYTES + length) {
          break;
        }
        const body = buffered.subarray(LENGTH_BYTES, LENGTH_BYTES + length);
        buffered = buffered.subarray(LENGTH_BYTES + length);
        transport.onFrame?.(body);
      }
    });
    socket.on('error', (e) => {
      if (!opened) {
        reject(e);
      }
    });
    socket.on('close', () => transport.onClose?.('socket closed'));
  });
}
