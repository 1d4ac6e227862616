/** SHA-256 by the platform (Utilities.computeDigest over UTF-8), as the engine's hash port (engine/baseDigest.ts). */
import type { HashPort } from '../engine/baseDigest';

export const sha256: HashPort = (text) =>
  Utilities.base64Encode(
    Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8).slice(0, 16),
  );
