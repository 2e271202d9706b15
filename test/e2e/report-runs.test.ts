// Code run inside Chromium (page.evaluate) uses the DOM's types.
/// <reference lib="dom" />
import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {chromium, type Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, tempDir} from '../helpers/paths.js'

const CHROMIUM = '/usr/bin/chromium'
const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180115-20180119', '--no-track']

interface RunRow {
  runId: string
  kind: string
  status: string
  strategy: string | null
  totalTrades: number | null
  error: {code: string; exitCode: number} | null
}

/** Opens `file` in headless Chromium with the network off; fails on any request that is not the file itself. */
async function openOffline(browser: Browser, file: string) {
  const context = await browser.newContext({offline: true, viewport: {width: 1200, height: 900}})
  const requests: string[] = []
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    requests.push(url)
    await (url.startsWith('file://') ? route.continue() : route.abort())
  })
  const page = await context.newPage()
  await page.goto(`file://${file}`, {waitUntil: 'load'})
  return {page, requests, context}
}

/** Distinct colours in a PNG, counted by Chromium itself (a canvas), so "not blank" needs no image library. */
async function distinctColours(browser: Browser, png: Buffer): Promise<number> {
  const page = await browser.newPage()
  const count = await page.evaluate(
    async (dataUrl) => {
      const image = new Image()
      image.src = dataUrl
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      const {data} = context.getImageData(0, 0, image.width, image.height)
      const colours = new Set<number>()
      for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!)
      return colours.size
    },
    `data:image/png;base64,${png.toString('base64')}`,
  )
  await page.close()
  return count
}

describe('HTML reports in headless Chromium, and the run history', () => {
  let userData: string
  let outputDir: string
  let backtest: {runId: string; reportFile: string; metrics: {totalTrades: number}}
  let sweep: {runId: string; reportFile: string}
  let failedRunId: string
  let browser: Browser

  beforeAll(async () => {
    userData = fixtureUserData()
    outputDir = tempDir('tradai-runs-')
    const common = ['--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--output-dir', outputDir]
    const [bt, sw, failed] = await Promise.all([
      runCli(['strategy', 'backtest', ...common, ...DATA, '--json']),
      runCli(['strategy', 'sweep', ...common, ...DATA, '--grid', 'buy_rsi=30,40', '--grid', 'sell_rsi=68', '--json']),
      // Candles that do not exist: the run fails (exit 5) and its folder must say so.
      runCli(['strategy', 'backtest', ...common, '--pairs', 'ETH/BTC', '--timerange', '20200101-20200105', '--no-track', '--json']),
    ])
    expect(bt.code, bt.stderr).toBe(0)
    expect(sw.code, sw.stderr).toBe(0)
    expect(failed.code).toBe(5)
    backtest = json(bt)
    sweep = json(sw)
    const runs = json<{runs: RunRow[]}>(await runCli(['runs', 'list', '--output-dir', outputDir, '--json'])).runs
    failedRunId = runs.find((run) => run.status === 'failed')!.runId
    browser = await chromium.launch({executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']})
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('every run folder gets its report; the backtest report renders offline with the strategy and the trade count', async () => {
    expect(backtest.reportFile).toBe(path.join(outputDir, backtest.runId, 'report.html'))
    expect(existsSync(sweep.reportFile)).toBe(true)
    const html = readFileSync(backtest.reportFile, 'utf8')
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)

    const {page, requests, context} = await openOffline(browser, backtest.reportFile)
    expect(await page.locator('#strategy').textContent()).toBe('SampleRsiStrategy')
    expect(Number(await page.locator('.trade-count').textContent())).toBe(backtest.metrics.totalTrades)
    expect(await page.locator('#trades tbody tr').count()).toBe(backtest.metrics.totalTrades)
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(2)
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true)
    const shot = path.join(outputDir, 'backtest-report.png')
    const png = await page.screenshot({path: shot, fullPage: true})
    await context.close()
    expect(statSync(shot).size).toBeGreaterThan(10_000)
    expect(await distinctColours(browser, png)).toBeGreaterThan(20)
  })

  it('the sweep report shows its heatmap and every point', async () => {
    const {page, context} = await openOffline(browser, sweep.reportFile)
    expect(await page.locator('body').getAttribute('data-kind')).toBe('sweep')
    expect(await page.locator('table.heatmap td').count()).toBe(2)
    expect(await page.locator('#points tbody tr').count()).toBe(2)
    await page.screenshot({path: path.join(outputDir, 'sweep-report.png'), fullPage: true})
    await context.close()
  })

  it('`report --latest --out FILE` writes the newest finished run', async () => {
    const out = path.join(outputDir, 'latest.html')
    const run = await runCli(['report', '--latest', '--output-dir', outputDir, '--out', out, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = json<{file: string; runId: string; kind: string}>(run)
    expect(schemaErrors('report', result)).toEqual([])
    expect(result.file).toBe(out)
    expect([backtest.runId, sweep.runId]).toContain(result.runId)
    expect(readFileSync(out, 'utf8')).toContain('<!doctype html>')
  })

  it('runs list shows every run, the failed one as failed with its error; --kind filters', async () => {
    const list = json<{runs: RunRow[]}>(await runCli(['runs', 'list', '--output-dir', outputDir, '--json']))
    expect(schemaErrors('runs-list', list)).toEqual([])
    const byId = new Map(list.runs.map((run) => [run.runId, run]))
    expect(byId.get(backtest.runId)).toMatchObject({kind: 'backtest', status: 'ok', strategy: 'SampleRsiStrategy', totalTrades: backtest.metrics.totalTrades})
    expect(byId.get(sweep.runId)).toMatchObject({kind: 'sweep', status: 'ok'})
    expect(byId.get(failedRunId)).toMatchObject({kind: 'backtest', status: 'failed', error: {code: 'DATA_NOT_FOUND', exitCode: 5}})
    const sweeps = json<{runs: RunRow[]}>(await runCli(['runs', 'list', '--output-dir', outputDir, '--kind', 'sweep', '--json'])).runs
    expect(sweeps.map((run) => run.runId)).toEqual([sweep.runId])
  })

  it('runs show and runs compare read the folders; an unknown run id is exit 5', async () => {
    const shown = json<RunRow & {result: {runId: string}}>(await runCli(['runs', 'show', backtest.runId, '--output-dir', outputDir, '--json']))
    expect(schemaErrors('runs-show', shown)).toEqual([])
    expect(shown.result.runId).toBe(backtest.runId)
    const compared = await runCli(['runs', 'compare', backtest.runId, sweep.runId, '--output-dir', outputDir, '--json'])
    expect(compared.code, compared.stderr).toBe(0)
    const comparison = json<{metrics: Record<string, unknown[]>; differences: Record<string, unknown[]>}>(compared)
    expect(schemaErrors('runs-compare', comparison)).toEqual([])
    expect(comparison.metrics.totalTrades).toHaveLength(2)
    expect(comparison.differences.kind).toEqual(['backtest', 'sweep'])
    const missing = await runCli(['runs', 'show', 'bt-20990101-000000-abcdef', '--output-dir', outputDir, '--json'])
    expect(missing.code).toBe(5)
    expect(json<{error: {message: string}}>(missing).error.message).toContain('bt-20990101-000000-abcdef')
  })
})
