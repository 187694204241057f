// Deploy: the Dockerfile, .dockerignore and docker-compose.yml checked without a Docker engine —
// stages, runtime user, health check, data volume, start command, and that the build context has what
// the COPY steps name. (Building and running the image is not tested here; see docs/deploy.md.)

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Dockerfile instructions: comments and blank lines dropped, `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line) || (pending === undefined && line.trim() === '')) return;
    const continued = /\\\s*$/.test(line);
    const body = continued ? line.replace(/\\\s*$/, '') : line;
    pending = pending ? { text: `${pending.text} ${body.trim()}`, line: pending.line } : { text: body.trim(), line: i + 1 };
    if (continued) return;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(pending.text)!;
    out.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error(`Dockerfile: line ${pending.line} continues past the end of the file`);
  return out;
}

/** The stages: each FROM and the instructions up to the next. */
function stages(instructions: Instruction[]): { from: string; name?: string; body: Instruction[] }[] {
  const out: { from: string; name?: string; body: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image, as, name] = ins.args.split(/\s+/);
      out.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, body: [] });
    } else {
      if (out.length === 0) expect(ins.keyword, `line ${ins.line}: before the first FROM`).toBe('ARG');
      out.at(-1)?.body.push(ins);
    }
  }
  return out;
}

/** A JSON (exec form) argument list, or the shell form as one string. */
function execForm(args: string): string[] | string {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args;
}

/** COPY/ADD sources and flags: `--from=build` etc. split off. */
function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = Array.isArray(execForm(args)) ? (execForm(args) as string[]) : args.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [k, v] = words.shift()!.slice(2).split('=', 2);
    flags[k] = v ?? '';
  }
  return { flags, sources: words.slice(0, -1), dest: words.at(-1)! };
}

const dockerfile = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const all = stages(dockerfile);
const final = all.at(-1)!;
const ignore = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

/** Is a context path excluded by .dockerignore (the path or one of its parent directories matches)? */
function ignored(path: string): boolean {
  const parts = path.replace(/^\.\//, '').replace(/\/$/, '').split('/');
  let excluded = false;
  for (const pattern of ignore) {
    const negate = pattern.startsWith('!');
    const glob = (negate ? pattern.slice(1) : pattern).replace(/^\//, '');
    const matches = picomatch(glob, { dot: true });
    for (let n = 1; n <= parts.length; n++) if (matches(parts.slice(0, n).join('/'))) excluded = !negate;
  }
  return excluded;
}

function only(stage: { body: Instruction[] }, keyword: string): Instruction[] {
  return stage.body.filter((i) => i.keyword === keyword);
}

function env(stage: { body: Instruction[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ins of only(stage, 'ENV')) {
    for (const m of ins.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) out[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return out;
}

describe('parseDockerfile', () => {
  it('joins continuations and drops comments', () => {
    const ins = parseDockerfile('# c\nFROM a AS b\nRUN x \\\n  && y\n\nCMD ["z"]\n');
    expect(ins.map((i) => [i.keyword, i.args, i.line])).toEqual([
      ['FROM', 'a AS b', 2],
      ['RUN', 'x && y', 3],
      ['CMD', '["z"]', 6],
    ]);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage: builds in a full image with the toolchain, runs on a slim Node 20', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all[0].from).toMatch(/^node:20(-bookworm)?$/); // the full image ships python3, make, g++
    expect(final.from).toMatch(/^node:20-.*slim$/);
    expect(final.name).toBeUndefined();
  });

  it('installs, builds and prunes in the build stage; the final stage copies the result', () => {
    const runs = only(all[0], 'RUN').map((i) => i.args).join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    const fromBuild = only(final, 'COPY').filter((c) => copyArgs(c.args).flags['from'] === all[0].name);
    const copied = fromBuild.flatMap((c) => copyArgs(c.args).sources);
    expect(copied).toEqual(expect.arrayContaining(['/app/package.json', '/app/node_modules', '/app/dist', '/app/bin']));
    // No npm install in the final stage: its node_modules are the pruned, already compiled ones.
    expect(only(final, 'RUN').map((i) => i.args).join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a non-root user', () => {
    const users = only(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it('keeps its data in a volume at DATA_DIR, owned by the runtime user', () => {
    const dataDir = env(final)['DATA_DIR'];
    expect(dataDir).toBe('/data');
    const volumes = only(final, 'VOLUME').flatMap((v) => {
      const form = execForm(v.args);
      return Array.isArray(form) ? form : form.split(/\s+/);
    });
    expect(volumes).toContain(dataDir);
    const user = only(final, 'USER').at(-1)!.args.split(':')[0];
    expect(only(final, 'RUN').map((i) => i.args).join('\n')).toContain(`chown ${user}:${user} ${dataDir}`);
  });

  it('exposes PORT and checks /health with node (no curl on slim)', () => {
    const port = env(final)['PORT'] ?? '3000';
    expect(only(final, 'EXPOSE').map((e) => e.args)).toContain(port);
    const health = only(final, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    const m = /CMD\s+(\[.*\])$/.exec(health[0].args);
    expect(m).not.toBeNull();
    const cmd = JSON.parse(m![1]) as string[];
    expect(cmd[0]).toBe('node');
    expect(cmd.join(' ')).toContain('/health');
  });

  it('starts the server: CMD is `npm start` and no ENTRYPOINT wraps it', () => {
    expect(only(final, 'ENTRYPOINT')).toHaveLength(0);
    const cmd = execForm(only(final, 'CMD').at(-1)!.args);
    expect(
      JSON.stringify(cmd) === JSON.stringify(['npm', 'start']) ||
        JSON.stringify(cmd) === JSON.stringify(['node', 'dist/src/server.js']),
    ).toBe(true);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node dist/src/server.js');
    // npm does not forward SIGTERM to the server; an init that signals the process group does.
    expect(env(final)['TINI_KILL_PROCESS_GROUP']).toBe('1');
  });

  it('puts the CLI on PATH as the package.json bin names it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    const runs = only(final, 'RUN').map((i) => i.args).join('\n');
    for (const [name, path] of Object.entries(pkg.bin)) {
      expect(runs).toContain(`ln -s /app/${path} /usr/local/bin/${name}`);
    }
  });

  it('every COPY from the build context exists and is not excluded by .dockerignore', () => {
    const fromContext = all.flatMap((s) => only(s, 'COPY').concat(only(s, 'ADD'))).filter((c) => !copyArgs(c.args).flags['from']);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const c of fromContext) {
      for (const source of copyArgs(c.args).sources) {
        expect(existsSync(source), `${source} (line ${c.line})`).toBe(true);
        expect(ignored(source), `${source} is excluded by .dockerignore`).toBe(false);
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps host builds, data and the repository out of the context', () => {
    for (const path of ['node_modules', 'node_modules/x/y.js', 'data', 'data/netdev-review.db', '.git', '.git/HEAD', 'dist']) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of ['src/server.ts', 'package-lock.json', 'bin/netdev-review.js', 'rules/index.ts']) {
      expect(ignored(path), path).toBe(false);
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<string, { build?: string; init?: boolean; image?: string; environment?: Record<string, string>; volumes?: string[];
      depends_on?: Record<string, { condition: string }>; healthcheck?: { test: string[] } }>;
    volumes: Record<string, unknown>;
  };

  it('builds the app, with its data volume at DATA_DIR and a DATABASE_URL', () => {
    const app = compose.services['app'];
    expect(app.build).toBe('.');
    expect(app.init).toBe(true);
    expect(app.environment?.['DATA_DIR']).toBe('/data');
    expect(app.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(app.volumes).toContain('app-data:/data');
    expect(app.depends_on?.['postgres']?.condition).toBe('service_healthy');
  });

  it('runs PostgreSQL 16 with a volume and a health check', () => {
    const pg = compose.services['postgres'];
    expect(pg.image).toBe('postgres:16');
    expect(pg.volumes).toContain('pg-data:/var/lib/postgresql/data');
    expect(pg.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(Object.keys(compose.volumes).sort()).toEqual(['app-data', 'pg-data']);
  });
});
