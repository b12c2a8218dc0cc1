/** LINE's audience types the Messaging API creates (others come from LINE's ad products). */
export type AudienceType = "UPLOAD" | "CLICK" | "IMP";

interface AudienceJob {
  audienceGroupJobId: number;
  audienceGroupId: number;
  description?: string;
  type: "DIFF_ADD";
  jobStatus: "FINISHED";
  audienceCount: number;
  created: number;
}

export interface Audience {
  audienceGroupId: number;
  type: AudienceType;
  description: string;
  created: number;
  isIfaAudience: boolean;
  requestId?: string;
  clickUrl?: string;
  /** User ids (or IFAs) in the audience. */
  members: Set<string>;
  jobs: AudienceJob[];
}

/** Audience groups per channel; ids are numbers, as LINE's are. */
export class Audiences {
  readonly #byChannel = new Map<string, Map<number, Audience>>();
  // LINE's ids are large integers; starting high keeps them looking alike.
  #nextId = 4_389_303_728_991;

  of(channel: string): Map<number, Audience> {
    let audiences = this.#byChannel.get(channel);
    if (!audiences) {
      audiences = new Map();
      this.#byChannel.set(channel, audiences);
    }
    return audiences;
  }

  create(
    channel: string,
    input: Omit<Audience, "audienceGroupId" | "members" | "jobs">,
    members: readonly string[],
    uploadDescription?: string,
  ): Audience {
    const audience: Audience = {
      ...input,
      audienceGroupId: this.#nextId++,
      members: new Set(),
      jobs: [],
    };
    this.of(channel).set(audience.audienceGroupId, audience);
    if (input.type === "UPLOAD")
      this.addMembers(audience, members, input.created, uploadDescription);
    else for (const member of members) audience.members.add(member);
    return audience;
  }

  /** Adds members as one job, as LINE records each upload. */
  addMembers(audience: Audience, members: readonly string[], at: number, description?: string) {
    const before = audience.members.size;
    for (const member of members) audience.members.add(member);
    audience.jobs.push({
      audienceGroupJobId: this.#nextId++,
      audienceGroupId: audience.audienceGroupId,
      ...(description ? { description } : {}),
      type: "DIFF_ADD",
      jobStatus: "FINISHED",
      audienceCount: audience.members.size - before,
      created: at,
    });
  }

  clear() {
    this.#byChannel.clear();
  }
}
