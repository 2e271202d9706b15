import path from 'node:path'

/** The store's default place: `$XDG_CONFIG_HOME/tradai/credentials.enc`, i.e. `~/.config/tradai/credentials.enc`. */
export function defaultStoreFile(env: {XDG_CONFIG_HOME?: string; HOME?: string}, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || homedir, '.config')
  return path.join(configHome, 'tradai', 'credentials.enc')
}
