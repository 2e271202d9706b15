import {homedir} from 'node:os'
import path from 'node:path'

import {loadGateKey, type GateKey} from '../core/attestation/key.js'
import type {TradaiConfig} from '../core/config/schema.js'

/** The user's tradai config folder: $XDG_CONFIG_HOME/tradai, else ~/.config/tradai. */
export function userConfigDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME?.trim() || path.join(env.HOME?.trim() || homedir(), '.config')
  return path.join(base, 'tradai')
}

/**
 * The gate signing key for a command: TRADAI_GATE_KEY, else gates.signingKeyFile, else the
 * user's gate.key (created on first use by commands that sign; never by ones that only verify).
 */
export async function gateKey(config: TradaiConfig, env: NodeJS.ProcessEnv, options: {create: boolean}): Promise<GateKey | null> {
  return loadGateKey({envKey: env.TRADAI_GATE_KEY, keyFile: config.gates?.signingKeyFile, configDir: userConfigDir(env), create: options.create})
}
