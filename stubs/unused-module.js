// Bolt's index and App load its stock receivers (Express, HTTP, Socket Mode, OAuth) eagerly, and
// those pull in about 1.3 MB of dependencies the Lambda receiver never uses. npm `overrides` in
// package.json swap those dependencies for this stand-in, so every bundler (ours and `sam build`)
// leaves them out. Loading it is harmless; using any export fails with a message that says why.
module.exports = function unusedModule(name) {
  const fail = () => {
    throw new Error(
      `${name} is not installed in Greenlight: it is only used by Bolt's stock receivers, and Greenlight uses its own Lambda receiver.`,
    );
  };
  return new Proxy(
    {},
    {
      get(_target, property) {
        // Answer the probes module interop makes (`__esModule`, thenables, symbols) without failing.
        if (typeof property === 'symbol' || property === '__esModule' || property === 'then')
          return undefined;
        return fail;
      },
    },
  );
};
