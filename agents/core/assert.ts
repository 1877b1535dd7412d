// The one exhaustiveness idiom: every switch over a union ends in `default: return assertNever(x)`,
// so adding a member does not compile until every switch handles it.

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
