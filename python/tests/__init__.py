"""tradai's Python suite (npm run test:python)."""
