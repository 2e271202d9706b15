import {Flags} from '@oclif/core'
import path from 'node:path'

import type {ResolvedConfig} from '../core/config/load.js'
import {dataSettingsFromConfig} from '../core/backtest/request.js'
import {dataFlags} from './flags.js'

/** Where `runs` and `report` look for run folders: the output folder backtests, sweeps and walk-forwards share. */
export const runDirFlags = {
  'user-data-dir': dataFlags['user-data-dir'],
  'output-dir': Flags.directory({description: 'Where runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
}

export function runOutputDirs(resolved: ResolvedConfig, outputDir?: string): string[] {
  return [path.resolve(outputDir ?? dataSettingsFromConfig(resolved).outputDir)]
}
