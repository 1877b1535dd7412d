// The second bundle: the libraries only CLI commands use. Agent actions (a monitor every few
// seconds per resource) never parse or compile them; see load.cjs.
export { default as yargs } from 'yargs';
export * as yaml from 'yaml';
