/**
 * Operations of LINE's specs that the emulator answers with `501`, each with the reason no local
 * behaviour makes sense. Every other operation has a handler (see `route-table.ts`).
 */
export const notImplemented: Readonly<Record<string, string>> = {};
