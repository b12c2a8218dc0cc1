import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectUserIds, readUserIdsFile } from "../src/read-audience.ts";

const id = (n: number) => `U${n.toString(16).padStart(32, "0")}`;
const dir = mkdtempSync(join(tmpdir(), "linefleet-audience-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an audience of IDs", () => {
  it("keeps the order and sends each user once", async () => {
    async function* ids() {
      yield id(2);
      yield id(1);
      yield id(2);
    }
    expect(await collectUserIds(ids())).toEqual([id(2), id(1)]);
  });

  it("reads a file one ID a line, skipping blank and # lines", async () => {
    const path = join(dir, "ids.txt");
    writeFileSync(path, `# customers\n${id(1)}\n\n  ${id(2)}  \r\n${id(1)}\n`);
    expect(await readUserIdsFile(path)).toEqual([id(1), id(2)]);
  });

  it("refuses the whole file, naming the first five bad lines by number and counting the rest", async () => {
    const path = join(dir, "bad.txt");
    const lines = [id(1), ...Array.from({ length: 7 }, (_, i) => `bad${i}`)];
    writeFileSync(path, `${lines.join("\n")}\n`);
    const refusal = readUserIdsFile(path);
    await expect(refusal).rejects.toThrow(`${path}:2: "bad0" is not a user ID`);
    await expect(readUserIdsFile(path)).rejects.toThrow(/has 7 bad user ID\(s\)[\s\S]*and 2 more$/);
  });

  it("says when the file is missing", async () => {
    await expect(readUserIdsFile(join(dir, "none.txt"))).rejects.toThrow(/none\.txt: no such file/);
  });
});
