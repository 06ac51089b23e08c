// Node's `ws` client under test (Debian's node-ws), driven as ws's own Autobahn|Testsuite driver (test/autobahn.js)
// drives the fuzzingserver: getCaseCount, then runCase for each case (echoing every message, text as text and binary
// as binary), then updateReports. ws's defaults (permessage-deflate offered, as a user gets it); maxPayload's
// default (100 MiB) already takes 9.x's 16 MiB messages.
//
//     env NODE_PATH=/usr/share/nodejs node ws_client.js ws://127.0.0.1:9001 [AGENT]
'use strict';
const WebSocket = require('ws');

const server = (process.argv[2] || 'ws://127.0.0.1:9001').replace(/\/+$/, '');
const agent = process.argv[3] || 'ws';
const caseDeadline = 60 * 1000;

let currentCase = 1;
let caseCount;

function nextCase() {
  if (currentCase > caseCount) {
    const ws = new WebSocket(`${server}/updateReports?agent=${agent}`);
    ws.on('close', () => process.exit(0));
    ws.on('error', (error) => { console.error(`updateReports: ${error.message}`); process.exit(1); });
    return;
  }
  const ws = new WebSocket(`${server}/runCase?case=${currentCase}&agent=${agent}`);
  // A stuck case must not hang the loop: at the deadline the connection is dropped.
  const deadline = setTimeout(() => {
    console.error(`case ${currentCase}: no end within ${caseDeadline / 1000} s; dropping the connection`);
    ws.terminate();
  }, caseDeadline);
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('close', () => {
    clearTimeout(deadline);
    currentCase++;
    process.nextTick(nextCase);
  });
  ws.on('error', (error) => console.error(`case ${currentCase}: ${error.message}`));  // the case judges how it went
}

const ws = new WebSocket(`${server}/getCaseCount`);
ws.on('message', (data) => { caseCount = parseInt(data); });
ws.on('close', () => {
  if (caseCount > 0) nextCase();
  else process.exit(1);
});
ws.on('error', (error) => { console.error(`getCaseCount: ${error.message}`); process.exit(1); });
