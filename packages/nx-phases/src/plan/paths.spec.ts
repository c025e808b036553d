import { checkPlanPath, filesystemKey, MAX_NAME_BYTES, MAX_PATH_BYTES, normalizePlanPath } from './paths';

describe('normalizePlanPath', () => {
  it.each([
    ['./src/App.tsx', 'src/App.tsx'],
    ['src//lib///db.ts', 'src/lib/db.ts'],
    ['././a/./b.ts', 'a/b.ts'],
    ['package.json', 'package.json'],
    ['.env', '.env'],
    ['src/a/.', 'src/a'],
    ['src/', 'src'],
    ['./', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizePlanPath(input)).toBe(expected);
  });
});

describe('checkPlanPath', () => {
  it('accepts ordinary relative files, including dotfiles and names that merely contain reserved words', () => {
    for (const file of ['src/App.tsx', '.env.example', 'docs/.gitkeep', 'my.phases/x.ts', 'src/my-phases.json', 'a..b.ts', '.nxrc', 'x.nx/a.ts']) {
      expect(checkPlanPath(file, 'phases.json')).toBeUndefined();
    }
  });

  it('compares reserved names case-insensitively', () => {
    expect(checkPlanPath('.GIT/config', 'phases.json')?.message).toContain('points into .git/');
    expect(checkPlanPath('Node_Modules/x', 'phases.json')?.message).toContain('points into node_modules/');
    expect(checkPlanPath('PHASES.JSON', 'phases.json')?.message).toContain('is the plan file itself');
  });

  it('reserves .nx (Nx cache and workspace data) as a segment at any depth, case-insensitively', () => {
    expect(checkPlanPath('.nx/cache/x.json', 'phases.json')).toEqual({
      message: '".nx/cache/x.json" points into .nx/, which phases may not touch.',
      hint: 'Remove it; files under .nx/ are managed by other tools.',
    });
    expect(checkPlanPath('apps/.NX/workspace-data/a', 'phases.json')?.message).toContain('points into .nx/');
    expect(checkPlanPath('.nx', 'phases.json')?.message).toContain('points into .nx/');
  });

  it('reserves phases.json as a file name at any depth, case-insensitively', () => {
    expect(checkPlanPath('sub/phases.json', 'phases.json')).toEqual({
      message:
        '"sub/phases.json" is named phases.json, which nx-phases reserves for plans: a file with that name anywhere becomes a new plan.',
      hint: 'Choose another file name; phases may neither write nor read a phases.json.',
    });
    expect(checkPlanPath('./a/b/Phases.JSON', 'shop-plan.json')?.message).toContain('is named phases.json');
    expect(checkPlanPath('phases.json', 'shop-plan.json')?.message).toBe('"phases.json" is the plan file itself.');
  });

  it('reserves the plan file under its own name', () => {
    expect(checkPlanPath('shop-plan.json', 'shop-plan.json')?.message).toBe('"shop-plan.json" is the plan file itself.');
  });

  it('names control characters other than NUL by code point', () => {
    expect(checkPlanPath('a\tb.ts', 'phases.json')?.message).toBe('"a\\tb.ts" contains a control (U+0009) character.');
  });

  it('rejects "." and "./." as naming no file, like a folder', () => {
    for (const raw of ['.', './.', './/.']) {
      expect(checkPlanPath(raw, 'phases.json')).toEqual({
        message: `${JSON.stringify(raw)} does not name a file.`,
        hint: 'List files, not folders, e.g. "src/App.tsx".',
      });
    }
  });

  it('treats only a leading drive letter as absolute: a colon later in the path is a relative file', () => {
    expect(checkPlanPath('c:notes.md', 'phases.json')?.message).toBe('"c:notes.md" is an absolute path.');
    for (const file of ['scripts/build:prod.sh', 'docs/adr-1:api.md', 'Makefile.d/x:y']) {
      expect(checkPlanPath(file, 'phases.json')).toBeUndefined();
    }
  });

  it('refuses a ".." segment anywhere (the rule of pathEscape, shared with the commit), with the fix', () => {
    for (const raw of ['..', '../escape.ts', 'src/../../escape.ts', 'src/..']) {
      expect(checkPlanPath(raw, 'phases.json')).toEqual({
        message: `${JSON.stringify(raw)} contains a ".." segment and could leave the app root.`,
        hint: 'Write a path inside the app root without "..".',
      });
    }
  });

  it('refuses an absolute path with the fix', () => {
    expect(checkPlanPath('/etc/passwd', 'phases.json')).toEqual({
      message: '"/etc/passwd" is an absolute path.',
      hint: 'Write the path relative to the folder that holds the plan (the app root), e.g. "src/App.tsx".',
    });
  });

  it('suggests the forward-slash spelling for backslashes', () => {
    expect(checkPlanPath('src\\App.tsx', 'phases.json')?.hint).toBe('Use forward slashes: "src/App.tsx".');
  });
});

describe('checkPlanPath length limits', () => {
  it('accepts a name of exactly MAX_NAME_BYTES bytes and rejects one byte more, naming the limit', () => {
    expect(MAX_NAME_BYTES).toBe(223);
    expect(checkPlanPath(`src/${'a'.repeat(223)}`, 'phases.json')).toBeUndefined();
    const issue = checkPlanPath(`src/${'a'.repeat(224)}`, 'phases.json');
    expect(issue?.message).toMatch(/^"src\/a{20}…a{20}" has a 224-byte name \("a{24}…a{20}"\); the commit stages it under a name 32 bytes longer, and most file systems allow 255\.$/);
    expect(issue?.hint).toBe('Shorten that file or folder name to at most 223 bytes (UTF-8).');
  });

  it('counts bytes of UTF-8, not characters', () => {
    expect(checkPlanPath(`${'é'.repeat(110)}.ts`, 'phases.json')).toBeUndefined(); // 110 × 2 + 3 = 223 bytes
    expect(checkPlanPath(`${'é'.repeat(111)}.ts`, 'phases.json')?.message).toContain('has a 225-byte name'); // 114 characters
  });

  it('rejects a whole path longer than MAX_PATH_BYTES', () => {
    const path = Array.from({ length: 40 }, (_, i) => `folder-${String(i).padStart(12, '0')}`).join('/') + '/a.ts';
    expect(Buffer.byteLength(path)).toBeGreaterThan(MAX_PATH_BYTES);
    expect(checkPlanPath(path, 'phases.json')?.message).toMatch(/is \d+ bytes long; nx-phases allows 768/);
  });

  it('accepts a path of exactly MAX_PATH_BYTES bytes and rejects one byte more', () => {
    const folders = Array.from({ length: 7 }, (_, i) => `${i}${'f'.repeat(99)}`).join('/'); // 7 × 100 + 6 slashes = 706 bytes
    const exact = `${folders}/${'a'.repeat(MAX_PATH_BYTES - 707)}`;
    expect(Buffer.byteLength(exact)).toBe(768);
    expect(checkPlanPath(exact, 'phases.json')).toBeUndefined();
    expect(checkPlanPath(`${exact}b`, 'phases.json')).toEqual({
      message: `"0fffffffffffffffffffffff…aaaaaaaaaaaaaaaaaaab" is 769 bytes long; nx-phases allows 768, so that its copy in the record folder stays within macOS's 1,024-byte path limit.`,
      hint: 'Use a shorter path (fewer or shorter folder names).',
    });
  });
});

describe('filesystemKey', () => {
  it('equates case-only and NFC/NFD-only differences, as macOS does', () => {
    expect(filesystemKey('Café.txt')).toBe(filesystemKey('cafe\u0301.TXT'));
    expect(filesystemKey('src/App.tsx')).toBe('src/app.tsx');
    expect(filesystemKey('a.txt')).not.toBe(filesystemKey('b.txt'));
  });

  it('folds case of non-ASCII names to lower case, so ß and ss stay two files', () => {
    expect(filesystemKey('Straße-Ü.ts')).toBe('straße-ü.ts');
    expect(filesystemKey('straße-ü.ts')).not.toBe(filesystemKey('STRASSE-ü.ts'));
  });
});
