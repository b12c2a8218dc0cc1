/** Bytes used when an event names no content of its own; small but of the right format. */
export const sampleContent = {
  // A 1x1 PNG.
  image: {
    contentType: "image/png",
    base64:
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==",
  },
  // An MP4 `ftyp` box: enough for sniffers, not a playable video.
  video: { contentType: "video/mp4", base64: "AAAAGGZ0eXBtcDQyAAAAAG1wNDJpc29t" },
  // An M4A `ftyp` box.
  audio: { contentType: "audio/x-m4a", base64: "AAAAGGZ0eXBNNEEgAAAAAE00QSBpc29t" },
  file: {
    contentType: "text/plain",
    base64: Buffer.from("Hello from the emulator\n").toString("base64"),
  },
} as const;
