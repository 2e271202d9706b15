import {execFileSync} from 'node:child_process'
import {chownSync, existsSync, readdirSync, rmSync} from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import {tempDir} from './paths.js'

export interface Postgres {
  /** postgresql://tradai@127.0.0.1:PORT/postgres (trust auth, throwaway). */
  url: string
  stop(): void
}

/** initdb / pg_ctl of the newest PostgreSQL from Debian's packages, or undefined. */
function binDir(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (!binDir()) return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install Debian's postgresql package (apt-get install -y postgresql)"
  return undefined
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 and a free port, its files in a temp folder.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPostgres(): Promise<Postgres> {
  const bin = binDir()
  if (!bin) throw new Error(postgresUnavailable())
  const dir = tempDir('tradai-pg-')
  const data = path.join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).trim())
    chownSync(dir, uid, gid)
  }

  const run = (tool: string, args: string[]) => {
    const command = path.join(bin, tool)
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], {stdio: 'pipe', cwd: dir})
    else execFileSync(command, args, {stdio: 'pipe', cwd: dir})
  }

  run('initdb', ['-D', data, '-U', 'tradai', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'])
  return {
    url: `postgresql://tradai@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    },
  }
}
