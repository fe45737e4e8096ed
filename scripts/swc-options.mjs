// The swc settings of every compile of ours (the build and the package; Jest's are in jest.config.js,
// with CommonJS-free ES modules and no source maps): ES2023 modules with full `.js` specifiers,
// legacy decorators with their metadata (Nest's injection reads it), class names kept (Nest's tokens).
export const swcOptions = {
  sourceMaps: true,
  module: { type: 'es6', resolveFully: true },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
};
