// A configuration error always names the place: file:line:column, the setting's path in the config
// (block.devices[1].set.read_ahead_kb) and the reason. Generators catch nothing: a ConfigError
// reaches the CLI before any file is written.

export interface Position {
  line: number;
  col: number;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly position: Position | undefined,
    readonly reason: string,
  ) {
    super(`${file}${position ? `:${position.line}:${position.col}` : ''}: ${reason}`);
    this.name = 'ConfigError';
  }
}
