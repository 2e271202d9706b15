import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'

import {REPO} from '../helpers/paths.js'

const require = createRequire(import.meta.url)
type AslResult = {isValid: boolean; errors: unknown[]}
const aslModule = require('asl-validator') as ((definition: unknown) => AslResult) | {default: (definition: unknown) => AslResult}
const validateAsl = typeof aslModule === 'function' ? aslModule : aslModule.default
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8')

/** The deploy examples parse and say what the README promises (no container daemon here to run them). */
describe('deploy/ and the Dockerfile', () => {
  it('the Step Functions state machine is valid ASL: a Map of ecs:runTask.sync tasks with a Choice on the exit code', () => {
    const machine = JSON.parse(read('deploy/backtest-pipeline.asl.json'))
    const result = validateAsl(machine)
    expect(result.errors).toEqual([])
    expect(result.isValid).toBe(true)
    const map = machine.States.BacktestEach
    expect(map.Type).toBe('Map')
    const inner = map.ItemProcessor.States
    expect(inner.Backtest.Resource).toBe('arn:aws:states:::ecs:runTask.sync')
    expect(inner.Backtest.Parameters.Overrides.ContainerOverrides[0]['Command.$']).toMatch(/'strategy', 'backtest'.*'--json'/)
    expect(inner.Challenge.Parameters.Overrides.ContainerOverrides[0]['Command.$']).toMatch(/'strategy', 'challenge'/)
    expect(inner.BacktestExit.Type).toBe('Choice')
    expect(inner.BacktestExit.Choices.map((choice: {Variable: string}) => choice.Variable)).toContain('$.backtest.exitCode')
    expect(inner.ChallengeExit.Choices.some((choice: {NumericEquals: number}) => choice.NumericEquals === 1)).toBe(true)

    // The validator really checks: a dangling transition is refused.
    const broken = structuredClone(machine)
    broken.States.BacktestEach.Next = 'NoSuchState'
    expect(validateAsl(broken).isValid).toBe(false)
  })

  it('the ECS task definition: env aliases, Secrets Manager secrets, logs, init process, read-only root', () => {
    const task = JSON.parse(read('deploy/ecs-task-definition.json'))
    const [container] = task.containerDefinitions
    expect(container.linuxParameters.initProcessEnabled).toBe(true)
    expect(container.readonlyRootFilesystem).toBe(true)
    expect(container.logConfiguration.logDriver).toBe('awslogs')
    const env = Object.fromEntries(container.environment.map((entry: {name: string; value: string}) => [entry.name, entry.value]))
    expect(env).toMatchObject({STRATEGY_SERVICE_HOST: '0.0.0.0', STRATEGY_SERVICE_PORT: '8003'})
    const secrets = container.secrets.map((entry: {name: string; valueFrom: string}) => entry)
    expect(secrets.map((entry: {name: string}) => entry.name)).toContain('TRADAI_API_TOKEN')
    for (const entry of secrets) expect(entry.valueFrom).toMatch(/^arn:aws:secretsmanager:/)
    // No secret value in plain environment.
    expect(Object.keys(env).some((name) => /TOKEN|PASSWORD|SECRET/.test(name))).toBe(false)
    expect(container.mountPoints.find((mount: {containerPath: string}) => mount.containerPath === '/data').readOnly).toBe(false)
  })

  it('the GitHub Actions example: lint with SARIF upload, a --json backtest, the challenge as a gate', () => {
    const workflow = parseYaml(read('deploy/github/strategy-ci.yml'))
    const steps: Array<{name?: string; run?: string; uses?: string}> = workflow.jobs.strategy.steps
    expect(steps.some((step) => step.run?.includes('strategy lint --format sarif'))).toBe(true)
    expect(steps.some((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))).toBe(true)
    expect(steps.some((step) => step.run?.includes('strategy backtest') && step.run.includes('--json'))).toBe(true)
    expect(steps.some((step) => step.run?.includes('strategy challenge'))).toBe(true)
  })

  it('the Dockerfile: node:20-bookworm-slim, Debian python3 and tini, non-root, engine at build, serve by default', () => {
    const dockerfile = read('Dockerfile')
    expect(dockerfile.match(/^FROM node:20-bookworm-slim/gm)).toHaveLength(2)
    expect(dockerfile).toMatch(/apt-get install[^\n]*python3 tini/)
    expect(dockerfile).toMatch(/RUN node bin\/run.js engine setup/)
    expect(dockerfile).toMatch(/^USER 10001/m)
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/app\/deploy\/container-entrypoint.sh"\]$/m)
    expect(dockerfile).toMatch(/^CMD \["serve"\]$/m)
    expect(dockerfile).toMatch(/^VOLUME \["\/strategies", "\/data"\]$/m)
  })
})
