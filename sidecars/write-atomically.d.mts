export function writeAtomically(file: string, contents: string | Uint8Array): Promise<void>;
