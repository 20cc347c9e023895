/**
 * No import cycles in electron/ and shared/, counting `import type` and `export ... from` as well: ESLint's
 * import-x/no-cycle skips type-only imports, and a cycle of types still ties two modules' designs together (each
 * must change when the other does). Relative imports only: packages cannot import us back.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['electron', 'shared'];

type Graph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true }).flatMap((e) => {
    const rel = path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    return e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The file a relative specifier names, as TypeScript's bundler resolution finds it (ext, then /index). */
function resolve(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  const stem = base.replace(/\.(m|c)?js$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) if (files.has(candidate)) return candidate;
  return null;
}

/** Every relative module a file names: imports and re-exports (type-only included), import() and import types. */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(path.join(ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    false,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
      out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out.filter((s) => s.startsWith('.'));
}

function importGraph(): Graph {
  const files = SCANNED.flatMap(sourceFiles);
  const known = new Set(files);
  return new Map(files.map((f) => [f, [...new Set(specifiersOf(f).flatMap((s) => resolve(f, s, known) ?? []))]]));
}

/** The graph's cycles, each as the sorted files of one strongly connected component (Tarjan). */
function cyclesOf(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

const key = (cycle: readonly string[]) => cycle.join(' <-> ');

describe('import cycles', () => {
  it('finds a cycle of two, a longer one and a self-import, and nothing in a chain', () => {
    const graph: Graph = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c']],
      ['f', ['f']],
      ['g', ['a']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b'], ['c', 'd', 'e'], ['f']]);
    expect(
      cyclesOf(
        new Map([
          ['x', ['y']],
          ['y', ['z']],
          ['z', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads type-only imports, re-exports and import types as edges', () => {
    const graph = importGraph();
    // merge/apply.ts imports its records by `import type` only: the edge must still be there.
    expect(graph.get('electron/desk/merge/apply.ts')).toContain('electron/desk/merge/records.ts');
    expect(graph.get('shared/domain/index.ts')?.length).toBeGreaterThan(0);
  });

  it('has none in electron/ and shared/', () => {
    expect(cyclesOf(importGraph()).map(key)).toEqual([]);
  });
});
