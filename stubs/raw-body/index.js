module.exports = require('../unused-module.js')('raw-body');
