import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'

/**
 * What a cosmiconfig search (searchStrategy "project", empty places skipped) would find, decided
 * without importing cosmiconfig (a good part of a quick command's start): most runs have no config
 * file, or a "tradai" key in package.json, which need no loader.
 * - `none`: no file; the search would return nothing.
 * - `package`: package.json's "tradai" value, read here.
 * - `file`: the first candidate, for cosmiconfig to load (its loaders, errors and `$import`).
 * - `search`: anything this does not mirror exactly (a cosmiconfig meta config, an unreadable
 *   package.json, `$import`): let cosmiconfig search as before.
 */
export type ConfigCandidate = {kind: 'none'} | {kind: 'package'; path: string; data: unknown} | {kind: 'file'; path: string} | {kind: 'search'}

const META_PLACES = ['package.yaml', ...['json', 'yaml', 'yml', 'js', 'ts', 'cjs', 'mjs'].map((ext) => `.config/config.${ext}`)]

export function findConfigCandidate(cwd: string, searchPlaces: string[], moduleName: string): ConfigCandidate {
  const start = path.resolve(cwd)
  // cosmiconfig reads a meta config (which may change the search places) from the working folder.
  if (META_PLACES.some((place) => isFile(path.join(start, place)))) return {kind: 'search'}
  const startPackage = readPackage(path.join(start, 'package.json'))
  if (startPackage === 'unreadable' || (startPackage && 'cosmiconfig' in startPackage)) return {kind: 'search'}

  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const place of searchPlaces) {
      const file = path.join(dir, place)
      if (!isFile(file)) continue
      if (place === 'package.json') {
        const pkg = readPackage(file)
        if (pkg === 'unreadable') return {kind: 'search'}
        const value = pkg?.[moduleName]
        if (value === undefined || value === null) continue
        if (typeof value === 'object' && '$import' in value) return {kind: 'search'}
        return {kind: 'package', path: file, data: value}
      }

      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        return {kind: 'search'}
      }

      // An empty place is skipped; one holding only comments is for cosmiconfig's loader to say.
      if (text.trim() !== '') return {kind: 'file', path: file}
    }

    // The project's root (a package file) ends the search, as does the filesystem's.
    if (isFile(path.join(dir, 'package.json')) || isFile(path.join(dir, 'package.yaml')) || path.dirname(dir) === dir) return {kind: 'none'}
  }
}

function isFile(file: string): boolean {
  return statSync(file, {throwIfNoEntry: false})?.isFile() ?? false
}

function readPackage(file: string): Record<string, unknown> | undefined | 'unreadable' {
  if (!isFile(file)) return undefined
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'unreadable'
  } catch {
    return 'unreadable'
  }
}
