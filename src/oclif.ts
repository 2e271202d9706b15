// bin/run.js starts oclif from here: the bundled @oclif/core that dist/commands extend (scripts/bundle.mjs).
export {execute} from '@oclif/core'
