import { createHash, timingSafeEqual } from "node:crypto";

export interface DashboardCredentials {
  user: string;
  password: string;
}

/**
 * Compares in constant time. Both sides are hashed first, so the comparison always runs over 32
 * bytes whatever the lengths: neither the content nor the length of the secret leaks by timing.
 */
export function credentialsMatch(
  expected: DashboardCredentials,
  user: string,
  password: string,
): boolean {
  // Both checks always run: stopping at a wrong user would tell that the user was wrong.
  const userOk = timingSafeEqual(digest(user), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(password), digest(expected.password));
  return userOk && passwordOk;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
