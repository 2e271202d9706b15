# tradai: the strategy service as one image. Default command `tradai serve`; any other tradai
# command runs as a task: `docker run IMAGE strategy backtest --strategy X --json`.
# Works with a read-only root filesystem: everything written goes to the /data volume.

# --- build: TypeScript, production node_modules, the Python engine from the pinned lock ---
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-dev build-essential ca-certificates git \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin bin
COPY src src
# The build's own scripts: the contract export and the esbuild bundle (scripts/bundle.mjs).
COPY scripts scripts
COPY python python
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
# The engine (Freqtrade, Optuna, MLflow) is installed by tradai itself, from python/requirements.lock.
ENV TRADAI_ENGINE_DIR=/app/.tradai/engine CI=true
RUN node bin/run.js engine setup

# --- runtime: Debian's python3 (3.11) for the engine's venv, tini as PID 1, a non-root user ---
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /data tradai \
 && mkdir -p /data /strategies && chown tradai:tradai /data /strategies
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/oclif.manifest.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/bin bin
COPY --from=build /app/dist dist
COPY --from=build /app/python python
COPY --from=build /app/.tradai/engine .tradai/engine
COPY deploy/container-entrypoint.sh deploy/container-entrypoint.sh
COPY strategies /strategies
COPY user_data /data/user_data
# Folders come from here (or the task definition), never from an API request.
ENV NODE_ENV=production \
    HOME=/data \
    TMPDIR=/data/tmp \
    PYTHONDONTWRITEBYTECODE=1 \
    TRADAI_ENGINE_DIR=/app/.tradai/engine \
    TRADAI_ENGINE_AUTO_SETUP=false \
    TRADAI_STRATEGIES_DIR=/strategies \
    TRADAI_USER_DATA_DIR=/data/user_data \
    TRADAI_OUTBOX_DIR=/data/outbox \
    TRADAI_JOBS_DIR=/data/jobs \
    TRADAI_MLFLOW_DIR=/data/mlflow \
    STRATEGY_SERVICE_HOST=0.0.0.0 \
    STRATEGY_SERVICE_PORT=8003
RUN chown -R tradai:tradai /data
USER 10001:10001
VOLUME ["/strategies", "/data"]
EXPOSE 8003
# tini reaps zombies and forwards SIGTERM to tradai, which stops the engine's whole process tree.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/container-entrypoint.sh"]
CMD ["serve"]
