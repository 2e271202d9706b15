import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {cosmiconfig} from 'cosmiconfig'
import {describe, expect, it} from 'vitest'

import {findConfigCandidate} from '../../src/core/config/find-file.js'
import {loadConfig} from '../../src/core/config/load.js'
import {tempDir} from '../helpers/paths.js'

const PLACES = [
  'package.json',
  ...['', '.json', '.yaml', '.yml', '.js', '.ts', '.mjs', '.cjs'].map((ext) => `.tradairc${ext}`),
  ...['json', 'yaml', 'yml', 'js', 'ts', 'mjs', 'cjs'].map((ext) => `tradai.config.${ext}`),
]

function layout(files: Record<string, string>): string {
  const root = tempDir('tradai-find-')
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
    writeFileSync(path.join(root, file), text)
  }

  return root
}

/** The config file search without cosmiconfig finds what cosmiconfig's own search finds. */
describe('config file search (find-file.ts) agrees with cosmiconfig', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['no file anywhere up to the root', {'a/b/.keep': ''}, 'a/b'],
    ['package.json without the key ends the search', {'package.json': '{"name": "x"}', 'tradai.config.json': '{}', 'p/package.json': '{"name": "p"}'}, 'p'],
    ['the key in a parent package.json', {'package.json': '{"tradai": {"exchange": "kraken"}}', 'a/b/.keep': ''}, 'a/b'],
    ['an empty place is skipped', {'.tradairc': '', 'tradai.config.yaml': 'exchange: kucoin\n'}, '.'],
    ['a comment-only YAML file', {'.tradairc.yaml': '# nothing\n', 'tradai.config.json': '{"exchange": "kucoin"}'}, '.'],
    ['package.json comes first', {'package.json': '{"tradai": {"exchange": "kraken"}}', '.tradairc.json': '{"exchange": "kucoin"}'}, '.'],
    ['a file in a parent folder below the project root', {'package.json': '{}', '.tradairc.json': '{"exchange": "kucoin"}', 'a/.keep': ''}, 'a'],
  ]

  for (const [name, files, at] of cases) {
    it(name, async () => {
      const root = layout(files)
      const cwd = path.join(root, at)
      const expected = await cosmiconfig('tradai', {searchStrategy: 'project', searchPlaces: PLACES}).search(cwd)
      const resolved = await loadConfig({cwd, env: {}})
      expect(resolved.file ?? null).toBe(expected?.filepath ?? null)
      if (expected?.config?.exchange) expect(resolved.config.exchange).toBe(expected.config.exchange)
    })
  }

  it('reads package.json itself, and leaves loaders to cosmiconfig', () => {
    const root = layout({'package.json': '{"tradai": {"exchange": "kraken"}}', 'sub/package.json': '{}', 'sub/tradai.config.yaml': 'exchange: kucoin\n'})
    expect(findConfigCandidate(root, PLACES, 'tradai')).toEqual({kind: 'package', path: path.join(root, 'package.json'), data: {exchange: 'kraken'}})
    expect(findConfigCandidate(path.join(root, 'sub'), PLACES, 'tradai')).toEqual({kind: 'file', path: path.join(root, 'sub/tradai.config.yaml')})
    // A cosmiconfig meta config may change the search places: cosmiconfig searches.
    expect(findConfigCandidate(layout({'.config/config.json': '{}'}), PLACES, 'tradai')).toEqual({kind: 'search'})
  })
})
