/**
 * A small palette from LINE's list of stickers that bots may send (packages 446, 789, 11537,
 * 11538, 11539). Sticker pictures are not reachable offline, so each has an emoji face.
 */
export const STICKER_PALETTE = [
  { packageId: "446", stickerId: "1988", face: "😄" },
  { packageId: "446", stickerId: "1989", face: "😍" },
  { packageId: "446", stickerId: "1990", face: "😢" },
  { packageId: "446", stickerId: "2005", face: "👍" },
  { packageId: "789", stickerId: "10855", face: "🐻" },
  { packageId: "789", stickerId: "10857", face: "🙏" },
  { packageId: "11537", stickerId: "52002734", face: "🎉" },
  { packageId: "11537", stickerId: "52002738", face: "😂" },
  { packageId: "11538", stickerId: "51626494", face: "👋" },
  { packageId: "11538", stickerId: "51626501", face: "😮" },
  { packageId: "11539", stickerId: "52114110", face: "🥰" },
  { packageId: "11539", stickerId: "52114129", face: "😴" },
];

const FALLBACK_FACES = ["🙂", "😺", "🐰", "🐥", "🐶", "🦊", "🐼", "🐸"];

export function stickerFace(packageId, stickerId) {
  const known = STICKER_PALETTE.find(
    (s) => s.packageId === String(packageId) && s.stickerId === String(stickerId),
  );
  if (known) return known.face;
  const n = Number.parseInt(String(stickerId), 10);
  return FALLBACK_FACES[(Number.isFinite(n) ? n : 0) % FALLBACK_FACES.length];
}
