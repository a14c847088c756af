module.exports = require('../unused-module.js')('@slack/oauth');
