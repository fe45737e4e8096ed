import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/service-process.js';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL 15 cluster of its own, on a free port and a temp folder, that a fault test may stop and
 * start at will (the shared server on 5432 is never touched). As root, the binaries run as `postgres`,
 * which must own the folder. Trust authentication, loopback only.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly asPostgres: boolean,
  ) {}

  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** initdb, then start. */
  static async create(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'private-pg-'));
    const asPostgres = process.getuid?.() === 0;
    const cluster = new PrivatePostgres(await freePort(), dir, asPostgres);
    try {
      if (asPostgres) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: gid } = await run('id', ['-g', 'postgres']);
        await chown(dir, Number(stdout.trim()), Number(gid.trim()));
      }
      await cluster.pg('initdb', ['-D', cluster.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      await cluster.start();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.pg('pg_ctl', ['start', '-w', '-t', '30', '-D', this.data, '-l', join(this.dir, 'server.log'), '-o', options]);
  }

  /** A fast shutdown: every open connection gets 57P01 "terminating connection due to administrator command". */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['stop', '-w', '-t', '30', '-m', 'fast', '-D', this.data]);
  }

  /** Stops the server if it runs (immediate mode) and removes the folder. Safe to call more than once. */
  async destroy(): Promise<void> {
    await this.pg('pg_ctl', ['stop', '-w', '-t', '30', '-m', 'immediate', '-D', this.data]).catch(() => undefined); // not running: nothing to stop
    await rm(this.dir, { recursive: true, force: true });
  }

  private async pg(binary: string, args: string[]): Promise<void> {
    const path = join(BIN, binary);
    const [file, argv] = this.asPostgres && userInfo().username !== 'postgres' ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    await run(file, argv, { cwd: this.dir, timeout: 60_000 });
  }
}
