import {execFile} from 'node:child_process'
import {hostname, userInfo} from 'node:os'

/** Who and where a run came from: tags on every tracked run. */
export interface RunContext {
  user: string
  host: string
  tradaiVersion: string
  /** Non-secret CI facts (CI, GITHUB_RUN_ID, ...) by variable name. */
  ci: Record<string, string>
}

/**
 * CI variables worth a tag. An allow-list, never a pattern: CI environments hold tokens, and
 * nothing but these names may leave the machine.
 */
const CI_VARIABLES = [
  'CI',
  'GITHUB_ACTIONS',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_WORKFLOW',
  'GITHUB_JOB',
  'GITHUB_REPOSITORY',
  'GITHUB_REF',
  'GITHUB_SHA',
  'GITHUB_ACTOR',
  'GITLAB_CI',
  'CI_PIPELINE_ID',
  'CI_JOB_ID',
  'CI_PROJECT_PATH',
  'CI_COMMIT_SHA',
  'CI_COMMIT_REF_NAME',
  'BUILDKITE_BUILD_ID',
  'BUILDKITE_PIPELINE_SLUG',
  'CIRCLE_BUILD_NUM',
  'CIRCLE_PROJECT_REPONAME',
  'BUILD_ID',
  'BUILD_NUMBER',
  'JOB_NAME',
] as const

/** The run context from an environment (passed in: core never reads process.env itself). */
export function runContext(env: Record<string, string | undefined>, tradaiVersion: string): RunContext {
  const ci: Record<string, string> = {}
  for (const name of CI_VARIABLES) {
    const value = env[name]
    if (value) ci[name] = value
  }

  let user = env.USER ?? env.USERNAME ?? ''
  try {
    user ||= userInfo().username
  } catch {
    // no passwd entry (some containers): leave it empty
  }

  return {user: user || 'unknown', host: hostname(), tradaiVersion, ci}
}

const GIT_TIMEOUT_MS = 2000

/** The commit of the repository holding `dir`, or null outside one (or without git). */
export async function gitCommit(dir: string): Promise<{commit: string; dirty: boolean} | null> {
  const git = (args: string[]) =>
    new Promise<string | null>((resolve) => {
      execFile('git', ['-C', dir, ...args], {timeout: GIT_TIMEOUT_MS}, (error, stdout) => resolve(error ? null : stdout.trim()))
    })
  const [commit, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain', '--', '.'])])
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return null
  return {commit, dirty: Boolean(status)}
}
