// Writes the Teams app package: a zip with manifest.json and the two icons at its root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { TeamsManifest } from './buildManifest';
import type { IconFiles } from './validate';

/** Zips the manifest and icons (named as the manifest names them) into outFile; returns the entry names. */
export function writePackage(outFile: string, manifest: TeamsManifest, icons: IconFiles): string[] {
  const entries: Record<string, Uint8Array> = {
    'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    [manifest.icons.color]: new Uint8Array(icons.color),
    [manifest.icons.outline]: new Uint8Array(icons.outline),
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, zipSync(entries, { level: 9 }));
  return Object.keys(entries);
}
