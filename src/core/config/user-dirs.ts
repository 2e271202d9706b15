import path from 'node:path'

/**
 * tradai's per-user data folder: `$XDG_DATA_HOME/tradai`, i.e. `~/.local/share/tradai` when
 * XDG_DATA_HOME is unset (or not absolute, as the XDG spec says to ignore it then). The engine,
 * studies, MLflow store and outbox default to it, so every folder tradai runs from shares one
 * engine instead of installing its own.
 */
export function userDataHome(env: {XDG_DATA_HOME?: string; HOME?: string}, homedir: string): string {
  const xdg = env.XDG_DATA_HOME?.trim()
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME?.trim() || homedir, '.local', 'share')
  return path.join(base, 'tradai')
}

/** How `config show` names the per-user folder: the variable it came from. */
export function describeUserDataHome(env: {XDG_DATA_HOME?: string}): string {
  const xdg = env.XDG_DATA_HOME?.trim()
  return xdg && path.isAbsolute(xdg) ? '$XDG_DATA_HOME/tradai' : '~/.local/share/tradai'
}
