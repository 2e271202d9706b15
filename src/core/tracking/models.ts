import {aliasDriftOf, describeDrift, type AliasDrift} from '../registry/drift.js'
import {existsSync} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import path from 'node:path'

import type {ModelVersion, RegisteredModel, RegistryPort} from '../ports/registry.js'
import {NotFoundError, TradaiError, UsageError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {VERSION_TAG} from '../registry/tags.js'

/** The model commands' port is the one registry port (re-exported for one session). */
export type {RegistryPort} from '../ports/registry.js'

/**
 * The tag holding a version's lifecycle state (registered, staged, promoted, archived): the one the
 * registry writes (registry/tags.ts), so `model list/show` read what register and promote set.
 */
export const LIFECYCLE_TAG = VERSION_TAG.state

export interface ModelVersionView {
  version: string
  runId: string | null
  source: string | null
  status: string | null
  lifecycle: string | null
  aliases: string[]
  tags: Record<string, string>
  createdAt: string | null
}

export interface ModelView {
  /** Aliases that disagree with tradai's audit log (moved by hand); empty when none or no audit. */
  drift?: AliasDrift[]
  name: string
  description: string | null
  latestVersion: string | null
  lifecycle: string | null
  aliases: Record<string, string>
  tags: Record<string, string>
  updatedAt: string | null
  versions: ModelVersionView[]
}

export const MODEL_STAGES = [{id: 'registry', title: 'Read the model registry'}]
export const UPLOAD_STAGES = [
  {id: 'run', title: 'Find or create the run'},
  {id: 'upload', title: 'Upload the model artefact'},
  {id: 'register', title: 'Register the model version'},
]

export async function listModels(port: RegistryPort, ctx: CoreContext): Promise<{uri: string; models: ModelView[]}> {
  return inStage(
    ctx,
    'registry',
    async () => {
      const models = await port.searchRegisteredModels(undefined, ctx.signal)
      const views: ModelView[] = []
      for (const model of models) views.push(modelView(model, await port.searchModelVersions(`name='${quote(model.name)}'`, ctx.signal)))
      return {uri: port.uri, models: views.sort((a, b) => a.name.localeCompare(b.name))}
    },
    port.uri,
  )
}

export async function showModel(port: RegistryPort, name: string, version: string | undefined, ctx: CoreContext): Promise<ModelView> {
  ctx.onEvent({type: 'stage', stage: 'registry', status: 'start', message: port.uri})
  try {
    const model = await port.getRegisteredModel(name, ctx.signal)
    const versions = version === undefined ? await port.searchModelVersions(`name='${quote(name)}'`, ctx.signal) : [await port.getModelVersion(name, version, ctx.signal)]
    ctx.onEvent({type: 'stage', stage: 'registry', status: 'done'})
    const drift = aliasDriftOf(model)
    for (const entry of drift) ctx.onEvent({type: 'log', level: 'warning', message: describeDrift(name, entry)})
    return {...modelView(model, versions), drift}
  } catch (error) {
    ctx.onEvent({type: 'stage', stage: 'registry', status: 'fail'})
    if (error instanceof NotFoundError) {
      throw new NotFoundError(version === undefined ? `No registered model "${name}" at ${port.uri}.` : `Model "${name}" has no version ${version} at ${port.uri}.`, {
        code: 'MODEL_NOT_FOUND',
        suggestions: [version === undefined ? 'Run `tradai model list` to see the registered models.' : `Run \`tradai model show ${name}\` to see its versions.`],
      })
    }

    throw error
  }
}

function modelView(model: RegisteredModel, versions: ModelVersion[]): ModelView {
  const aliases = Object.fromEntries((model.aliases ?? []).map((entry) => [entry.alias, entry.version]))
  const views = versions
    .map((version): ModelVersionView => {
      const tags = Object.fromEntries((version.tags ?? []).map((tag) => [tag.key, tag.value]))
      return {
        version: version.version,
        runId: version.run_id || null,
        source: version.source ?? null,
        status: version.status ?? null,
        lifecycle: tags[LIFECYCLE_TAG] ?? null,
        aliases:
          version.aliases ??
          Object.entries(aliases)
            .filter(([, v]) => v === version.version)
            .map(([alias]) => alias),
        tags,
        createdAt: version.creation_timestamp ? new Date(version.creation_timestamp).toISOString() : null,
      }
    })
    .sort((a, b) => Number(b.version) - Number(a.version))
  const tags = Object.fromEntries((model.tags ?? []).map((tag) => [tag.key, tag.value]))
  return {
    name: model.name,
    description: model.description || null,
    latestVersion: views[0]?.version ?? null,
    // A model has no state of its own: the newest version's (a model tag may still override it).
    lifecycle: tags[LIFECYCLE_TAG] ?? views[0]?.lifecycle ?? null,
    aliases,
    tags,
    updatedAt: model.last_updated_timestamp ? new Date(model.last_updated_timestamp).toISOString() : null,
    versions: views,
  }
}

export interface UploadModelRequest {
  /** A file or a folder. */
  path: string
  strategy: string
  /** Registered model name (default: the strategy's name). */
  name: string
  /** Attach to this run; else a new run in the strategy's experiment. */
  runId?: string
  experimentName: string
  user: string
}

export interface UploadModelResult {
  name: string
  version: string
  runId: string
  experimentId: string
  runUrl: string
  source: string
  files: number
  bytes: number
}

/** Uploads a model artefact (file or folder) to a run under `model/` and registers it as a model version. */
export async function uploadModel(port: RegistryPort, request: UploadModelRequest, ctx: CoreContext): Promise<UploadModelResult> {
  if (!existsSync(request.path)) {
    throw new NotFoundError(`No file or folder at ${request.path}.`, {code: 'MODEL_PATH_NOT_FOUND', suggestions: ['Pass the path of the model file or folder to upload.']})
  }

  const files = await listFiles(request.path)
  if (files.length === 0) throw new UsageError(`${request.path} is an empty folder: nothing to upload.`)
  const bytes = files.reduce((sum, file) => sum + file.size, 0)

  ctx.onEvent({type: 'stage', stage: 'run', status: 'start'})
  let info
  let created = false
  try {
    if (request.runId) info = (await port.getRun(request.runId, ctx.signal)).info
    else {
      const experimentId = await port.ensureExperiment(request.experimentName, ctx.signal)
      info = (
        await port.createRun(
          {
            experimentId,
            startTime: Date.now(),
            user: request.user,
            runName: `model-upload ${request.name}`,
            tags: [
              {key: 'tradai.kind', value: 'model-upload'},
              {key: 'tradai.strategy', value: request.strategy},
              {key: 'mlflow.user', value: request.user},
            ],
          },
          ctx.signal,
        )
      ).info
      created = true
    }
  } catch (error) {
    ctx.onEvent({type: 'stage', stage: 'run', status: 'fail'})
    if (error instanceof NotFoundError && request.runId) {
      throw new NotFoundError(`No MLflow run ${request.runId} at ${port.uri}.`, {
        code: 'RUN_NOT_FOUND',
        suggestions: ["Check the run id (the last part of the run's MLflow URL), or leave --run out to create a run."],
      })
    }

    throw error
  }

  ctx.onEvent({type: 'stage', stage: 'run', status: 'done', message: info.run_id})

  ctx.onEvent({type: 'stage', stage: 'upload', status: 'start', message: `${files.length} file(s), ${bytes} bytes`})
  let sentBefore = 0
  try {
    for (const file of files) {
      await port.uploadArtifact(info, `model/${file.relative}`, file.absolute, {
        signal: ctx.signal,
        onProgress: (sent) => ctx.onEvent({type: 'progress', stage: 'upload', current: sentBefore + sent, total: bytes, message: 'bytes'}),
      })
      sentBefore += file.size
      ctx.onEvent({type: 'progress', stage: 'upload', current: sentBefore, total: bytes, message: 'bytes'})
    }
  } catch (error) {
    ctx.onEvent({type: 'stage', stage: 'upload', status: 'fail'})
    if (created && error instanceof TradaiError) await port.updateRun(info.run_id, 'FAILED', Date.now()).catch(() => {})
    throw error
  }

  ctx.onEvent({type: 'stage', stage: 'upload', status: 'done'})

  ctx.onEvent({type: 'stage', stage: 'register', status: 'start', message: request.name})
  const tags = [
    {key: 'tradai.strategy', value: request.strategy},
    {key: 'tradai.kind', value: 'model-artifact'},
  ]
  await port.ensureRegisteredModel(request.name, {tags: [{key: 'tradai.strategy', value: request.strategy}]}, ctx.signal)
  const source = `${info.artifact_uri}/model`
  const version = await port.createModelVersion({name: request.name, source, runId: info.run_id, tags}, ctx.signal)
  if (created) await port.updateRun(info.run_id, 'FINISHED', Date.now(), ctx.signal)
  ctx.onEvent({type: 'stage', stage: 'register', status: 'done', message: `version ${version.version}`})
  return {
    name: request.name,
    version: version.version,
    runId: info.run_id,
    experimentId: info.experiment_id,
    runUrl: port.runUrl(info.experiment_id, info.run_id),
    source,
    files: files.length,
    bytes,
  }
}

async function listFiles(root: string): Promise<Array<{absolute: string; relative: string; size: number}>> {
  const info = await stat(root)
  if (info.isFile()) return [{absolute: root, relative: path.basename(root), size: info.size}]
  const out: Array<{absolute: string; relative: string; size: number}> = []
  const walk = async (dir: string, prefix: string) => {
    for (const entry of (await readdir(dir, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))) {
      const absolute = path.join(dir, entry.name)
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(absolute, relative)
      else if (entry.isFile()) out.push({absolute, relative, size: (await stat(absolute)).size})
    }
  }

  await walk(root, '')
  return out
}

function quote(text: string): string {
  return text.replace(/'/g, "\\'")
}
