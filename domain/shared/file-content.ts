/**
 * What a file really is, told by its first bytes, never by its name or the type the browser claims:
 * the one content check for every upload (the dossier R4.5, the profile photo R8.2, …). Each area
 * names the types it accepts and its own size limit.
 */

export const FILE_SIGNATURES = {
  'application/pdf': { ext: 'pdf', magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  'image/jpeg': { ext: 'jpg', magic: [[0xff, 0xd8, 0xff]] },
  'image/png': { ext: 'png', magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
} as const;
export type KnownContentType = keyof typeof FILE_SIGNATURES;

/** The real type of the bytes among `accepted` (all known types by default), or undefined. */
export function sniffFileType<T extends KnownContentType>(data: Uint8Array, accepted: readonly T[] = Object.keys(FILE_SIGNATURES) as T[]): T | undefined {
  for (const type of accepted) {
    if (FILE_SIGNATURES[type].magic.some((m) => data.length >= m.length && m.every((byte, i) => data[i] === byte))) return type;
  }
  return undefined;
}

export type FileCheck<T extends KnownContentType> = { refusal: 'required' | 'too_large' | 'wrong_type' } | { type: T };

/** Empty, too large, not one of the accepted types, or the type it is. */
export function checkFileContent<T extends KnownContentType>(data: Uint8Array, accepted: readonly T[], maxBytes: number): FileCheck<T> {
  if (data.length === 0) return { refusal: 'required' };
  if (data.length > maxBytes) return { refusal: 'too_large' };
  const type = sniffFileType(data, accepted);
  return type ? { type } : { refusal: 'wrong_type' };
}
