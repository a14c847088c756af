module.exports = require('../unused-module.js')('@slack/socket-mode');
