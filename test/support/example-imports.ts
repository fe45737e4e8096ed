import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The TypeScript files of an example's `src/`, and the modules they import from apps/ or libs/ (there should be none). */
export async function repositoryImportsOf(exampleDir: string): Promise<{ files: string[]; repositoryImports: string[] }> {
  const files = (await readdir(join(exampleDir, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts'));
  const specifiers = await Promise.all(
    files.map(async (file) => [...(await readFile(join(exampleDir, 'src', file), 'utf8')).matchAll(/from '([^']+)'/g)].map((m) => m[1])),
  );
  return { files, repositoryImports: specifiers.flat().filter((s) => s.startsWith('@app/') || /(^|\/)(apps|libs)\//.test(s)) };
}
