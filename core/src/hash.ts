import { createHash } from "node:crypto";

/** A short content hash (16 hex digits of SHA-1) for cache keys and file fingerprints: not for secrets. */
export const shortHash = (s: string): string => createHash("sha1").update(s).digest("hex").slice(0, 16);
