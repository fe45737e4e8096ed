import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads a password from stdin, never from argv (argv is visible in `ps` and shell history).
 * On a terminal it prompts on stderr with echo off; from a pipe it reads the first line.
 */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '').split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}
