import { randomUUID } from "node:crypto";
import { z } from "zod";

export const faultInputSchema = z.object({
  match: z.object({ method: z.string().optional(), path: z.string().min(1) }),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().int().min(0).optional(),
  dropAfterAccept: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
});

export type FaultInput = z.infer<typeof faultInputSchema>;
export type Fault = FaultInput & { id: string; remaining: number };

/**
 * Injected failures for API calls. A fault matches by method and by the concrete path or the
 * route (`/v2/bot/profile/{userId}`); it applies `times` times, or until cleared when unset.
 */
export class Faults {
  private list: Fault[] = [];

  add(input: FaultInput): Fault {
    const fault: Fault = { ...input, id: randomUUID(), remaining: input.times ?? Infinity };
    this.list.push(fault);
    return fault;
  }

  /** The first live fault for this call, counted as used. */
  take(method: string, path: string, route: string | undefined): Fault | undefined {
    const fault = this.list.find(
      (f) =>
        f.remaining > 0 &&
        (!f.match.method || f.match.method.toUpperCase() === method.toUpperCase()) &&
        (f.match.path === path || f.match.path === route),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.list = this.list.filter((f) => f !== fault);
    return fault;
  }

  clear() {
    this.list = [];
  }
}
