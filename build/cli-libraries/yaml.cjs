module.exports = require('./load.cjs')().yaml;
