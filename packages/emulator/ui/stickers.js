/**
 * A small palette from LINE's list of stickers that bots may send (packages 446, 789, 11537,
 * 11538, 11539). Each is drawn by `sticker-art.js`.
 */
export const STICKER_PALETTE = [
  { packageId: "446", stickerId: "1988" },
  { packageId: "446", stickerId: "1989" },
  { packageId: "446", stickerId: "1990" },
  { packageId: "446", stickerId: "2005" },
  { packageId: "789", stickerId: "10855" },
  { packageId: "789", stickerId: "10857" },
  { packageId: "11537", stickerId: "52002734" },
  { packageId: "11537", stickerId: "52002738" },
  { packageId: "11538", stickerId: "51626494" },
  { packageId: "11538", stickerId: "51626501" },
  { packageId: "11539", stickerId: "52114110" },
  { packageId: "11539", stickerId: "52114129" },
];
