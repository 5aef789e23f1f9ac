// The public API of every @flux package as the TypeScript checker sees it (values AND types), for the
// convention tests: which declaration each exported name resolves to, and whether it is a class, abstract,
// built only by a function (private or `@internal` constructor), deprecated.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Every entry point of every package (the package's `exports`), by import specifier. */
export const ENTRIES: Readonly<Record<string, string>> = {
  "@flux/functors": "packages/functors/src/index.ts",
  "@flux/kernels": "packages/kernels/src/index.ts",
  "@flux/kernels/webgpu": "packages/kernels/src/webgpu/index.ts",
  "@flux/devices": "packages/devices/src/index.ts",
  "@flux/layers": "packages/layers/src/index.ts",
  "@flux/optim": "packages/optim/src/index.ts",
  "@flux/data": "packages/data/src/index.ts",
  "@flux/distributed": "packages/distributed/src/index.ts",
  "@flux/flux": "packages/flux/src/index.ts",
};

/** One exported name of one entry point. */
export interface ApiExport {
  readonly entry: string;
  readonly name: string;
  /** `file:position` of the declaration the name resolves to (through every re-export). */
  readonly declaration: string;
  readonly isValue: boolean;
  readonly isType: boolean;
  /** The declaration carries `@deprecated`. */
  readonly deprecated: boolean;
  /** For a class declaration: why it may stay a plain class, or `null` if nothing excuses it. */
  readonly classExemption: string | null | undefined;
}

let cached: ApiExport[] | undefined;

/** Reads every entry point once (a TypeScript program over the sources; a few seconds). */
export function apiExports(): ApiExport[] {
  if (cached) return cached;
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(root, "packages/flux/tsconfig.json"),
    undefined,
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("packages/flux/tsconfig.json did not parse");
  const files = Object.values(ENTRIES).map((f) => resolve(root, f));
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const out: ApiExport[] = [];
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(resolve(root, file));
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${file} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = target.declarations?.[0];
      // A class merged with an interface of the same name is judged by its class declaration.
      const classDecl = target.declarations?.find(ts.isClassDeclaration);
      out.push({
        entry,
        name: exported.name,
        declaration: decl ? `${decl.getSourceFile().fileName.slice(root.length + 1)}:${decl.pos}` : "?",
        isValue: (target.flags & ts.SymbolFlags.Value) !== 0,
        isType: (target.flags & ts.SymbolFlags.Type) !== 0,
        deprecated: (target.declarations ?? []).some((d) =>
          ts.getJSDocTags(d).some((t) => t.tagName.text === "deprecated"),
        ),
        classExemption: classDecl ? classExemption(checker, classDecl) : undefined,
      });
    }
  }
  cached = out;
  return out;
}

// A class may stay a plain (new-only) class when users never call its constructor: an error (thrown by the
// library), an abstract base (extended), or a class made by a function (`tensor`, `rng`, `initialize`, a
// backend provider), whose constructor is private or `@internal`.
function classExemption(checker: ts.TypeChecker, decl: ts.ClassDeclaration): string | null {
  if (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Abstract) return "abstract";
  for (let c: ts.ClassDeclaration | undefined = decl; c; c = baseClass(checker, c)) {
    if (c.name?.text === "Error") return "error";
    const ctor = c.members.find(ts.isConstructorDeclaration);
    if (ctor) {
      if (ts.getCombinedModifierFlags(ctor) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
        return "private constructor";
      if (ts.getJSDocTags(ctor).some((t) => t.tagName.text === "internal")) return "internal constructor";
      // A public constructor decides, unless an ancestor is Error.
      return extendsError(checker, c) ? "error" : null;
    }
  }
  return extendsError(checker, decl) ? "error" : null;
}

function baseClass(checker: ts.TypeChecker, c: ts.ClassDeclaration): ts.ClassDeclaration | undefined {
  const heritage = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const symbol = checker.getSymbolAtLocation(heritage.expression);
  const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return target?.declarations?.find(ts.isClassDeclaration);
}

function extendsError(checker: ts.TypeChecker, c: ts.ClassDeclaration): boolean {
  const type = checker.getTypeAtLocation(c);
  const seen = new Set<ts.Type>();
  const walk = (t: ts.Type): boolean => {
    if (seen.has(t)) return false;
    seen.add(t);
    if (t.getSymbol()?.name === "Error") return true;
    return (t.isClassOrInterface() ? (checker.getBaseTypes(t) ?? []) : []).some(walk);
  };
  return walk(type);
}
