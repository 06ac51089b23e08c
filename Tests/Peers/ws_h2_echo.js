// Echo server for WebSockets over HTTP/2 (RFC 8441): Node's http2 module with extended CONNECT enabled
// (settings.enableConnectProtocol), and Debian's node-ws speaking RFC 6455 on each stream, with permessage-deflate
// negotiated as ws's own server does it. Cleartext HTTP/2 (h2c, prior knowledge) on loopback.
// Prints the port it listens on as its first line, then serves until killed.
'use strict';
const http2 = require('http2');
const path = require('path');
const WebSocket = require('ws');
// ws exports neither; its server negotiates permessage-deflate with them, and so does this one.
const wsLib = path.join(path.dirname(require.resolve('ws')), 'lib');
const PerMessageDeflate = require(path.join(wsLib, 'permessage-deflate.js'));
const extension = require(path.join(wsLib, 'extension.js'));

const port = Number(process.argv[2] || 0);
// 9.x sends 16 MiB messages; ws's own default (100 MiB) takes them.
const maxPayload = 100 * 1024 * 1024;
const server = http2.createServer({ settings: { enableConnectProtocol: true } });

server.on('stream', (stream, headers) => {
  stream.on('error', () => {});
  if (headers[':method'] !== 'CONNECT' || headers[':protocol'] !== 'websocket') {
    stream.respond({ ':status': 400 }, { endStream: true });
    return;
  }
  if (headers['sec-websocket-version'] !== '13') {
    stream.respond({ ':status': 400, 'sec-websocket-version': '13' }, { endStream: true });
    return;
  }
  const response = { ':status': 200 };
  const extensions = {};
  const offered = headers['sec-websocket-extensions'];
  if (offered !== undefined) {
    const perMessageDeflate = new PerMessageDeflate({}, true, maxPayload);
    try {
      const offers = extension.parse(offered);
      if (offers[PerMessageDeflate.extensionName]) {
        perMessageDeflate.accept(offers[PerMessageDeflate.extensionName]);
        extensions[PerMessageDeflate.extensionName] = perMessageDeflate;
        response['sec-websocket-extensions'] = extension.format({
          [PerMessageDeflate.extensionName]: [perMessageDeflate.params]
        });
      }
    } catch (error) {
      stream.respond({ ':status': 400 }, { endStream: true });
      return;
    }
  }
  stream.respond(response);
  // ws sets TCP_NODELAY on the socket it is given; a stream has no such option.
  stream.setNoDelay = () => {};
  const socket = new WebSocket(null);
  socket._extensions = extensions;
  socket.setSocket(stream, Buffer.alloc(0), { maxPayload, skipUTF8Validation: false });
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('error', () => {});
});
server.on('sessionError', () => {});
server.listen(port, '127.0.0.1', () => console.log(server.address().port));
