import type {MlflowClient} from '../../engines/mlflow/client.js'
import type {TrackingPort} from '../tracking/port.js'

/**
 * What the strategy registry needs from MLflow: the tracking calls (registration, challenge and
 * audit runs are ordinary runs) plus the model registry. The real adapter is `MlflowClient`.
 */
export type RegistryPort = TrackingPort &
  Pick<
    MlflowClient,
    | 'listArtifacts'
    | 'downloadArtifact'
    | 'ensureRegisteredModel'
    | 'getRegisteredModel'
    | 'searchModelVersions'
    | 'createModelVersion'
    | 'deleteModelVersion'
    | 'getModelVersion'
    | 'setModelAlias'
    | 'deleteModelAlias'
    | 'setRegisteredModelTag'
    | 'deleteRegisteredModelTag'
    | 'setModelVersionTag'
  >
