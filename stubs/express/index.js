module.exports = require('../unused-module.js')('express');
