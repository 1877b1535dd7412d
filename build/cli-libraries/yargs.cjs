module.exports = require('./load.cjs')().yargs;
