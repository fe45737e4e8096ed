import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientsService } from './clients/clients.service.js';
import { CliModule, KEY_ADMIN } from './cli/cli.module.js';
import { clientsCommand } from './cli/clients.command.js';
import { keysCommand } from './cli/keys.command.js';
import { readPassword } from './cli/password-input.js';
import { sessionsCommand } from './cli/sessions.command.js';
import { usersCommand } from './cli/users.command.js';
import { readEnvironment } from '@app/config';
import { loadAuthConfig } from './config/auth.config.js';
import type { KeyAdmin } from './keys/managed/key-admin.js';
import { SessionsService } from './sessions/sessions.service.js';
import { UsersService, UsernameTakenError } from './users/users.service.js';

const logger = new Logger('cli');
const out = (line: string) => process.stdout.write(`${line}\n`);
const [group, ...args] = process.argv.slice(2);
let code = 2;

try {
  const config = loadAuthConfig(readEnvironment());
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'], abortOnError: false });
  try {
    if (group === 'users') code = await usersCommand(app.get(UsersService), args, { out, readPassword }, app.get(SessionsService));
    else if (group === 'sessions') code = await sessionsCommand(app.get(UsersService), args, out, app.get(SessionsService));
    else if (group === 'clients') code = await clientsCommand(app.get(ClientsService), args, out);
    else if (group === 'keys') code = await keysCommand(app.get<KeyAdmin | null>(KEY_ADMIN) ?? undefined, args, out);
    else
      out(
        'usage: npm run cli -- users <add|list|disable|enable> ... | sessions revoke --user <name> | clients <add|list|rotate-secret|disable|enable|remove> ... | keys <list|rotate|revoke|revoke-all|purge> ...',
      );
  } finally {
    await app.close();
  }
} catch (error) {
  if (error instanceof UsernameTakenError) out(`error: ${error.message}`);
  else logger.error(error instanceof Error ? error.message : String(error));
  code = 1;
}
process.exit(code);
