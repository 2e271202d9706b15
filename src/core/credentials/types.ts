/** What an exchange account needs for ccxt / Freqtrade: `exchange.key`, `.secret`, `.password`. */
export interface ExchangeCredentials {
  key: string
  secret: string
  /** Some exchanges (okx, kucoin, ...) call it passphrase; ccxt and Freqtrade call it password. */
  password?: string
}

export const DEFAULT_PROFILE = 'default'

/** One stored account: an exchange and a profile name (several accounts per exchange). */
export interface StoredCredential extends ExchangeCredentials {
  exchange: string
  profile: string
  updatedAt: string
}

export type CredentialSource = 'env' | 'file'

/** Credentials found for an exchange and profile, and where they came from. */
export interface ResolvedCredential {
  exchange: string
  profile: string
  source: CredentialSource
  /** For `env`: the variables that supplied each field; for `file`: the store path. */
  origin: string
  credentials: Partial<ExchangeCredentials>
  updatedAt: string | null
}

/** Where the store is and how to unlock it. Core never reads env or prompts: the command passes these. */
export interface CredentialStoreAccess {
  file: string
  /**
   * Asked only when the file must be decrypted or created. `create` lets a terminal prompt
   * twice; from TRADAI_CREDENTIALS_PASSPHRASE it is the same value either way.
   */
  passphrase: (purpose: 'unlock' | 'create') => Promise<string>
}

/** What ccxt says an exchange needs (`requiredCredentials`), as the engine reports it. */
export interface ExchangeCredentialSpec {
  exchange: string
  /** ccxt's field names that are required: apiKey, secret, password, uid, privateKey, ... */
  required: string[]
}
