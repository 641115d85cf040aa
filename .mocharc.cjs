// Mocha settings. Colours only on a terminal, so CI logs and redirected output stay plain text.
module.exports = {
  extension: ['ts'],
  'node-option': ['import=tsx'],
  timeout: 20000,
  color: Boolean(process.stdout.isTTY),
};
