let registered: Promise<void> | undefined;

/**
 * Makes every TypeScript module imported from now on compiled as it loads (tsx, over esbuild), so a
 * bot may use what Node's type stripping refuses (`enum`, parameter properties, namespaces) and
 * extensionless relative imports. Registered once per process, for the whole process rather than
 * for one import: a bot must share the modules already loaded (`@linefleet/bot`'s error classes are
 * matched with `instanceof` by the worker), which a scoped import would load again.
 */
export function compileTypeScript(): Promise<void> {
  registered ??= import("tsx/esm/api").then(({ register }) => {
    register();
  });
  return registered;
}
