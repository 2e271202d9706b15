import axios from 'axios'

const HEALTH_TIMEOUT_MS = 2000

/** Whether an MLflow server answers `/health` (quickly: doctor and status must not hang). */
export async function mlflowHealth(uri: string, signal: AbortSignal): Promise<{reachable: boolean; detail: string}> {
  try {
    const response = await axios.get(`${uri.replace(/\/$/, '')}/health`, {timeout: HEALTH_TIMEOUT_MS, signal, validateStatus: () => true})
    return response.status === 200 ? {reachable: true, detail: 'OK'} : {reachable: false, detail: `HTTP ${response.status}`}
  } catch (error) {
    const code = (error as {code?: string}).code
    return {reachable: false, detail: code ?? (error as Error).message}
  }
}
