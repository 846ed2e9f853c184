// Pure: where a byte sequence stops being UTF-8. TextDecoder can refuse bad input but cannot say where it is, and a
// user fixing a file saved in Latin-1 needs the place.

/** The offset of the first byte that is not part of a valid UTF-8 sequence, or undefined when all of it is UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return undefined;
}

/** The length of the valid sequence at `i`, or 0. Overlong forms, surrogates and code points past U+10FFFF are invalid. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const first = bytes[i] ?? 0;
  if (first < 0x80) return 1;
  const [length, min, max] = leadRange(first);
  if (length === 0) return 0;
  const second = bytes[i + 1] ?? 0;
  if (second < min || second > max) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k] ?? 0;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/** For a lead byte: the sequence length and the range its second byte must fall in (Unicode table 3-7). */
function leadRange(first: number): [number, number, number] {
  if (first >= 0xc2 && first <= 0xdf) return [2, 0x80, 0xbf];
  if (first === 0xe0) return [3, 0xa0, 0xbf];
  if (first === 0xed) return [3, 0x80, 0x9f];
  if (first >= 0xe1 && first <= 0xef) return [3, 0x80, 0xbf];
  if (first === 0xf0) return [4, 0x90, 0xbf];
  if (first >= 0xf1 && first <= 0xf3) return [4, 0x80, 0xbf];
  if (first === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}
