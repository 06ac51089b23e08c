// Echo server on Node's `ws` (Debian's node-ws): every message back as it came, permessage-deflate offered.
// Prints the port it listens on (loopback only) as its first line, then serves until killed.
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
// 9.x sends 16 MiB messages; maxPayload's default (100 MiB) already takes them.
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: true });
server.on('listening', () => console.log(server.address().port));
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('error', () => {});
});
