// `npm start`: runs auth-service (3000) and resource-service (3001) from dist/ with the inherited
// environment, prefixes their output, forwards SIGINT/SIGTERM, and stops both when either exits.
// Exit code: 0 when every child ended cleanly (code 0, or the signal we forwarded), else non-zero.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS, supervise } from './supervisor.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const supervisor = supervise({ cwd: root, onDone: (code) => process.exit(code) });
supervisor.start('auth', join(root, 'dist/apps/auth-service/src/main.js'), { nodeFlags: NODE_FLAGS });
supervisor.start('resource', join(root, 'dist/apps/resource-service/src/main.js'), { nodeFlags: NODE_FLAGS });
