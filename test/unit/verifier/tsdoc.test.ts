// Every public export of portcullis/verifier carries TSDoc with an @example (STYLE.md: shaped like
// jose). Read from the source with the TypeScript compiler, so a new export without one fails here.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../../src/verifier/index.ts', import.meta.url));

function exportsWithoutExample(): { exported: string[]; missing: string[] } {
  const program = ts.createProgram([entry], { allowImportingTsExtensions: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('cannot read src/verifier/index.ts');
  const exported: string[] = [];
  const missing: string[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    exported.push(symbol.name);
    const documented = (target.declarations ?? []).some((declaration) => {
      // `export const X = ...` keeps its TSDoc on the variable statement.
      const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
      return ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'example');
    });
    if (!documented) missing.push(symbol.name);
  }
  return { exported, missing };
}

describe('portcullis/verifier TSDoc', () => {
  it('has an @example on every export', () => {
    const { exported, missing } = exportsWithoutExample();
    expect(exported).toContain('createVerifier');
    expect(exported.length).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
