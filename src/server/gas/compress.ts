/** Texts compressed into strings (gzip, then base64) with Utilities, for engine/packedRows.ts. */
import type { TextCompressor } from '../engine/packedRows';

export const gzipText: TextCompressor = {
  zip: (text) => Utilities.base64Encode(Utilities.gzip(Utilities.newBlob(text)).getBytes()),
  unzip: (zipped) =>
    Utilities.ungzip(Utilities.newBlob(Utilities.base64Decode(zipped), 'application/x-gzip')).getDataAsString(),
};
