import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {codeHash} from '../../src/core/registry/code-hash.js'
import {leaves, maskLeaf, parseValue, strategyConfigFile} from '../../src/core/strategy-config/fragment.js'

describe('strategy configuration fragments', () => {
  it('lives beside the strategy file as <stem>.config.json', () => {
    expect(strategyConfigFile('/s/sample_rsi_strategy.py')).toBe('/s/sample_rsi_strategy.config.json')
  })

  it('parses values as JSON, else keeps the text', () => {
    expect(parseValue('-0.05')).toBe(-0.05)
    expect(parseValue('{"0": 0.1}')).toEqual({'0': 0.1})
    expect(parseValue('true')).toBe(true)
    expect(parseValue('limit')).toBe('limit')
  })

  it('lists dotted leaves and masks secret leaves', () => {
    expect(leaves({a: {b: 1, c: [1]}, d: {}})).toEqual([
      ['a.b', 1],
      ['a.c', [1]],
      ['d', {}],
    ])
    expect(maskLeaf('exchange.secret', 'x')).toBe('***')
    expect(maskLeaf('exchange.secret', '')).toBe('')
    expect(maskLeaf('stoploss', -0.1)).toBe(-0.1)
  })
})

describe('code hash', () => {
  const code = Buffer.from('class A: pass\n')
  it('is unchanged for a strategy without a configuration', () => {
    const before = createHash('sha256')
      .update(code)
      .update(Buffer.from([0]))
      .update(Buffer.alloc(0))
      .digest('hex')
    expect(codeHash(code, null)).toBe(before)
    expect(codeHash(code, null, null)).toBe(before)
  })

  it('covers the configuration: a changed configuration alone is a new hash', () => {
    const one = codeHash(code, null, Buffer.from('{"stoploss": -0.1}'))
    expect(one).not.toBe(codeHash(code, null))
    expect(one).not.toBe(codeHash(code, null, Buffer.from('{"stoploss": -0.2}')))
  })
})
