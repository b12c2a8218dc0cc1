/** A user's LINE profile (in a group or room: as a member of it). */
export interface Profile {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
}
