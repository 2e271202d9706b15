// bin/run.js starts oclif from here: the bundled @oclif/core that dist/commands extend (scripts/bundle.mjs).
import {settings} from '@oclif/core'

// dist/ is the CLI whatever NODE_ENV says: under NODE_ENV=test or development (vitest sets it, so
// every e2e run) oclif would otherwise register tsx and run src/**/*.ts, beside a second @oclif/core.
settings.enableAutoTranspile = false

export {execute} from '@oclif/core'
