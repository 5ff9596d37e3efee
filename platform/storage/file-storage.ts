/**
 * Where documents, dossier files, message attachments and profile photos live; never in workflow
 * payloads. Two implementations with the same promises (issue 14, "Scale out on real parts"):
 * - a write is complete or absent: a reader never sees half a file, and a crash leaves no partial
 *   file under its final name;
 * - writing the same bytes under the same key again changes nothing (activities retry);
 * - writers racing on one key leave one of their files, whole.
 */
export interface FileStorage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes the file; a key that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are relative paths such as "contracts/c1/v1/order.pdf": no empty, `.` or `..` segment, no backslash. */
export function assertStorageKey(key: string): void {
  const segments = key.split('/');
  if (key.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) throw new Error(`Not a storage key: ${key}`);
}
