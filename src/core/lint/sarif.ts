import path from 'node:path'
import {pathToFileURL} from 'node:url'

import type {LintReport, LintSeverity} from './types.js'

/** SARIF 2.1.0 (OASIS): what GitHub code scanning and other CI dashboards ingest. */
export interface SarifLog {
  $schema: string
  version: '2.1.0'
  runs: Array<Record<string, unknown>>
}

export interface SarifOptions {
  /** Files under this folder get relative URIs (the repository root in CI); others absolute file: URIs. */
  baseDir: string
  toolVersion: string
}

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
const SRCROOT = '%SRCROOT%'
const LEVEL: Record<LintSeverity, 'error' | 'warning' | 'note'> = {error: 'error', warning: 'warning', info: 'note'}

export function toSarif(report: LintReport, options: SarifOptions): SarifLog {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]))
  const baseDir = path.resolve(options.baseDir)
  return {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tradai-lint',
            fullName: 'tradai strategy lint',
            semanticVersion: options.toolVersion,
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: {text: rule.description},
              fullDescription: {text: rule.description},
              help: {text: rule.description},
              defaultConfiguration: {level: LEVEL[rule.severity]},
            })),
          },
        },
        originalUriBaseIds: {[SRCROOT]: {uri: pathToFileURL(`${baseDir}${path.sep}`).href}},
        invocations: [{executionSuccessful: true}],
        results: report.findings.map((finding) => {
          const region: Record<string, number> = {startLine: finding.line, startColumn: finding.column}
          if (finding.endLine !== undefined && finding.endColumn !== undefined) {
            region.endLine = finding.endLine
            region.endColumn = finding.endColumn
          }

          const index = ruleIndex.get(finding.ruleId)
          return {
            ruleId: finding.ruleId,
            ...(index === undefined ? {} : {ruleIndex: index}),
            level: LEVEL[finding.severity],
            // Code scanning shows only the message: the fix goes in it.
            message: {text: `${finding.message}. Fix: ${finding.fix}.`},
            locations: [{physicalLocation: {artifactLocation: artifactLocation(finding.file, baseDir), region}}],
            properties: {fix: finding.fix, ...(finding.strategy ? {strategy: finding.strategy} : {})},
          }
        }),
      },
    ],
  }
}

function artifactLocation(file: string, baseDir: string): {uri: string; uriBaseId?: string} {
  const relative = path.relative(baseDir, file)
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return {uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT}
  }

  return {uri: pathToFileURL(file).href}
}
