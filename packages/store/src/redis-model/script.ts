/**
 * A Lua script of the data model. `keys` is how many of its arguments are keys: every key the
 * script touches is passed in KEYS (none is built inside the script), so Redis Cluster can route
 * it and refuse it when its keys span slots.
 */
export interface ScriptSpec {
  readonly name: string;
  readonly lua: string;
  readonly keys: number;
}
