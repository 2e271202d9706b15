import {describe, expect, it} from 'vitest'

import {renderModel, TAG_VALUE_WIDTH} from '../../src/cli/output/model-output.js'
import {elide, wrapItems} from '../../src/cli/output/wrap.js'
import type {ModelView} from '../../src/core/tracking/models.js'

const longConfig = JSON.stringify({pairs: Array.from({length: 40}, (_, i) => `PAIR${i}/BTC`), timeframe: '5m', stake: 'unlimited'}) // ~600 characters
const model: ModelView = {
  name: 'SampleRsiStrategy',
  description: null,
  latestVersion: '2',
  lifecycle: 'staged',
  aliases: {champion: '1'},
  tags: {owner: 'research'},
  updatedAt: null,
  versions: ['1', '2'].map((version) => ({
    version,
    runId: `run${version}`,
    source: null,
    status: 'READY',
    lifecycle: 'staged',
    aliases: [],
    createdAt: '2026-12-01T10:00:00.000Z',
    tags: {
      'tradai.config': longConfig,
      'tradai.strategy_file': `/home/user/projects/trading/strategies/a/very/deep/folder/sample_rsi_strategy_v${version}.py`,
      'tradai.metrics.sharpe': '1.23',
      'tradai.params': 'buy_rsi=30 sell_rsi=70 '.repeat(12),
      'mlflow.source.name': 'x',
    },
  })),
}

describe('model show (human output): no 800-character row of tags', () => {
  it('keeps every line within the width, elides long values and says --json has them in full', () => {
    const text = renderModel(model, 100)
    const lines = text.trimEnd().split('\n')
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100)
    expect(text).not.toContain(longConfig)
    expect(text).toContain(`tradai.config=${longConfig.slice(0, TAG_VALUE_WIDTH - 1)}…`)
    expect(text).toContain('tradai.metrics.sharpe=1.23') // short values stay whole
    expect(text).not.toContain('mlflow.source.name') // MLflow's own tags stay out, as before
    expect(text).toMatch(/--json has them in full/)
    // Each version's tags sit under "Version tags", wrapped: its own label, then continuation lines.
    expect(text).toMatch(/Version tags\n {2}v1 {2}tradai\.config=/)
    expect(lines.filter((line) => /^ {2}v2 /.test(line))).toHaveLength(1)
  })

  it('says nothing about shortening when no value was long', () => {
    const short: ModelView = {...model, versions: model.versions.map((v) => ({...v, tags: {'tradai.metrics.sharpe': '1.23'}}))}
    const text = renderModel(short, 100)
    expect(text).not.toMatch(/shortened/)
    expect(text).toContain('  v1  tradai.metrics.sharpe=1.23')
  })

  it('elide and wrapItems', () => {
    expect(elide('abcdef', 6)).toBe('abcdef')
    expect(elide('abcdefg', 6)).toBe('abcde…')
    expect(wrapItems(['aaaa', 'bbbb', 'cccc'], 14, '> ')).toEqual(['> aaaa  bbbb', '  cccc'])
    expect(wrapItems(['a-very-long-item'], 5, '> ')).toEqual(['> a-very-long-item'])
  })
})
