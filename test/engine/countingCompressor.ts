/** A stand-in compressor for packed rows' tests (reverses the text) that counts how often a batch is opened. */
export function countingCompressor(): {
  compressor: { zip(t: string): string; unzip(z: string): string };
  unzips: () => number;
} {
  let unzips = 0;
  return {
    compressor: {
      zip: (t: string) => [...t].reverse().join(''),
      unzip: (z: string) => (unzips++, [...z].reverse().join('')),
    },
    unzips: () => unzips,
  };
}
