import { manageAudience } from "@line/bot-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

async function start() {
  running = await startEmulatorWithReceiver();
  const { emulator } = running;
  const alice = emulator.state().users[0];
  if (!alice) throw new Error("the emulator starts with one user");
  const bob = emulator.addUser({ displayName: "Bob" });
  const carol = emulator.addUser({ displayName: "Carol" });
  const config = { channelAccessToken: emulator.channelAccessToken, baseURL: emulator.url };
  return {
    emulator,
    alice,
    bob,
    carol,
    ...sdkClients(emulator),
    audience: new manageAudience.ManageAudienceClient(config),
    audienceBlob: new manageAudience.ManageAudienceBlobClient(config),
  };
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("audience groups", () => {
  it("creates by JSON, adds by file on the data host, reads, renames, lists and deletes", async () => {
    const { audience, audienceBlob, alice, bob } = await start();
    const created = await audience.createAudienceGroupWithHttpInfo({
      description: "vip",
      uploadDescription: "first upload",
      audiences: [{ id: alice.userId }],
    });
    expect(created.httpResponse.status).toBe(202);
    const id = created.body.audienceGroupId as number;
    expect(created.body).toMatchObject({
      type: "UPLOAD",
      description: "vip",
      createRoute: "MESSAGING_API",
      permission: "READ_WRITE",
      isIfaAudience: false,
    });

    await audienceBlob.addUserIdsToAudience(
      new Blob([`${bob.userId}\n${alice.userId}\n`], { type: "text/plain" }),
      id,
      "second upload",
    );
    const data = await audience.getAudienceData(id);
    expect(data.audienceGroup).toMatchObject({
      audienceGroupId: id,
      status: "READY",
      audienceCount: 2,
    });
    expect(data.jobs?.map((job) => [job.description, job.audienceCount])).toEqual([
      ["first upload", 1],
      ["second upload", 1],
    ]);

    await audience.updateAudienceGroupDescription(id, { description: "gold" });
    const byFile = await audienceBlob.createAudienceForUploadingUserIds(
      new Blob([alice.userId], { type: "text/plain" }),
      "silver",
    );
    const list = await audience.getAudienceGroups(1, "GOLD");
    expect(list.audienceGroups?.map((group) => group.description)).toEqual(["gold"]);
    expect((await audience.getAudienceGroups(1)).totalCount).toBe(2);

    await audience.deleteAudienceGroup(id);
    expect((await sdkFailure(audience.getAudienceData(id))).status).toBe(400);
    expect(
      (await audience.getAudienceGroups(1)).audienceGroups?.map((g) => g.audienceGroupId),
    ).toEqual([byFile.audienceGroupId]);
  });

  it("refuses bad user ids and a description over 120 characters", async () => {
    const { audience } = await start();
    const badId = await sdkFailure(
      audience.createAudienceGroup({ description: "x", audiences: [{ id: "not-a-user" }] }),
    );
    expect(badId).toMatchObject({ status: 400, body: { details: [{ property: "audiences[0]" }] } });
    const long = await sdkFailure(audience.createAudienceGroup({ description: "d".repeat(121) }));
    expect(long.status).toBe(400);
  });

  it("narrowcasts to an audience's followers, and retargets the recipients by impression", async () => {
    const { emulator, client, audience, alice, bob, carol } = await start();
    const { audienceGroupId } = await audience.createAudienceGroup({
      description: "alice and bob",
      audiences: [{ id: alice.userId }, { id: bob.userId }],
    });
    const sent = await client.narrowcastWithHttpInfo({
      messages: [{ type: "text", text: "for the audience" }],
      recipient: {
        type: "operator",
        and: [
          { type: "audience", audienceGroupId: audienceGroupId as number },
          {
            type: "operator",
            not: { type: "audience", audienceGroupId: audienceGroupId as number },
          },
        ],
      },
    });
    expect(sent.httpResponse.status).toBe(202);
    expect(emulator.messages(alice.userId)).toEqual([]);

    const second = await client.narrowcastWithHttpInfo({
      messages: [{ type: "text", text: "hello audience" }],
      recipient: { type: "audience", audienceGroupId: audienceGroupId as number },
    });
    const requestId = second.httpResponse.headers.get("x-line-request-id") ?? "";
    for (const user of [alice, bob]) {
      expect(emulator.messages(user.userId).map((m) => m.message.text)).toEqual(["hello audience"]);
    }
    expect(emulator.messages(carol.userId)).toEqual([]);

    // A redelivery reaches the recipients of the earlier request again.
    await client.narrowcast({
      messages: [{ type: "text", text: "reminder" }],
      recipient: { type: "redelivery", requestId },
    });
    expect(emulator.messages(bob.userId).map((m) => m.message.text)).toEqual([
      "hello audience",
      "reminder",
    ]);
    expect(emulator.messages(carol.userId)).toEqual([]);

    const imp = await audience.createImpBasedAudienceGroup({ description: "saw it", requestId });
    expect(
      (await audience.getAudienceData(imp.audienceGroupId as number)).audienceGroup,
    ).toMatchObject({ type: "IMP", audienceCount: 2, requestId });
    const click = await audience.createClickBasedAudienceGroup({
      description: "clicked",
      requestId,
    });
    expect(
      (await audience.getAudienceData(click.audienceGroupId as number)).audienceGroup
        ?.audienceCount,
    ).toBe(0);
    const notBroadcast = await sdkFailure(
      audience.createImpBasedAudienceGroup({ description: "x", requestId: "no-such-request" }),
    );
    expect(notBroadcast.status).toBe(400);
  });
});
