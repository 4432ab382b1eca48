/**
 * Reads the constant parts of a Python check class without running Python: the string and tuple
 * literals assigned to names (`id = "CKV_AWS_1"`, `supported_resources = ("aws_s3_bucket",)`, keyword
 * arguments such as `supported_entities=supported_kind`), the class's bases and the module's imports.
 * Enough for Checkov's check classes, whose metadata are literals, names bound to literals, class
 * constants (`Base.SUPPORTED_ENTITIES`), `+` of those, or `param or DEFAULT`.
 */

type Token =
  | { kind: "name"; text: string }
  | { kind: "string"; text: string; formatted: boolean }
  | { kind: "op"; text: string }
  | { kind: "newline" };

const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);
const TWO_CHAR_OPS = new Set([
  "==",
  "!=",
  "<=",
  ">=",
  "->",
  ":=",
  "+=",
  "-=",
  "*=",
  "/=",
  "**",
  "//",
]);

function readString(src: string, start: number): { value: string; end: number } {
  const quote =
    src.startsWith('"""', start) || src.startsWith("'''", start)
      ? src.slice(start, start + 3)
      : src[start];
  let i = start + quote.length;
  let value = "";
  while (i < src.length) {
    if (src.startsWith(quote, i)) return { value, end: i + quote.length };
    const c = src[i];
    if (c === "\\" && i + 1 < src.length) {
      const n = src[i + 1];
      value += n === "n" ? "\n" : n === "t" ? "\t" : n === "\n" ? "" : n;
      i += 2;
      continue;
    }
    if (c === "\n" && quote.length === 1) throw new Error(`unterminated string at offset ${start}`);
    value += c;
    i++;
  }
  throw new Error(`unterminated string at offset ${start}`);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
    } else if (c === "\n") {
      if (depth === 0 && tokens.length && tokens[tokens.length - 1].kind !== "newline") {
        tokens.push({ kind: "newline" });
      }
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /\w/.test(src[j])) j++;
      const word = src.slice(i, j);
      if ((src[j] === '"' || src[j] === "'") && /^[rRbBuUfF]{1,2}$/.test(word)) {
        const s = readString(src, j);
        tokens.push({ kind: "string", text: s.value, formatted: /f/i.test(word) });
        i = s.end;
      } else {
        tokens.push({ kind: "name", text: word });
        i = j;
      }
    } else if (/\d/.test(c)) {
      let j = i;
      while (j < src.length && /[\w.]/.test(src[j])) j++;
      tokens.push({ kind: "name", text: src.slice(i, j) });
      i = j;
    } else if (c === '"' || c === "'") {
      const s = readString(src, i);
      tokens.push({ kind: "string", text: s.value, formatted: false });
      i = s.end;
    } else {
      const two = src.slice(i, i + 2);
      const op = TWO_CHAR_OPS.has(two) ? two : c;
      if (OPENERS.has(op)) depth++;
      if (CLOSERS.has(op)) depth = Math.max(0, depth - 1);
      tokens.push({ kind: "op", text: op });
      i += op.length;
    }
  }
  return tokens;
}

/** `name = <expression>`, at statement level or as a keyword argument; `scope` is the class or "". */
export interface Assignment {
  readonly name: string;
  readonly scope: string;
  readonly expr: readonly Token[];
}

export interface PythonModule {
  readonly assignments: readonly Assignment[];
  /** Class name -> its base class names as written (dotted names kept whole). */
  readonly classes: ReadonlyMap<string, readonly string[]>;
  /** Imported name -> dotted module it comes from (`from a.b import C` gives C -> a.b). */
  readonly imports: ReadonlyMap<string, string>;
}

function isOp(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === "op" && t.text === text;
}

function isName(t: Token | undefined, text?: string): t is { kind: "name"; text: string } {
  return t !== undefined && t.kind === "name" && (text === undefined || t.text === text);
}

/** Statement starts are the token after a newline; class bodies end where a `class` statement starts. */
export function parseModule(src: string): PythonModule {
  const tokens = tokenize(src);
  const assignments: Assignment[] = [];
  const classes = new Map<string, string[]>();
  const imports = new Map<string, string>();
  let scope = "";
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const atStatementStart = i === 0 || tokens[i - 1].kind === "newline";
    if (atStatementStart && isName(t, "class") && isName(tokens[i + 1])) {
      scope = tokens[i + 1].kind === "name" ? (tokens[i + 1] as { text: string }).text : "";
      const bases: string[] = [];
      if (isOp(tokens[i + 2], "(")) {
        let j = i + 3;
        let current = "";
        for (; j < tokens.length && !isOp(tokens[j], ")"); j++) {
          const b = tokens[j];
          if (isOp(b, ",")) {
            if (current) bases.push(current);
            current = "";
          } else if (b.kind === "name" || isOp(b, ".")) {
            current += b.kind === "name" ? b.text : ".";
          }
        }
        if (current) bases.push(current);
      }
      classes.set(scope, bases);
      continue;
    }
    if (atStatementStart && isName(t, "from")) {
      let j = i + 1;
      let module = "";
      for (; j < tokens.length && !isName(tokens[j], "import"); j++) {
        const m = tokens[j];
        module += m.kind === "name" ? m.text : m.kind === "op" ? m.text : "";
      }
      for (j++; j < tokens.length && tokens[j].kind !== "newline"; j++) {
        const n = tokens[j];
        if (n.kind === "name" && n.text !== "as" && !isName(tokens[j - 1], "as")) {
          imports.set(n.text, module);
        }
      }
      continue;
    }
    if (t.kind === "name" && isOp(tokens[i + 1], "=") && !isOp(tokens[i - 1], ".")) {
      const expr: Token[] = [];
      let depth = 0;
      for (let j = i + 2; j < tokens.length; j++) {
        const e = tokens[j];
        if (e.kind === "newline") break;
        if (e.kind === "op" && OPENERS.has(e.text)) depth++;
        if (e.kind === "op" && CLOSERS.has(e.text)) {
          if (depth === 0) break;
          depth--;
        }
        if (depth === 0 && (isOp(e, ",") || isOp(e, ":"))) break;
        expr.push(e);
      }
      assignments.push({ name: t.text, scope, expr });
    }
  }
  return { assignments, classes, imports };
}

export type PyValue = string | readonly string[];

/** Finds the module that defines a class named in `imports` (or undefined when it is not available). */
export type ModuleLoader = (dottedModule: string) => PythonModule | undefined;

interface Scope {
  readonly module: PythonModule;
  readonly scope: string;
}

interface EvalContext extends Scope {
  readonly load: ModuleLoader;
  readonly visiting: Set<Assignment>;
  /** Subclasses whose `super().__init__(...)` keyword arguments bind the base's parameters. */
  readonly callers: readonly Scope[];
}

function splitTopLevel(expr: readonly Token[], separator: (t: Token) => boolean): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of expr) {
    if (t.kind === "op" && OPENERS.has(t.text)) depth++;
    if (t.kind === "op" && CLOSERS.has(t.text)) depth--;
    if (depth === 0 && separator(t)) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts;
}

/** The module and class scope where a class is defined, following the module's imports. */
function classHome(ctx: EvalContext, className: string): Scope | undefined {
  if (ctx.module.classes.has(className)) return { module: ctx.module, scope: className };
  const from = ctx.module.imports.get(className);
  const loaded = from ? ctx.load(from) : undefined;
  return loaded?.classes.has(className) ? { module: loaded, scope: className } : undefined;
}

function lookup(ctx: EvalContext, name: string, qualifier?: string): PyValue | undefined {
  const homes: Scope[] = [];
  if (qualifier !== undefined) {
    const home = classHome(ctx, qualifier);
    if (home) homes.push(home);
  } else {
    homes.push({ module: ctx.module, scope: ctx.scope }, ...ctx.callers, {
      module: ctx.module,
      scope: "",
    });
  }
  for (const home of homes) {
    for (const a of home.module.assignments) {
      if (a.name !== name || a.scope !== home.scope || ctx.visiting.has(a)) continue;
      const value = evaluateAssignment({ ...ctx, module: home.module, scope: home.scope }, a);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** An f-string's `{name}` fields, each a name bound to a constant; undefined when one is not. */
function formatFields(ctx: EvalContext, text: string): string | undefined {
  let unresolved = false;
  const result = text.replace(/\{(\w+)\}/g, (_, field: string) => {
    const v = lookup(ctx, field);
    if (typeof v !== "string") unresolved = true;
    return typeof v === "string" ? v : "";
  });
  return unresolved ? undefined : result;
}

function evaluateTerm(ctx: EvalContext, term: readonly Token[]): PyValue | undefined {
  if (term.length === 0) return undefined;
  const percent = term.findIndex((t) => isOp(t, "%"));
  if (percent > 0) {
    // "... %d" % name: printf-style formatting with one constant argument.
    const format = evaluateTerm(ctx, term.slice(0, percent));
    const argument = evaluateTerm(ctx, term.slice(percent + 1));
    if (typeof format !== "string" || typeof argument !== "string") return undefined;
    return format.replace(/%[ds]/, argument);
  }
  if (term.every((t) => t.kind === "string")) {
    const parts = term.map((t) =>
      t.kind !== "string" ? "" : t.formatted ? formatFields(ctx, t.text) : t.text,
    );
    return parts.some((p) => p === undefined) ? undefined : parts.join("");
  }
  if (term.length === 1 && term[0].kind === "name" && /^\d+$/.test(term[0].text))
    return term[0].text;
  if (
    term.length === 2 &&
    isOp(term[0], "-") &&
    term[1].kind === "name" &&
    /^\d+$/.test(term[1].text)
  ) {
    return `-${term[1].text}`;
  }
  const first = term[0];
  const last = term[term.length - 1];
  if ((isOp(first, "(") && isOp(last, ")")) || (isOp(first, "[") && isOp(last, "]"))) {
    const inner = term.slice(1, -1);
    if (isOp(first, "[") && inner.some((t) => isName(t, "for")))
      return evaluateComprehension(ctx, inner);
    const items = splitTopLevel(inner, (t) => isOp(t, ","));
    const isSequence = isOp(first, "[") || items.length > 1;
    if (!isSequence) return evaluateExpression(ctx, inner);
    const values: string[] = [];
    for (const item of items) {
      if (item.length === 0) continue; // trailing comma
      const v = evaluateExpression(ctx, item);
      if (typeof v !== "string") return undefined;
      values.push(v);
    }
    return values;
  }
  if (term.every((t, k) => (k % 2 === 0 ? t.kind === "name" : isOp(t, ".")))) {
    const names = term.filter((t): t is { kind: "name"; text: string } => t.kind === "name");
    if (names.length === 1) return lookup(ctx, names[0].text);
    if (names.length === 2) return lookup(ctx, names[1].text, names[0].text);
  }
  return undefined;
}

/** `[x for x in SEQUENCE]` or `[x for x in SEQUENCE if x not in EXCLUDED]`. */
function evaluateComprehension(ctx: EvalContext, inner: readonly Token[]): PyValue | undefined {
  const [element, forKw, variable, inKw] = inner;
  if (
    !isName(element) ||
    !isName(forKw, "for") ||
    !isName(variable, element.text) ||
    !isName(inKw, "in")
  ) {
    return undefined;
  }
  const rest = inner.slice(4);
  const ifAt = rest.findIndex((t) => isName(t, "if"));
  const sequence = evaluateExpression(ctx, ifAt < 0 ? rest : rest.slice(0, ifAt));
  if (!Array.isArray(sequence)) return undefined;
  if (ifAt < 0) return sequence;
  const [subject, notKw, inKw2, ...excludedExpr] = rest.slice(ifAt + 1);
  if (!isName(subject, element.text) || !isName(notKw, "not") || !isName(inKw2, "in"))
    return undefined;
  const excluded = evaluateExpression(ctx, excludedExpr);
  if (!Array.isArray(excluded)) return undefined;
  return sequence.filter((v) => !excluded.includes(v));
}

export function evaluateExpression(ctx: EvalContext, expr: readonly Token[]): PyValue | undefined {
  // `param or DEFAULT`: the default is what a subclass gets when it passes nothing.
  for (const alternative of splitTopLevel(expr, (t) => isName(t, "or"))) {
    const terms = splitTopLevel(alternative, (t) => isOp(t, "+"));
    const values = terms.map((t) => evaluateTerm(ctx, t));
    if (values.some((v) => v === undefined)) continue;
    if (values.every((v) => typeof v === "string")) return values.join("");
    if (values.every((v) => Array.isArray(v))) return values.flatMap((v) => v as string[]);
  }
  return undefined;
}

function evaluateAssignment(ctx: EvalContext, a: Assignment): PyValue | undefined {
  ctx.visiting.add(a);
  try {
    return evaluateExpression(ctx, a.expr);
  } finally {
    ctx.visiting.delete(a);
  }
}

export interface ClassValueOptions {
  /** Which values count; others are skipped like unevaluable ones. */
  readonly accept?: (v: PyValue) => boolean;
  /**
   * Fail rather than fall back to a base class when the class binds one of the names but to nothing
   * this reader can evaluate (so an unsupported expression is never replaced by the base's default).
   */
  readonly strict?: boolean;
}

/**
 * The first value that one of `names` is bound to in a class, in source order; when the class binds
 * none, the same search in its base classes (the values a subclass inherits from its base's
 * `__init__`, with the subclass's keyword arguments bound).
 */
export function classValue(
  module: PythonModule,
  className: string,
  names: readonly string[],
  load: ModuleLoader,
  options: ClassValueOptions = {},
  callers: readonly Scope[] = [],
): PyValue | undefined {
  const accept = options.accept ?? (() => true);
  const ctx: EvalContext = { module, scope: className, load, visiting: new Set(), callers };
  let bound = false;
  for (const a of module.assignments) {
    if (a.scope !== className || !names.includes(a.name)) continue;
    bound = true;
    const v = evaluateAssignment(ctx, a);
    if (v !== undefined && accept(v)) return v;
  }
  if (bound && options.strict) {
    throw new Error(
      `class ${className} binds ${names.join("/")} to an expression this reader cannot evaluate`,
    );
  }
  for (const base of module.classes.get(className) ?? []) {
    const home = classHome(ctx, base);
    if (!home) continue;
    const v = classValue(home.module, base, names, load, options, [
      { module, scope: className },
      ...callers,
    ]);
    if (v !== undefined) return v;
  }
  return undefined;
}
