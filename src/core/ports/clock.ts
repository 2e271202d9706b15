/** Where core reads the time, so tests can pin it (lock expiry, run start times). */
export interface ClockPort {
  /** ms since epoch */
  now(): number
}

export const systemClock: ClockPort = {now: () => Date.now()}
