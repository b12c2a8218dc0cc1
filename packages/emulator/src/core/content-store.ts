/** The bytes users sent (images, video, audio, files), served by the data API until unsent. */
export interface StoredContent {
  kind: "image" | "video" | "audio" | "file";
  contentType: string;
  bytes: Buffer;
  gone: boolean;
  /** Content requests still to answer 202 (LINE preparing a large video or audio). */
  preparingCalls: number;
}

export class ContentStore {
  private readonly items = new Map<string, StoredContent>();

  put(
    messageId: string,
    content: Omit<StoredContent, "gone" | "preparingCalls"> & { preparingCalls?: number },
  ) {
    this.items.set(messageId, { preparingCalls: 0, ...content, gone: false });
  }

  get(messageId: string): StoredContent | undefined {
    return this.items.get(messageId);
  }

  /** An unsent message's content answers 410 from then on, as LINE's does. */
  markGone(messageId: string) {
    const item = this.items.get(messageId);
    if (item) {
      item.gone = true;
      item.bytes = Buffer.alloc(0);
    }
  }

  clear() {
    this.items.clear();
  }
}
