import {UsageError} from '../errors.js'
import {DEFAULT_PROFILE} from './types.js'

const EXCHANGE_ID = /^[a-z0-9_]+$/
const PROFILE = /^[a-z0-9][a-z0-9_.-]{0,63}$/i

/** A ccxt exchange id, lower case (`Binance` is accepted as `binance`). Whether ccxt knows it is the engine's call. */
export function exchangeId(raw: string): string {
  const id = raw.trim().toLowerCase()
  if (!EXCHANGE_ID.test(id)) {
    throw new UsageError(`"${raw}" is not an exchange id.`, {suggestions: ['Use a ccxt exchange id such as binance, kraken or okx.']})
  }

  return id
}

export function profileName(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_PROFILE
  if (!PROFILE.test(raw)) {
    throw new UsageError(`"${raw}" is not a profile name.`, {suggestions: ['Use letters, digits, "-", "_" or "." (e.g. main, demo, team-1).']})
  }

  return raw
}

/** `abcd…wxyz`: enough to tell keys apart, too little to use one. Short keys show nothing. */
export function maskKey(key: string | undefined): string | null {
  if (!key) return null
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '…'
}
