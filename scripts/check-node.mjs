// The action runs on node24 (action.yml); tests must too. npm scripts find the Node 24 that the
// `node` dev dependency installs in node_modules/.bin before the machine's own.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `Node ${process.version} found; the tests need Node 24. Run \`npm ci\` (it installs Node 24 into node_modules/.bin) and use npm scripts.`,
  );
  process.exit(1);
}
