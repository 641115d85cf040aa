import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { loadConfigFile, parseConfigText } from './file.ts';

describe('config/file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mv-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a YAML file given by path, keeping timeouts apart', async () => {
    await writeFile(join(dir, 'ci.yaml'), 'suite: smoke,chaos\ntrials: 5\ntimeouts:\n  ready: 3m\n');
    const file = await loadConfigFile('ci.yaml', dir);
    expect(file?.path).to.equal(join(dir, 'ci.yaml'));
    expect(file?.values).to.deep.equal({ suite: 'smoke,chaos', trials: 5 });
    expect(file?.timeouts).to.deep.equal({ ready: '3m' });
  });

  it('finds mip-verify.config.json in the working directory, and nothing when absent', async () => {
    expect(await loadConfigFile(undefined, dir)).to.equal(undefined);
    await writeFile(join(dir, 'mip-verify.config.json'), '{"stack": "mip", "keep": true}');
    expect((await loadConfigFile(undefined, dir))?.values).to.deep.equal({ stack: 'mip', keep: true });
  });

  it('names an unknown key', async () => {
    await writeFile(join(dir, 'mip-verify.config.yml'), 'suite: smoke\nsuites: all\n');
    await loadConfigFile(undefined, dir).then(
      () => expect.fail('should have thrown'),
      (error: unknown) => {
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.match(
          /^Unknown key 'suites' in config file 'mip-verify.config.yml'\. Valid keys: suite, stack/,
        );
      },
    );
    expect(() => parseConfigText('[1, 2]', 'x.yaml')).to.throw(ConfigError, /must hold a mapping/);
  });

  it('names a missing or unreadable file', async () => {
    const error = await loadConfigFile('nope.yaml', dir).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(
      `Cannot read config file '${join(dir, 'nope.yaml')}' (ENOENT): check the path given to --config.`,
    );
  });

  it('names the line of a JSON or YAML syntax error', () => {
    expect(() => parseConfigText('{\n  "trials": 3,\n}\n', 'c.json')).to.throw(
      ConfigError,
      /^Cannot parse config file 'c.json' at line 3: Expected double-quoted property name\./,
    );
    expect(() => parseConfigText('{\n  "suite": }\n', 'c.json')).to.throw(ConfigError, /at line 2: Unexpected token '}'\./);
    expect(() => parseConfigText('suite: smoke\ntrials: [3\n', 'c.yaml')).to.throw(
      ConfigError,
      /^Cannot parse config file 'c.yaml' at line 3: /,
    );
    expect(() => parseConfigText('trials: 1\ntrials: 2\n', 'c.yaml')).to.throw(ConfigError, /at line 2: Map keys must be unique\./);
  });
});
