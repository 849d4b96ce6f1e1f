// SPDX-License-Identifier: GPL-3.0-or-later
// The socket.io chat server most tutorials build: io.emit to everyone on each message.
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || process.env.PORT || 8791);
const httpServer = createServer();
const io = new Server(httpServer, { transports: ['websocket'], perMessageDeflate: false });
io.on('connection', (socket) => {
  socket.on('msg', (text) => io.emit('msg', text));
});
httpServer.listen(port, '127.0.0.1', () => console.log('ready'));
