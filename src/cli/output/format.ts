/** Formatting for human output. Values stay Freqtrade's; only their display changes. */
export function percent(ratio: number | null | undefined, digits = 2): string {
  return ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(digits)}%`
}

export function decimal(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits)
}

/** Amounts in the stake currency: 8 decimals for BTC-like, 2 for fiat-like currencies. */
export function amount(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined) return '–'
  const digits = /^(USD|USDT|USDC|BUSD|EUR|DAI|TUSD|FDUSD)$/.test(currency) ? 2 : 8
  return `${value.toFixed(digits)} ${currency}`
}
